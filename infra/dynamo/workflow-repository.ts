import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/shared/errors';
import { DEFAULT_WORKFLOW, defaultWorkflowDefinition } from '../../domain/workflow/default-workflow';
import type { Workflow, WorkflowVersion } from '../../domain/workflow/schema';
import { createImmutableCache } from './immutable-cache';
import { keys, orgKey } from './keys';
import { withoutKeys, writeTransaction, type TransactItem } from './transactions';

/** Workflow definitions are versioned: a change is a new version; an incident keeps the version it started on. */
export function createWorkflowRepository(doc: DynamoDBDocumentClient, tableName: string) {
  const versionPut = (org: string, v: WorkflowVersion): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...keys.workflowVersion(org, v.workflowId, v.number), kind: 'workflow-version', ...v },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  function createItems(org: string, workflow: Workflow, first: WorkflowVersion): TransactItem[] {
    return [
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.workflow(org, workflow.id), kind: 'workflow', ...workflow },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      versionPut(org, first),
    ];
  }

  async function get(org: string, id: string): Promise<Workflow> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.workflow(org, id), ConsistentRead: true }));
    if (Item) return withoutKeys<Workflow>(Item);
    // Organisations provisioned before workflows were stored run on the built-in default.
    if (id === DEFAULT_WORKFLOW.id)
      return {
        id,
        name: defaultWorkflowDefinition.name,
        currentVersion: 1,
        version: 0,
        createdAt: '1970-01-01T00:00:00.000Z',
        updatedAt: '1970-01-01T00:00:00.000Z',
      };
    throw new NotFoundError(`Workflow ${id} not found`);
  }

  const versions = createImmutableCache<WorkflowVersion>();

  /** Versions are immutable (an edit makes a new one), so each is read once per process. */
  function getVersion(org: string, id: string, n: number): Promise<WorkflowVersion> {
    return versions(`${org}|${id}|${n}`, () => readVersion(org, id, n));
  }

  async function readVersion(org: string, id: string, n: number): Promise<WorkflowVersion> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.workflowVersion(org, id, n), ConsistentRead: true }));
    if (Item) return withoutKeys<WorkflowVersion>(Item);
    if (id === DEFAULT_WORKFLOW.id && n === DEFAULT_WORKFLOW.version) {
      return {
        workflowId: id,
        number: n,
        definition: defaultWorkflowDefinition,
        createdAt: '1970-01-01T00:00:00.000Z',
        createdBy: 'system',
      };
    }
    throw new NotFoundError(`Version ${n} of workflow ${id} not found`);
  }

  async function listVersions(org: string, id: string): Promise<WorkflowVersion[]> {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': `${orgKey(org)}#WF#${id}`, ':v': 'V#' },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => withoutKeys<WorkflowVersion>(item));
  }

  async function list(org: string): Promise<Workflow[]> {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': orgKey(org), ':prefix': keys.workflowPrefix },
      }),
    );
    return (page.Items ?? []).map((item) => withoutKeys<Workflow>(item));
  }

  async function create(org: string, workflow: Workflow, first: WorkflowVersion) {
    await writeTransaction(doc, createItems(org, workflow, first), () => new ConflictError(`Workflow ${workflow.id} already exists`));
  }

  /** A new version becomes current; the header update is guarded by the version the caller read. */
  async function addVersion(org: string, workflow: Workflow, next: WorkflowVersion, now: Date) {
    const header: TransactItem =
      workflow.version === 0
        ? {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.workflow(org, workflow.id),
                kind: 'workflow',
                ...workflow,
                name: next.definition.name,
                currentVersion: next.number,
                version: 1,
                createdAt: now.toISOString(),
                updatedAt: now.toISOString(),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }
        : {
            Update: {
              TableName: tableName,
              Key: keys.workflow(org, workflow.id),
              UpdateExpression: 'SET currentVersion = :n, #name = :name, #v = :next, updatedAt = :at',
              ConditionExpression: '#v = :expected',
              ExpressionAttributeNames: { '#v': 'version', '#name': 'name' },
              ExpressionAttributeValues: {
                ':n': next.number,
                ':name': next.definition.name,
                ':next': workflow.version + 1,
                ':at': now.toISOString(),
                ':expected': workflow.version,
              },
            },
          };
    const items = [header, versionPut(org, next)];
    if (workflow.version === 0) items.push(versionPut(org, await getVersion(org, workflow.id, 1)));
    await writeTransaction(doc, items, () => new ConflictError(`Workflow ${workflow.id} was changed by another request; reload and retry`));
  }

  return { createItems, get, getVersion, listVersions, list, create, addVersion };
}

export type WorkflowRepository = ReturnType<typeof createWorkflowRepository>;
