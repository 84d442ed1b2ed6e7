import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, ChainHead } from '../../domain/audit/chain';
import type { Incident } from '../../domain/incidents/schema';
import type { Task } from '../../domain/tasks/schema';
import { ConflictError, InvalidError, NotFoundError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { keys } from './keys';
import { listNewestFirst } from './list-newest-first';
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

export interface IncidentComment {
  id: string;
  body: string;
  author: string;
  createdAt: string;
}

/** The Idempotency-Key already created an incident (a retry after a crash): the caller answers with that one. */
export class DuplicateCreation extends Error {
  override readonly name = 'DuplicateCreation';
}

export function createIncidentRepository(doc: DynamoDBDocumentClient, tableName: string) {
  const lostRace = (id: string) => new ConflictError(`Incident ${id} was changed by another request; reload and retry`);

  /** The incident, its form and type reference counts, its first audit entry and its event: one transaction. */
  async function create(org: string, incident: Incident, entry: AuditEntry, event: OutgoingEvent, tasks: Task[] = [], creationGuard?: TransactItem) {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.incident(org, incident.id), ...keys.incidentListing(org, incident.createdAt, incident.id, incident.breachTypeId), kind: 'incident', ...incident },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: keys.form(org, incident.formId),
          UpdateExpression: 'ADD incidentCount :one',
          ConditionExpression: 'attribute_exists(pk) AND publishedVersion = :v',
          ExpressionAttributeValues: { ':one': 1, ':v': incident.formVersion },
        },
      },
      auditPut(tableName, keys.incidentPartition(org, incident.id), entry),
      outboxPut(tableName, keys.incidentPartition(org, incident.id), event),
    ];
    if (incident.breachTypeId) {
      items.push({
        Update: {
          TableName: tableName,
          Key: keys.breachType(org, incident.breachTypeId),
          UpdateExpression: 'ADD incidentCount :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      });
    }
    items.push(...tasks.map((t) => taskPut(org, t)));
    const guardIndex = creationGuard ? items.push(creationGuard) - 1 : -1;
    await writeTransaction(doc, items, (index) => {
      if (index === guardIndex) return new DuplicateCreation();
      if (index === 1) return new ConflictError(`Form ${incident.formId} was republished or deleted while this incident was submitted; retry`);
      if (index === 4) return new InvalidError('The breach type no longer exists', [{ path: 'body.breachTypeId', message: 'not found' }]);
      return new ConflictError(`Incident ${incident.id} could not be recorded because of a concurrent change; retry`);
    });
  }

  async function get(org: string, id: string): Promise<Incident> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.incident(org, id), ConsistentRead: true }));
    if (!Item) throw new NotFoundError(`Incident ${id} not found`);
    return withoutKeys<Incident>(Item);
  }

  /** Newest first from an index Query; filters that are not keys are applied page by page. */
  function list(org: string, filters: IncidentFilters, limit: number, cursor?: string) {
    return listNewestFirst<Incident>(doc, tableName, {
      index: filters.breachTypeId ? keys.incidentsByTypeIndex(org, filters.breachTypeId) : keys.incidentsIndex(org),
      from: filters.createdFrom,
      to: filters.createdTo,
      equals: { stage: filters.stage, status: filters.status, 'severity.level': filters.severity },
      limit,
      cursor,
    });
  }

  const incidentUpdate = (org: string, incident: Incident, set: Record<string, unknown>, audit: ChainHead, now: Date): TransactItem => {
    const values: Record<string, unknown> = { ...set, version: incident.version + 1, updatedAt: now.toISOString(), audit };
    return {
      Update: {
        TableName: tableName,
        Key: keys.incident(org, incident.id),
        UpdateExpression: 'SET ' + Object.keys(values).map((_, i) => `#a${i} = :a${i}`).join(', '),
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { ...Object.fromEntries(Object.keys(values).map((k, i) => [`#a${i}`, k])), '#v': 'version' },
        ExpressionAttributeValues: { ...Object.fromEntries(Object.keys(values).map((k, i) => [`:a${i}`, values[k]])), ':expected': incident.version },
      },
    };
  };

  /**
   * Any change to an incident: the guarded record update, its audit entry, and optionally an event.
   * With `onceKey` (workflow steps, which may be retried) a marker in the same transaction makes a
   * repeat a no-op; the result says whether this call applied the change.
   */
  async function applyChange(
    org: string,
    incident: Incident,
    change: { set: Record<string, unknown>; entry: AuditEntry; audit: ChainHead; now: Date; event?: OutgoingEvent; extra?: TransactItem[]; onceKey?: string },
  ): Promise<boolean> {
    const partition = keys.incidentPartition(org, incident.id);
    const items = [incidentUpdate(org, incident, change.set, change.audit, change.now), auditPut(tableName, partition, change.entry), ...(change.extra ?? [])];
    if (change.event) items.push(outboxPut(tableName, partition, change.event));
    // The marker goes first: when a repeat fails several conditions, the first reported is "already applied".
    const onceIndex = change.onceKey ? 0 : -1;
    if (change.onceKey) {
      items.unshift({ Put: { TableName: tableName, Item: { ...keys.once(partition, change.onceKey), kind: 'once', at: change.now.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    const alreadyApplied = new Error('already applied');
    try {
      await writeTransaction(doc, items, (index) => (index === onceIndex ? alreadyApplied : lostRace(incident.id)));
      return true;
    } catch (error) {
      if (error === alreadyApplied) return false;
      throw error;
    }
  }

  const taskPut = (org: string, task: Task): TransactItem => ({
    Put: { TableName: tableName, Item: { ...keys.task(org, task.incidentId, task.id), kind: 'task', ...task }, ConditionExpression: 'attribute_not_exists(pk)' },
  });

  /** Replaces a task guarded by the version the caller read. */
  const taskReplace = (org: string, current: Task, next: Task): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...keys.task(org, current.incidentId, current.id), kind: 'task', ...next },
      ConditionExpression: '#v = :v',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':v': current.version },
    },
  });

  async function getTask(org: string, incidentId: string, taskId: string): Promise<Task> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.task(org, incidentId, taskId), ConsistentRead: true }));
    if (!Item) throw new NotFoundError(`Task ${taskId} not found on incident ${incidentId}`);
    return withoutKeys<Task>(Item);
  }

  const commentPut = (org: string, incidentId: string, comment: IncidentComment): TransactItem => ({
    Put: { TableName: tableName, Item: { ...keys.comment(org, incidentId, comment.id), kind: 'comment', ...comment }, ConditionExpression: 'attribute_not_exists(pk)' },
  });

  async function queryPartition<T>(partition: string, prefix: string): Promise<T[]> {
    const out: T[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      out.push(...(page.Items ?? []).map((item) => withoutKeys<T>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  return {
    create,
    get,
    list,
    applyChange,
    commentPut,
    listAudit: (org: string, id: string) => queryPartition<AuditEntry>(keys.incidentPartition(org, id), keys.auditPrefix),
    taskPut,
    taskReplace,
    getTask,
    listTasks: (org: string, id: string) => queryPartition<Task>(keys.incidentPartition(org, id), keys.taskPrefix),
    listComments: (org: string, id: string) => queryPartition<IncidentComment>(keys.incidentPartition(org, id), keys.commentPrefix),
    listFormAudit: (org: string, formId: string) => queryPartition<AuditEntry>(keys.formPartition(org, formId), keys.auditPrefix),
  };
}

export type IncidentRepository = ReturnType<typeof createIncidentRepository>;
