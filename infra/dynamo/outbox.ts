import { DeleteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventPublisher, OutgoingEvent } from '../../domain/shared/events';
import { keys } from './keys';
import type { TransactItem } from './transactions';

/**
 * Transactional outbox: an event is stored in the same transaction as the change that caused it, then
 * sent. If sending fails (the engine is down, the process dies) the relay sends it later; the event id
 * makes a second delivery a no-op for the engine.
 */
export function outboxPut(tableName: string, partition: string, event: OutgoingEvent): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.outbox(partition, event.id, new Date(event.ts).toISOString()), kind: 'outbox', event },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** How long a change waits for its events to reach the engine before it returns. */
const DELIVERY_WAIT_MS = 2_000;

export function createOutbox(doc: DynamoDBDocumentClient, tableName: string, publisher: EventPublisher) {
  const remove = (pk: string, sk: string) => doc.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } }));

  /** Sends events just written; failures are left for `relayPending`. */
  async function deliver(partition: string, events: OutgoingEvent[]): Promise<boolean> {
    try {
      await publisher.publish(events);
    } catch {
      return false;
    }
    await Promise.all(events.map((e) => remove(partition, `OUTBOX#${e.id}`)));
    return true;
  }

  /** The one delivery behaviour after a change: try now, for at most a moment; whatever is not sent the relay sends later. */
  async function deliverBriefly(partition: string, events: OutgoingEvent[]) {
    if (events.length === 0) return;
    await Promise.race([deliver(partition, events).catch(() => false), new Promise((resolve) => setTimeout(resolve, DELIVERY_WAIT_MS))]);
  }

  /** Sends every event still waiting whose write is older than `olderThanMs`, shard by shard, oldest first in each. */
  async function relayPending(now: Date, olderThanMs = 5_000): Promise<number> {
    let sent = 0;
    for (const shard of keys.outboxIndexes) sent += await relayShard(shard, now, olderThanMs);
    return sent;
  }

  async function relayShard(shard: (typeof keys.outboxIndexes)[number], now: Date, olderThanMs: number): Promise<number> {
    let sent = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: shard.index,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
          ExpressionAttributeValues: { ':pk': shard.pk, ':before': new Date(now.getTime() - olderThanMs).toISOString() },
          Limit: 100,
          ExclusiveStartKey,
        }),
      );
      const items = page.Items ?? [];
      if (items.length === 0) break;
      await publisher.publish(items.map((item) => item.event as OutgoingEvent));
      await Promise.all(items.map((item) => remove(item.pk as string, item.sk as string)));
      sent += items.length;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return sent;
  }

  return { deliver, deliverBriefly, relayPending };
}

export type Outbox = ReturnType<typeof createOutbox>;
