import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { emptyChain, type Actor, type AuditEntry, type ChainHead } from '../../domain/audit/chain';
import type { Clock } from '../../domain/shared/clock';
import { ConflictError, NotFoundError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { defaultSignalRules, fingerprintHash } from '../../domain/signals/rules';
import type { Signal, SignalRules } from '../../domain/signals/schema';
import { keys } from './keys';
import { listNewestFirst } from './list-newest-first';
import { retryLostRaces, writeAuditedChange } from './audited-write';
import { outboxPut, type Outbox } from './outbox';
import { auditPut, withoutKeys, writeTransaction } from './transactions';

export interface SignalFilters {
  source?: string;
  status?: string;
  level?: string;
  fingerprint?: string;
  receivedFrom?: string;
  receivedTo?: string;
}

/** Who holds a fingerprint: the signal that claimed it and, once opened, its incident. */
export interface FingerprintGuard {
  fingerprint: string;
  signalId: string;
  incidentId: string | null;
  claimedAt: string;
  windowEndsAt: string;
  version: number;
}

const DELIVERY_RETENTION_S = 7 * 24 * 3600;

export class DuplicateDeliveryError extends ConflictError {}

export function createSignalRepository(doc: DynamoDBDocumentClient, tableName: string, deps: { clock: Clock; outbox: Outbox }) {
  /** The delivery marker, the signal, its first audit entry and its event: one transaction, so a replay stores nothing. */
  async function record(org: string, signal: Signal, entry: AuditEntry, event: OutgoingEvent) {
    const partition = keys.signalPartition(org, signal.id);
    const deliveryKey = keys.webhookDelivery(org, signal.source, fingerprintHash(signal.deliveryId));
    await writeTransaction(
      doc,
      [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...deliveryKey,
              kind: 'webhook-delivery',
              signalId: signal.id,
              receivedAt: signal.receivedAt,
              expiresAt: Math.floor(Date.parse(signal.receivedAt) / 1000) + DELIVERY_RETENTION_S,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.signal(org, signal.id),
              ...keys.signalListing(org, signal.receivedAt, signal.id, fingerprintHash(signal.fingerprint)),
              kind: 'signal',
              ...signal,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditPut(tableName, partition, entry),
        outboxPut(tableName, partition, event),
      ],
      (index) =>
        index === 0
          ? new DuplicateDeliveryError(`Delivery ${signal.deliveryId} was already received`)
          : new ConflictError(`Signal ${signal.id} could not be recorded; retry`),
    );
    await deps.outbox.deliverBriefly(partition, [event]);
  }

  /** The signal an earlier delivery with this id produced, if any. */
  async function findDelivery(org: string, source: string, deliveryId: string): Promise<string | undefined> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.webhookDelivery(org, source, fingerprintHash(deliveryId)), ConsistentRead: true }),
    );
    return Item?.signalId as string | undefined;
  }

  async function get(org: string, id: string): Promise<Signal> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.signal(org, id), ConsistentRead: true }));
    if (!Item) throw new NotFoundError(`Signal ${id} not found`);
    return withoutKeys<Signal>(Item);
  }

  /** Newest first from an index Query (by fingerprint when given); other filters apply page by page. */
  function list(org: string, filters: SignalFilters, limit: number, cursor?: string) {
    return listNewestFirst<Signal>(doc, tableName, {
      index: filters.fingerprint ? keys.signalsByFingerprintIndex(org, fingerprintHash(filters.fingerprint)) : keys.signalsIndex(org),
      from: filters.receivedFrom,
      to: filters.receivedTo,
      equals: { source: filters.source, status: filters.status, level: filters.level },
      limit,
      cursor,
    });
  }

  /** The audited-change path of a signal: decide on the latest record, write it guarded with its audit entry and events, retry a lost race. */
  async function recordChange(
    org: string,
    id: string,
    decide: (
      signal: Signal,
    ) => { action: string; details: Record<string, unknown>; set: Partial<Signal>; events?: OutgoingEvent[] } | undefined,
    options: { actor: Actor },
  ): Promise<Signal> {
    const partition = keys.signalPartition(org, id);
    return retryLostRaces(async () => {
      const current = await get(org, id);
      const change = decide(current);
      if (!change) return current;
      const now = deps.clock.now();
      const events = change.events ?? [];
      const { root } = await writeAuditedChange(doc, tableName, {
        partition,
        root: { key: keys.signal(org, id), version: current.version, audit: current.audit },
        set: change.set,
        actor: options.actor,
        action: change.action,
        details: change.details,
        children: [],
        events,
        now,
        resumeKey: `signal:${id}:${current.version}`,
      });
      await deps.outbox.deliverBriefly(partition, events);
      return { ...current, ...change.set, version: root.version, audit: root.audit, updatedAt: now.toISOString() };
    });
  }

  async function getGuard(org: string, fingerprint: string): Promise<FingerprintGuard | undefined> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.fingerprintGuard(org, fingerprintHash(fingerprint)), ConsistentRead: true }),
    );
    return Item ? withoutKeys<FingerprintGuard>(Item) : undefined;
  }

  /**
   * Claims a fingerprint for a signal about to open an incident. Conditional on the guard being absent
   * or unchanged since it was read (an expired window or a closed incident), so of two concurrent
   * deliveries exactly one opens an incident.
   */
  async function claimGuard(
    org: string,
    guard: Omit<FingerprintGuard, 'version'>,
    replacing: FingerprintGuard | undefined,
  ): Promise<boolean> {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.fingerprintGuard(org, fingerprintHash(guard.fingerprint)),
            kind: 'fingerprint-guard',
            ...guard,
            version: (replacing?.version ?? 0) + 1,
          },
          ConditionExpression: replacing ? '#v = :expected' : 'attribute_not_exists(pk)',
          ...(replacing
            ? { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': replacing.version } }
            : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async function setGuardIncident(org: string, fingerprint: string, signalId: string, incidentId: string) {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.fingerprintGuard(org, fingerprintHash(fingerprint)),
        UpdateExpression: 'SET incidentId = :incident',
        ConditionExpression: 'signalId = :signal',
        ExpressionAttributeValues: { ':incident': incidentId, ':signal': signalId },
      }),
    );
  }

  async function getRules(
    org: string,
  ): Promise<SignalRules & { custom: boolean; updatedAt: string | null; version: number; audit: ChainHead }> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.signalRules(org), ConsistentRead: true }));
    if (!Item) return { ...defaultSignalRules, custom: false, updatedAt: null, version: 0, audit: emptyChain };
    const { rules, defaultAction, attachWindowHours, updatedAt, version, audit } = withoutKeys<
      SignalRules & { updatedAt: string; version: number; audit: ChainHead }
    >(Item);
    return { rules, defaultAction, attachWindowHours, custom: true, updatedAt, version, audit };
  }

  /** Replaces the org's rules, guarded on the version read, with the audit entry in the same transaction. */
  async function putRules(org: string, rules: SignalRules, expectedVersion: number, entry: AuditEntry, audit: ChainHead, now: Date) {
    await writeTransaction(
      doc,
      [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.signalRules(org),
              kind: 'signal-rules',
              ...rules,
              updatedAt: now.toISOString(),
              version: expectedVersion + 1,
              audit,
            },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
            ...(expectedVersion === 0
              ? {}
              : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        },
        auditPut(tableName, keys.signalRulesPartition(org), entry),
      ],
      () => new ConflictError('The signal rules were changed by another request; reload and retry'),
    );
  }

  return {
    record,
    findDelivery,
    get,
    list,
    recordChange,
    getGuard,
    claimGuard,
    setGuardIncident,
    getRules,
    putRules,
    listAudit: (org: string, id: string) => queryAudit(doc, tableName, keys.signalPartition(org, id)),
    listRulesAudit: (org: string) => queryAudit(doc, tableName, keys.signalRulesPartition(org)),
  };
}

async function queryAudit(doc: DynamoDBDocumentClient, tableName: string, partition: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.auditPrefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    out.push(...(page.Items ?? []).map((item) => withoutKeys<AuditEntry>(item)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

export type SignalRepository = ReturnType<typeof createSignalRepository>;
