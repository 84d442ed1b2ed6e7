import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appendAuditEntry, emptyChain, type AuditEntry } from '../../domain/audit/chain';
import type { ChildWrite, IncidentChange, IncidentStore } from '../../domain/incidents/changes';
import type { Incident, IncidentAggregate, IncidentAssessment, IncidentSummary } from '../../domain/incidents/schema';
import { summarizeObligations } from '../../domain/obligations/rules';
import type { TrackedObligation } from '../../domain/obligations/schema';
import type { Clock } from '../../domain/shared/clock';
import { ConflictError, InvalidError, NotFoundError, StaleVersionError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import type { Task } from '../../domain/tasks/schema';
import { retryLostRaces, writeAuditedChange, type ChildItem } from './audited-write';
import { keys } from './keys';
import { listNewestFirst } from './list-newest-first';
import type { Outbox } from './outbox';
import { outboxPut } from './outbox';
import { auditPut, withoutKeys, writeTransaction, type TransactItem } from './transactions';

export interface IncidentFilters {
  stage?: string;
  status?: string;
  breachTypeId?: string;
  severity?: string;
  createdFrom?: string;
  createdTo?: string;
}

/** The item kinds that make up the aggregate's state (audit entries, markers, deliveries and outbox events do not). */
const CHILD_KINDS = {
  obligation: 'obligations',
  task: 'tasks',
  notification: 'notifications',
  comment: 'comments',
  reassessment: 'reassessments',
  attachment: 'attachments',
} as const;
const ALL_KINDS = ['incident', 'report', 'assessment', ...Object.keys(CHILD_KINDS)];

export function createIncidentRepository(doc: DynamoDBDocumentClient, tableName: string, deps: { clock: Clock; outbox: Outbox }) {
  const partitionOf = (org: string, id: string) => keys.incidentPartition(org, id);

  function childKey(org: string, incidentId: string, child: ChildWrite) {
    switch (child.kind) {
      case 'obligation':
        return keys.obligation(org, incidentId, child.value.id);
      case 'task':
        return keys.task(org, incidentId, child.value.id);
      case 'notification':
        return keys.notification(org, incidentId, child.value.id);
      case 'comment':
        return keys.comment(org, incidentId, child.value.id);
      case 'reassessment':
        return keys.reassessment(org, incidentId, child.value.id);
      case 'assessment':
        return keys.incidentAssessment(org, incidentId);
      case 'attachment':
        return keys.attachment(org, incidentId, child.value.id);
    }
  }

  /** What the audit entry keeps of a child it wrote: enough to tell what changed without copying personal data. */
  function briefOf(child: ChildWrite): Record<string, unknown> {
    const base = { kind: child.kind, id: child.value.id, mode: child.mode };
    if (child.kind === 'obligation') return { ...base, status: child.value.status, dueAt: child.value.dueAt };
    if (child.kind === 'task') return { ...base, status: child.value.status };
    if (child.kind === 'notification') return { ...base, status: child.value.status };
    if (child.kind === 'attachment') return { ...base, status: child.value.status, sha256: child.value.sha256 };
    return base;
  }

  function childItems(org: string, incidentId: string, children: ChildWrite[]): ChildItem[] {
    const items: ChildItem[] = [];
    for (const child of children) {
      const create = child.mode === 'create';
      items.push({ item: { ...childKey(org, incidentId, child), kind: child.kind, ...child.value }, create, brief: briefOf(child) });
      // A notification is found by its id alone through a pointer written with it.
      if (child.kind === 'notification' && create) {
        items.push({
          item: { ...keys.notificationPointer(org, child.value.id), kind: 'notification-pointer', incidentId },
          create,
          brief: { kind: 'notification-pointer', id: child.value.id },
        });
      }
    }
    return items;
  }

  /** The summary leaves the report's answers to an item of their own: it is indexed and rewritten by every change. */
  const rootItem = (org: string, { responses: _responses, ...summary }: Incident) => ({
    ...keys.incident(org, summary.id),
    ...keys.incidentListing(org, summary.createdAt, summary.id),
    ...keys.incidentFilterKeys(org, summary),
    kind: 'incident',
    ...summary,
  });

  /** Summary and report items as read together: the report's answers join the summary (older items carry them inline). */
  function joined(items: Record<string, unknown>[]): Incident | undefined {
    const summary = items.find((item) => item.kind === 'incident');
    const report = items.find((item) => item.kind === 'report');
    if (!summary) return undefined;
    return withoutKeys<Incident>({ ...summary, ...(report ? { responses: report.responses } : {}) });
  }

  /**
   * The summary, its first children (the initial stage's tasks), its first audit entry, its event, a reference item
   * per form and type it uses and, with an Idempotency-Key, the key's creation record: one transaction that touches
   * no item another creation touches. A retry after a crash answers with the incident the key created.
   */
  async function create(
    org: string,
    aggregate: IncidentAggregate,
    actor: Parameters<IncidentStore['create']>[2],
    details: Record<string, unknown>,
    events: OutgoingEvent[],
    options: { idempotencyKeyHash?: string } = {},
  ): Promise<Incident> {
    const now = deps.clock.now();
    const { entry, chain } = appendAuditEntry(emptyChain, { at: now, actor, action: 'incident.created', details });
    const incident: Incident = {
      ...aggregate.incident,
      audit: chain,
      version: 1,
      obligationSummary: summarizeObligations(aggregate.obligations),
    };
    const partition = partitionOf(org, incident.id);
    const references = [
      keys.formReferencePartition(org, incident.formId),
      ...(incident.breachTypeId ? [keys.typeReferencePartition(org, incident.breachTypeId)] : []),
    ];
    const items: TransactItem[] = [
      { Put: { TableName: tableName, Item: rootItem(org, incident), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.incidentReport(org, incident.id), kind: 'report', responses: incident.responses },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(tableName, partition, entry),
      ...events.map((event) => outboxPut(tableName, partition, event)),
      ...references.map((ref) => ({
        Put: { TableName: tableName, Item: { ...keys.reference(ref, incident.id), kind: 'reference', createdAt: incident.createdAt } },
      })),
      ...aggregate.tasks.map((task) => ({
        Put: {
          TableName: tableName,
          Item: { ...keys.task(org, incident.id, task.id), kind: 'task', ...task },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    ];
    if (items.length > 99)
      throw new InvalidError(`An incident's initial stage may open at most ${99 - (items.length - aggregate.tasks.length)} tasks`);
    const keyHash = options.idempotencyKeyHash;
    const guardIndex = keyHash ? items.push(idempotentCreation(org, keyHash, incident.id, now)) - 1 : -1;
    const duplicate = new Error('key already created an incident');
    try {
      await writeTransaction(doc, items, (index) =>
        index >= 0 && index === guardIndex
          ? duplicate
          : new ConflictError(`Incident ${incident.id} could not be recorded because of a concurrent change; retry`),
      );
    } catch (error) {
      if (error !== duplicate || !keyHash) throw error;
      const existing = await createdBy(org, keyHash);
      return get(org, existing!);
    }
    await deps.outbox.deliverBriefly(partition, events);
    return incident;
  }

  const idempotentCreation = (org: string, keyHash: string, incidentId: string, now: Date): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: {
        ...keys.idempotentCreation(org, keyHash),
        kind: 'idempotent-creation',
        incidentId,
        expiresAt: Math.floor(now.getTime() / 1000) + 24 * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  async function createdBy(org: string, keyHash: string): Promise<string | undefined> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.idempotentCreation(org, keyHash), ConsistentRead: true }),
    );
    return Item?.incidentId as string | undefined;
  }

  /** The summary with the report's answers: one Query on the two items whose sort keys begin with INCIDENT. */
  async function get(org: string, id: string): Promise<Incident> {
    const items: Record<string, unknown>[] = [];
    for await (const item of queryItems(partitionOf(org, id), keys.incidentSummaryPrefix)) items.push(item);
    const incident = joined(items);
    if (!incident) throw new NotFoundError(`Incident ${id} not found`);
    return incident;
  }

  /** The whole aggregate in one Query on its partition (paginated underneath), skipping what is not state. */
  async function getAggregate(org: string, id: string): Promise<IncidentAggregate> {
    const found: Partial<IncidentAggregate> & Record<string, unknown> = {
      assessment: null,
      obligations: [],
      tasks: [],
      notifications: [],
      comments: [],
      reassessments: [],
      attachments: [],
    };
    const summaryItems: Record<string, unknown>[] = [];
    for await (const item of queryItems(partitionOf(org, id), undefined, `#kind IN (${ALL_KINDS.map((k) => `:${k}`).join(', ')})`)) {
      const kind = item.kind as string;
      if (kind === 'incident' || kind === 'report') summaryItems.push(item);
      else if (kind === 'assessment') found.assessment = withoutKeys<IncidentAssessment>(item);
      else (found[CHILD_KINDS[kind as keyof typeof CHILD_KINDS]] as unknown[]).push(withoutKeys(item));
    }
    found.incident = joined(summaryItems);
    if (!found.incident) throw new NotFoundError(`Incident ${id} not found`);
    return found as IncidentAggregate;
  }

  const summaryOnly = (incident: Incident): IncidentAggregate => ({
    incident,
    assessment: null,
    obligations: [],
    tasks: [],
    notifications: [],
    comments: [],
    reassessments: [],
    attachments: [],
  });

  /** The root attributes a change sets, plus the obligation summary whenever obligations change. */
  function rootSet(current: IncidentAggregate, change: IncidentChange): Record<string, unknown> {
    const written = (change.children ?? [])
      .filter((c): c is ChildWrite & { kind: 'obligation' } => c.kind === 'obligation')
      .map((c) => c.value);
    if (written.length === 0) return { ...change.set };
    const byId = new Map<string, TrackedObligation>(current.obligations.map((o) => [o.id, o]));
    for (const o of written) byId.set(o.id, o);
    return { ...change.set, obligationSummary: summarizeObligations([...byId.values()]) };
  }

  /** The filter indexes' keys, rewritten in the change's own write when it sets stage, status or severity (undefined: removed). */
  function filterKeysAfter(org: string, current: IncidentAggregate, set: Record<string, unknown>): Record<string, string | undefined> {
    if (!keys.incidentFilterAttributes.some((name) => name in set)) return {};
    return { gsi5pk: undefined, gsi6pk: undefined, ...keys.incidentFilterKeys(org, { ...current.incident, ...set } as Incident) };
  }

  /** The aggregate as it stands after a change that was just written. */
  function after(
    current: IncidentAggregate,
    change: IncidentChange,
    set: Record<string, unknown>,
    root: { version: number; audit: Incident['audit'] },
    now: Date,
  ): IncidentAggregate {
    const next: IncidentAggregate = {
      ...current,
      incident: { ...current.incident, ...set, version: root.version, audit: root.audit, updatedAt: now.toISOString() } as Incident,
    };
    for (const child of change.children ?? []) {
      if (child.kind === 'assessment') {
        next.assessment = child.value;
        continue;
      }
      const field = CHILD_KINDS[child.kind];
      const list = next[field] as { id: string }[];
      next[field] = [...list.filter((x) => x.id !== child.value.id), child.value] as never;
    }
    return next;
  }

  const recordChange: IncidentStore['recordChange'] = async (org, id, decide, options) => {
    const partition = partitionOf(org, id);
    const readAll = options.read !== 'summary';
    // A change that needs several chunks resumes, rather than repeats, when a lost race makes it start again.
    const resumeKey = `change:${randomUUID()}`;
    let given = options.current;
    return retryLostRaces(async () => {
      const current = given ?? (readAll ? await getAggregate(org, id) : summaryOnly(await get(org, id)));
      given = undefined;
      if (options.expectedVersion !== undefined && current.incident.version !== options.expectedVersion) {
        throw new StaleVersionError(
          `Incident ${id} is at version ${current.incident.version}, not ${options.expectedVersion}; reload and retry`,
          current.incident.version,
        );
      }
      const change = decide(current);
      if (!change) return { applied: false, aggregate: current };
      if (!readAll && change.children?.some((c) => c.kind === 'obligation'))
        throw new Error('A change of obligations must read the whole aggregate');
      const now = deps.clock.now();
      const set = rootSet(current, change);
      const events = change.events ?? [];
      const children = childItems(org, id, change.children ?? []);
      const result = await writeAuditedChange(doc, tableName, {
        partition,
        root: { key: keys.incident(org, id), version: current.incident.version, audit: current.incident.audit },
        set: { ...set, ...filterKeysAfter(org, current, set) },
        actor: options.actor,
        action: change.action,
        details: change.details ?? {},
        alsoRecords: change.alsoRecords?.map((record) => ({ action: record.action, details: record.details ?? {} })),
        children,
        events,
        now,
        onceKey: options.onceKey,
        onceBy: options.onceBy,
        resumeKey,
      });
      if (!result.applied) return { applied: false, aggregate: readAll ? await getAggregate(org, id) : summaryOnly(await get(org, id)) };
      await deps.outbox.deliverBriefly(partition, events);
      return { applied: true, aggregate: after(current, change, set, result.root, now) };
    });
  };

  /**
   * Newest first from one index Query over summaries only: the partition of the most selective filter given (stage,
   * breach type, severity, status; the register itself without one), the others applied to it page by page.
   */
  function list(org: string, filters: IncidentFilters, limit: number, cursor?: string) {
    const { stage, breachTypeId, severity, status } = filters;
    const [index, readItemsByKey] = stage
      ? [keys.incidentsByStageIndex(org, stage), true]
      : breachTypeId
        ? [keys.incidentsByTypeIndex(org, breachTypeId), true]
        : severity
          ? [keys.incidentsBySeverityIndex(org, severity), true]
          : status
            ? [keys.incidentsByStatusIndex(org, status), true]
            : [keys.incidentsIndex(org), false];
    return listNewestFirst<IncidentSummary>(doc, tableName, {
      index,
      readItemsByKey,
      from: filters.createdFrom,
      to: filters.createdTo,
      equals: {
        stage: index.index === 'gsi3' ? undefined : stage,
        breachTypeId: index.index === 'gsi6' || !breachTypeId ? undefined : breachTypeId,
        'severity.level': index.index === 'gsi5' ? undefined : severity,
        status: index.index === 'gsi4' ? undefined : status,
      },
      limit,
      cursor,
    });
  }

  /** Every incident created in a range, oldest first, read a page at a time from the index: memory holds one page. */
  async function* summariesCreatedBetween(org: string, range: { from?: string; to?: string }): AsyncGenerator<IncidentSummary> {
    const { index, pk } = keys.incidentsIndex(org);
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': `${index}pk`, '#sk': `${index}sk` },
          ExpressionAttributeValues: { ':pk': pk, ':from': range.from ?? '0000', ':to': `${range.to ?? '9999'}~` },
          Limit: 100,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) yield withoutKeys<IncidentSummary>(item);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  async function* queryItems(partition: string, prefix?: string, filter?: string): AsyncGenerator<Record<string, unknown>> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ...(filter ? { FilterExpression: filter, ExpressionAttributeNames: { '#kind': 'kind' } } : {}),
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(prefix ? { ':prefix': prefix } : {}),
            ...(filter ? Object.fromEntries(ALL_KINDS.map((k) => [`:${k}`, k])) : {}),
          },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      yield* page.Items ?? [];
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  async function queryPrefix<T>(partition: string, prefix: string): Promise<T[]> {
    const out: T[] = [];
    for await (const item of queryItems(partition, prefix)) out.push(withoutKeys<T>(item));
    return out;
  }

  async function getTask(org: string, incidentId: string, taskId: string): Promise<Task> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.task(org, incidentId, taskId), ConsistentRead: true }),
    );
    if (!Item) throw new NotFoundError(`Task ${taskId} not found on incident ${incidentId}`);
    return withoutKeys<Task>(Item);
  }

  async function findObligation(org: string, incidentId: string, obligationId: string): Promise<TrackedObligation | undefined> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.obligation(org, incidentId, obligationId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<TrackedObligation>(Item) : undefined;
  }

  /** How many incidents were created with a form or a breach type (a consistent Query on its reference items). */
  async function countReferences(org: string, of: { formId: string } | { breachTypeId: string }, limit?: number): Promise<number> {
    const partition = 'formId' in of ? keys.formReferencePartition(org, of.formId) : keys.typeReferencePartition(org, of.breachTypeId);
    let count = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey,
          ...(limit ? { Limit: limit } : {}),
        }),
      );
      count += page.Count ?? 0;
      ExclusiveStartKey = limit && count >= limit ? undefined : page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return count;
  }

  return {
    create,
    get,
    getAggregate,
    list,
    summariesCreatedBetween,
    recordChange,
    getTask,
    findObligation,
    countReferences,
    listAudit: (org: string, id: string) => queryPrefix<AuditEntry>(partitionOf(org, id), keys.auditPrefix),
    listTasks: (org: string, id: string) => queryPrefix<Task>(partitionOf(org, id), keys.taskPrefix),
    listFormAudit: (org: string, formId: string) => queryPrefix<AuditEntry>(keys.formPartition(org, formId), keys.auditPrefix),
  } satisfies IncidentStore & Record<string, unknown>;
}

export type IncidentRepository = ReturnType<typeof createIncidentRepository>;
