import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { audienceKey, type InboxMessage } from '../../domain/inbox/rules';
import { InvalidError } from '../../domain/shared/errors';
import type { Assignee } from '../../domain/tasks/schema';
import { keys } from './keys';
import { withoutKeys } from './transactions';

/** Unread counts stop here: a badge says "1000+" rather than read a whole inbox. */
export const UNREAD_COUNT_CAP = 1000;
const AFTER_ALL_MESSAGES = `${keys.inboxMessagePrefix}\uffff`;

/** `MSG#{createdAt}#{id}` → createdAt. */
const createdAtOf = (sk: string) => sk.slice(keys.inboxMessagePrefix.length, sk.lastIndexOf('#'));

const encodeBefore = (sk: string) => Buffer.from(JSON.stringify({ before: sk })).toString('base64url');
function decodeBefore(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const { before } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof before === 'string' && before.startsWith(keys.inboxMessagePrefix)) return before;
  } catch {
    // fall through to the refusal
  }
  throw new InvalidError('Invalid cursor', [{ path: 'query.cursor', message: 'not a cursor of this listing' }]);
}

/**
 * In-app inboxes. A message is stored once under its audience (a role, team or user) with a guard item that makes
 * delivery idempotent and finds it by id; read state is per reader: a mark per message and a watermark for
 * "mark all read". A reader's inbox is the merge of their audiences' partitions, newest first.
 */
export function createInboxRepository(doc: DynamoDBDocumentClient, tableName: string) {
  async function newestOf(org: string, audience: Assignee, options: { before?: string; after?: string; limit: number; idsOnly?: boolean }) {
    const upper = options.before ?? AFTER_ALL_MESSAGES;
    const lower = options.after ?? keys.inboxMessagePrefix;
    const { Items = [], LastEvaluatedKey } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
        ExpressionAttributeValues: { ':pk': keys.inboxPartition(org, audienceKey(audience)), ':lower': lower, ':upper': upper },
        ScanIndexForward: false,
        Limit: options.limit + 1,
        ...(options.idsOnly ? { ProjectionExpression: 'sk, id' } : {}),
      }),
    );
    // BETWEEN is inclusive; the cursor's own item and the watermark's were already seen.
    const items = Items.filter((item) => item.sk !== options.before && item.sk !== options.after);
    return { items, more: items.length > options.limit || Boolean(LastEvaluatedKey && items.length >= options.limit) };
  }

  async function watermarkOf(org: string, subject: string) {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.inboxWatermark(org, subject), ConsistentRead: true }));
    return (Item?.upTo as string | undefined) ?? undefined;
  }

  async function readMarks(org: string, subject: string, messageIds: string[]) {
    if (messageIds.length === 0) return new Set<string>();
    const { Responses } = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: { Keys: messageIds.map((id) => keys.inboxRead(org, subject, id)), ProjectionExpression: 'messageId' },
        },
      }),
    );
    return new Set((Responses?.[tableName] ?? []).map((item) => item.messageId as string));
  }

  /** The message an earlier attempt guarded is written where its guard says, unless it is there already. */
  async function completeEarlierDelivery(org: string, message: InboxMessage) {
    const { Item: guard } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.inboxGuard(org, message.id), ConsistentRead: true }),
    );
    const location = guard?.location as { pk: string; sk: string } | undefined;
    if (!location) return;
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...location, kind: 'inbox-message', ...message, createdAt: createdAtOf(location.sk) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  return {
    /**
     * Delivers a message unless the same one (same id) was delivered before. The guard goes first and names where the
     * message lives, so a retry after a crash between the two writes finds the place and completes it; two plain writes
     * cost half of one transaction of both.
     */
    async deliver(org: string, message: InboxMessage): Promise<'delivered' | 'already-delivered'> {
      const location = keys.inboxMessage(org, audienceKey(message.audience), message.createdAt, message.id);
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.inboxGuard(org, message.id), kind: 'inbox-guard', location },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        await completeEarlierDelivery(org, message);
        return 'already-delivered';
      }
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...location, kind: 'inbox-message', ...message } }));
      return 'delivered';
    },

    async find(org: string, messageId: string): Promise<InboxMessage | null> {
      const { Item: guard } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.inboxGuard(org, messageId) }));
      if (!guard) return null;
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: guard.location as Record<string, string> }));
      return Item ? withoutKeys<InboxMessage>(Item) : null;
    },

    /** One page of a reader's inbox, newest first, with each message's read state. */
    async page(org: string, subject: string, audiences: Assignee[], options: { limit: number; cursor?: string }) {
      const before = decodeBefore(options.cursor);
      const pages = await Promise.all(audiences.map((audience) => newestOf(org, audience, { before, limit: options.limit })));
      const merged = pages.flatMap((p) => p.items).sort((a, b) => (a.sk < b.sk ? 1 : -1));
      const taken = merged.slice(0, options.limit);
      const more = merged.length > options.limit || pages.some((p) => p.more);
      const [watermark, marks] = await Promise.all([
        watermarkOf(org, subject),
        readMarks(
          org,
          subject,
          taken.map((item) => item.id as string),
        ),
      ]);
      const items = taken.map((item) => ({
        ...withoutKeys<InboxMessage>(item),
        read: (watermark !== undefined && (item.sk as string) <= watermark) || marks.has(item.id as string),
      }));
      return { items, nextCursor: more && taken.length > 0 ? encodeBefore(taken.at(-1)!.sk as string) : null };
    },

    /** Unread messages across the reader's audiences, counted up to the cap. */
    async unreadCount(org: string, subject: string, audiences: Assignee[]) {
      const watermark = await watermarkOf(org, subject);
      const pages = await Promise.all(
        audiences.map((audience) => newestOf(org, audience, { after: watermark, limit: UNREAD_COUNT_CAP, idsOnly: true })),
      );
      const ids = [...new Set(pages.flatMap((p) => p.items.map((item) => item.id as string)))];
      let read = 0;
      for (let i = 0; i < ids.length; i += 100) read += (await readMarks(org, subject, ids.slice(i, i + 100))).size;
      const count = ids.length - read;
      return { count: Math.min(count, UNREAD_COUNT_CAP), capped: count >= UNREAD_COUNT_CAP || pages.some((p) => p.more) };
    },

    async markRead(org: string, subject: string, messageId: string, at: Date) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.inboxRead(org, subject, messageId), kind: 'inbox-read', messageId, readAt: at.toISOString() },
        }),
      );
    },

    /** Everything delivered up to `at` counts as read. */
    async markAllRead(org: string, subject: string, at: Date) {
      const upTo = `${keys.inboxMessagePrefix}${at.toISOString()}#\uffff`;
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.inboxWatermark(org, subject), kind: 'inbox-watermark', upTo, at: at.toISOString() },
        }),
      );
    },
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
