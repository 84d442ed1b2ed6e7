import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendAuditEntry, emptyChain, type Actor, type AuditEntry, type ChainHead } from '../../domain/audit/chain';
import type { Clock } from '../../domain/shared/clock';
import type { OutgoingEvent } from '../../domain/shared/events';
import { NotFoundError } from '../../domain/shared/errors';
import type { DeliveryAttempt, WebhookDelivery, WebhookSubscription } from '../../domain/webhooks/schema';
import { LostRaceError, retryLostRaces, writeAuditedChange } from './audited-write';
import type { Outbox } from './outbox';
import { decodeCursor, encodeCursor, keys, orgKey } from './keys';
import { auditPut, withoutKeys, writeTransaction } from './transactions';

type StoredSubscription = WebhookSubscription & { audit: ChainHead };

/** Outbound webhook subscriptions (audited like every record) and their delivery log (operational, not audited). */
export function createWebhookSubscriptionRepository(
  doc: DynamoDBDocumentClient,
  tableName: string,
  deps: { clock: Clock; outbox: Outbox },
) {
  async function create(org: string, subscription: WebhookSubscription, actor: Actor) {
    const { entry, chain } = appendAuditEntry(emptyChain, {
      at: deps.clock.now(),
      actor,
      action: 'webhook-subscription.created',
      details: { url: subscription.url, eventTypes: subscription.eventTypes, secretId: subscription.secrets.current.id },
    });
    await writeTransaction(
      doc,
      [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.webhookSubscription(org, subscription.id), kind: 'webhook-subscription', ...subscription, audit: chain },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditPut(tableName, keys.webhookSubscriptionPartition(org, subscription.id), entry),
      ],
      () => new Error(`Subscription ${subscription.id} could not be recorded`),
    );
  }

  async function get(org: string, id: string): Promise<StoredSubscription> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.webhookSubscription(org, id), ConsistentRead: true }));
    if (!Item) throw new NotFoundError(`Webhook subscription ${id} not found`);
    return withoutKeys<StoredSubscription>(Item);
  }

  async function list(org: string): Promise<StoredSubscription[]> {
    const out: StoredSubscription[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': orgKey(org), ':p': keys.webhookSubscriptionPrefix },
          ExclusiveStartKey,
        }),
      );
      out.push(...(page.Items ?? []).map((item) => withoutKeys<StoredSubscription>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  /** The audited-change path of a subscription: decide on the latest record, write guarded with its audit entry, retry a lost race. */
  function recordChange(
    org: string,
    id: string,
    decide: (current: StoredSubscription) => {
      action: string;
      details: Record<string, unknown>;
      set: Partial<WebhookSubscription>;
      events?: OutgoingEvent[];
    },
    options: { actor: Actor },
  ) {
    return retryLostRaces(async () => {
      const current = await get(org, id);
      const change = decide(current);
      const now = deps.clock.now();
      const { root } = await writeAuditedChange(doc, tableName, {
        partition: keys.webhookSubscriptionPartition(org, id),
        root: { key: keys.webhookSubscription(org, id), version: current.version, audit: current.audit },
        set: change.set,
        actor: options.actor,
        action: change.action,
        details: change.details,
        children: [],
        events: change.events ?? [],
        now,
        resumeKey: `subscription:${id}:${current.version}`,
      });
      await deps.outbox.deliverBriefly(keys.webhookSubscriptionPartition(org, id), change.events ?? []);
      return { ...current, ...change.set, version: root.version, audit: root.audit, updatedAt: now.toISOString() } as StoredSubscription;
    });
  }

  /** Deleting keeps the audit trail and the delivery log (evidence) and records the deletion. */
  async function remove(org: string, current: StoredSubscription, actor: Actor) {
    const { entry } = appendAuditEntry(current.audit, {
      at: deps.clock.now(),
      actor,
      action: 'webhook-subscription.deleted',
      details: { url: current.url },
    });
    await writeTransaction(
      doc,
      [
        {
          Delete: {
            TableName: tableName,
            Key: keys.webhookSubscription(org, current.id),
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': current.version },
          },
        },
        auditPut(tableName, keys.webhookSubscriptionPartition(org, current.id), entry),
      ],
      () => new LostRaceError(`Webhook subscription ${current.id} was changed by another request; reload and retry`),
    );
  }

  /** A delivery's outcome moves the failure streak (an operational counter, outside the audited version). */
  async function countOutcome(org: string, id: string, delivered: boolean): Promise<number> {
    const { Attributes } = await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.webhookSubscription(org, id),
        UpdateExpression: delivered ? 'SET consecutiveFailures = :zero' : 'ADD consecutiveFailures :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: delivered ? { ':zero': 0 } : { ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(Attributes?.consecutiveFailures ?? 0);
  }

  async function putDelivery(org: string, delivery: WebhookDelivery) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.webhookDeliveryLog(org, delivery.subscriptionId, delivery.id), kind: 'webhook-delivery-log', ...delivery },
      }),
    );
  }

  async function getDelivery(org: string, subscriptionId: string, deliveryId: string): Promise<WebhookDelivery> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.webhookDeliveryLog(org, subscriptionId, deliveryId), ConsistentRead: true }),
    );
    if (!Item) throw new NotFoundError(`Delivery ${deliveryId} not found`);
    return withoutKeys<WebhookDelivery>(Item);
  }

  async function recordAttempt(
    org: string,
    subscriptionId: string,
    deliveryId: string,
    attempt: DeliveryAttempt,
    status: WebhookDelivery['status'],
  ) {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.webhookDeliveryLog(org, subscriptionId, deliveryId),
        UpdateExpression: 'SET attempts = list_append(attempts, :attempt), #status = :status, updatedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':attempt': [attempt], ':status': status, ':at': attempt.at },
      }),
    );
  }

  async function listDeliveries(org: string, subscriptionId: string, limit: number, cursor?: string) {
    const partition = keys.webhookSubscriptionPartition(org, subscriptionId);
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': partition, ':p': keys.webhookDeliveryLogPrefix },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, partition),
      }),
    );
    return { items: (page.Items ?? []).map((item) => withoutKeys<WebhookDelivery>(item)), nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  async function listAudit(org: string, id: string): Promise<AuditEntry[]> {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.webhookSubscriptionPartition(org, id), ':p': keys.auditPrefix },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => withoutKeys<AuditEntry>(item));
  }

  return { create, get, list, recordChange, remove, countOutcome, putDelivery, getDelivery, recordAttempt, listDeliveries, listAudit };
}

export type WebhookSubscriptionRepository = ReturnType<typeof createWebhookSubscriptionRepository>;
