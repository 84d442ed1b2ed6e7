import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { appendAuditEntry, type Actor, type ChainHead } from '../../domain/audit/chain';
import { ConflictError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { keys } from './keys';
import { outboxPut } from './outbox';
import { auditPut, writeTransaction, type TransactItem } from './transactions';

/** DynamoDB's documented limits for one TransactWriteItems: 100 items and 4 MB. */
const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;
/** Keeps each chunk's audit entry (which lists what the chunk wrote) well below the item-size budget. */
const MAX_CHILDREN_PER_CHUNK = 80;

/** The version guard of an audited aggregate failed, or DynamoDB cancelled the transaction for a concurrent one: decide again. */
export class LostRaceError extends ConflictError {}

/** An item the change writes (`create` refuses to overwrite another change's item) and the short line the audit entry keeps of it. */
export interface ChildItem {
  item: Record<string, unknown>;
  create: boolean;
  brief: Record<string, unknown>;
}

/** The aggregate's root as the change read it: its key, version and audit head. */
export interface AuditedRoot {
  key: { pk: string; sk: string };
  version: number;
  audit: ChainHead;
}

export interface AuditedWrite {
  partition: string;
  root: AuditedRoot;
  /** Root attributes to set (with the last chunk, so a change is visible on the root only once all of it is stored). */
  set: Record<string, unknown>;
  actor: Actor;
  action: string;
  details: Record<string, unknown>;
  /** Further audit entries, after the change's own in the last chunk: one root write records several steps. */
  alsoRecords?: { action: string; details: Record<string, unknown> }[];
  children: ChildItem[];
  events: OutgoingEvent[];
  now: Date;
  /** With a key the change is applied at most once: its last chunk writes a marker, and a retry may rewrite its own earlier chunks. */
  onceKey?: string;
  /** `decide`: a change of one transaction writes no marker, its decide function already refuses a repeat (ChangeOptions). */
  onceBy?: 'marker' | 'decide';
  /** Stands in for `onceKey` when a change without one needs several chunks: the same for every retry of one change. */
  resumeKey: string;
}

export interface AuditedWriteResult {
  applied: boolean;
  root: Pick<AuditedRoot, 'version' | 'audit'>;
}

const sizeOf = (child: ChildItem) => JSON.stringify(child.item).length;

/** Splits the children so that every chunk fits one transaction beside its marker, root update, audit entry and events. */
function chunksOf(children: ChildItem[], reserved: number): ChildItem[][] {
  const capacity = Math.min(MAX_CHILDREN_PER_CHUNK, MAX_TRANSACTION_ITEMS - reserved);
  const chunks: ChildItem[][] = [];
  let current: ChildItem[] = [];
  let bytes = 0;
  for (const child of children) {
    const size = sizeOf(child);
    if (current.length > 0 && (current.length >= capacity || bytes + size > MAX_TRANSACTION_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(child);
    bytes += size;
  }
  chunks.push(current);
  return chunks;
}

/**
 * The one write of an audited change: the guarded root update, the audit entry that links to the root's chain,
 * the change's items and the outbox events, in one transaction — or, for a change larger than a transaction, in
 * chunks that are each atomic and each audited (`part k of n`), with the events, the root's new attributes and the
 * once-marker in the last. Items carry the change's key, so a retry that stopped half-way may write its own items
 * again (and only those) and resumes; the marker makes the whole change happen once.
 */
export async function writeAuditedChange(
  doc: Parameters<typeof writeTransaction>[0],
  tableName: string,
  write: AuditedWrite,
): Promise<AuditedWriteResult> {
  const also = write.alsoRecords ?? [];
  const reserved = 3 + write.events.length + also.length;
  const chunks = chunksOf(write.children, reserved);
  const changeKey = write.onceKey ?? (chunks.length > 1 ? write.resumeKey : undefined);
  if (chunks.length > 1 && changeKey && (await markerExists(doc, tableName, write.partition, changeKey)))
    return { applied: false, root: write.root };
  let root: Pick<AuditedRoot, 'version' | 'audit'> = { version: write.root.version, audit: write.root.audit };
  for (const [index, chunk] of chunks.entries()) {
    const last = index === chunks.length - 1;
    const batch = chunks.length > 1 ? { batch: { part: index + 1, of: chunks.length } } : {};
    const written = chunk.length > 0 ? { written: chunk.map((c) => c.brief) } : {};
    const first = appendAuditEntry(root.audit, {
      at: write.now,
      actor: write.actor,
      action: last ? write.action : `${write.action}.part`,
      details: { ...(last ? write.details : {}), ...batch, ...written },
    });
    const entries = [first.entry];
    let chain = first.chain;
    for (const record of last ? also : []) {
      const next = appendAuditEntry(chain, { at: write.now, actor: write.actor, action: record.action, details: record.details });
      entries.push(next.entry);
      chain = next.chain;
    }
    const marked = chunks.length > 1 || write.onceBy !== 'decide';
    const marker = last && changeKey && marked ? [onceMarker(tableName, write.partition, changeKey, write.now)] : [];
    const items: TransactItem[] = [
      ...marker,
      rootUpdate(tableName, write.root.key, root.version, {
        ...(last ? write.set : {}),
        version: root.version + 1,
        updatedAt: write.now.toISOString(),
        audit: chain,
      }),
      ...entries.map((entry) => auditPut(tableName, write.partition, entry)),
      ...chunk.map((c) => childPut(tableName, c, changeKey)),
      ...(last ? write.events.map((event) => outboxPut(tableName, write.partition, event)) : []),
    ];
    const alreadyApplied = new Error('change already applied');
    try {
      // The marker goes first: when a repeat fails several conditions, the first reported is "already applied".
      await writeTransaction(doc, items, (failed) =>
        marker.length > 0 && failed === 0
          ? alreadyApplied
          : new LostRaceError('The record was changed by another request; reload and retry'),
      );
    } catch (error) {
      if (error === alreadyApplied) return { applied: false, root };
      throw error;
    }
    root = { version: root.version + 1, audit: chain };
  }
  return { applied: true, root };
}

function childPut(tableName: string, child: ChildItem, changeKey: string | undefined): TransactItem {
  if (!child.create) return { Put: { TableName: tableName, Item: child.item } };
  const Item = changeKey ? { ...child.item, changeKey } : child.item;
  return changeKey
    ? {
        Put: {
          TableName: tableName,
          Item,
          ConditionExpression: 'attribute_not_exists(pk) OR changeKey = :changeKey',
          ExpressionAttributeValues: { ':changeKey': changeKey },
        },
      }
    : { Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

async function markerExists(doc: Parameters<typeof writeTransaction>[0], tableName: string, partition: string, key: string) {
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.once(partition, key), ConsistentRead: true }));
  return Boolean(Item);
}

function onceMarker(tableName: string, partition: string, key: string, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.once(partition, key), kind: 'once', at: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** SET every given attribute (REMOVE those given as undefined), guarded by the version the change was decided on. */
function rootUpdate(
  tableName: string,
  key: { pk: string; sk: string },
  expectedVersion: number,
  values: Record<string, unknown>,
): TransactItem {
  const names = Object.keys(values);
  const set = names.flatMap((k, i) => (values[k] === undefined ? [] : [`#a${i} = :a${i}`]));
  const remove = names.flatMap((k, i) => (values[k] === undefined ? [`#a${i}`] : []));
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: '#v = :expected',
      ExpressionAttributeNames: { ...Object.fromEntries(names.map((k, i) => [`#a${i}`, k])), '#v': 'version' },
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.flatMap((k, i) => (values[k] === undefined ? [] : [[`:a${i}`, values[k]]]))),
        ':expected': expectedVersion,
      },
    },
  };
}

/** Runs an optimistic change again after a lost race, with jittered backoff; every other error ends it. */
export async function retryLostRaces<T>(attempt: () => Promise<T>, attempts = 8): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof LostRaceError) || n >= attempts) throw error;
      const backoff = Math.min(1_000, 20 * 2 ** n);
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * backoff));
    }
  }
}
