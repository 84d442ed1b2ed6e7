import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BreachType, BreachTypeInput } from '../../domain/breach-types/schema';
import { ConflictError, DuplicateError, NotFoundError } from '../../domain/shared/errors';
import { keys, orgKey } from './keys';
import { claimUnreferenced, countReferences } from './references';
import { withoutKeys, writeTransaction, type TransactItem } from './transactions';

export function createBreachTypeRepository(doc: DynamoDBDocumentClient, tableName: string) {
  /** The name guard names the type holding the name, so the 409 can point at it. */
  async function nameTaken(org: string, name: string) {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.breachTypeName(org, name), ConsistentRead: true }));
    const id = (Item?.typeId as string | undefined) ?? 'unknown';
    return new DuplicateError(
      `A breach type named "${name}" already exists (${id})`,
      { collection: 'breach-types', id },
      { errors: [{ path: 'body.name', message: `already used by ${id}` }] },
    );
  }

  /** Items that create a type with its unique-name guard; provisioning reuses them. */
  function createItems(org: string, type: BreachType): TransactItem[] {
    return [
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.breachType(org, type.id), kind: 'breach-type', ...type },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.breachTypeName(org, type.name), kind: 'type-name', typeId: type.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  async function get(org: string, id: string): Promise<BreachType> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.breachType(org, id), ConsistentRead: true }));
    if (!Item) throw new NotFoundError(`Breach type ${id} not found`);
    return withoutKeys<BreachType>(Item);
  }

  async function list(org: string): Promise<BreachType[]> {
    const types: BreachType[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': orgKey(org), ':prefix': keys.breachTypePrefix },
          ExclusiveStartKey,
        }),
      );
      types.push(...(page.Items ?? []).map((item) => withoutKeys<BreachType>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return types.sort((a, b) => a.name.localeCompare(b.name));
  }

  async function create(org: string, type: BreachType): Promise<BreachType> {
    const taken = new Error('name taken');
    await writeTransaction(doc, createItems(org, type), (index) =>
      index === 1 ? taken : new ConflictError(`Breach type ${type.id} already exists`),
    ).catch(async (error) => {
      throw error === taken ? await nameTaken(org, type.name) : error;
    });
    return type;
  }

  async function update(org: string, current: BreachType, input: BreachTypeInput, now: Date): Promise<BreachType> {
    const next: BreachType = { ...current, ...input, version: current.version + 1, updatedAt: now.toISOString() };
    const renamed = current.name.trim().toLowerCase() !== input.name.trim().toLowerCase();
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName,
          Key: keys.breachType(org, current.id),
          UpdateExpression: 'SET #name = :name, description = :description, #v = :next, updatedAt = :updatedAt',
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version', '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': next.name,
            ':description': next.description,
            ':next': next.version,
            ':updatedAt': next.updatedAt,
            ':v': current.version,
          },
        },
      },
    ];
    if (renamed) {
      items.push(
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.breachTypeName(org, input.name), kind: 'type-name', typeId: current.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Delete: { TableName: tableName, Key: keys.breachTypeName(org, current.name) } },
      );
    }
    const taken = new Error('name taken');
    await writeTransaction(doc, items, (index) =>
      index === 1 ? taken : new ConflictError(`Breach type ${current.id} was changed by another request; reload and retry`),
    ).catch(async (error) => {
      throw error === taken ? await nameTaken(org, input.name) : error;
    });
    return next;
  }

  /** Refused (409 with the count) while any incident references the type; see references.ts for the protocol. */
  async function remove(org: string, current: BreachType): Promise<void> {
    const mark = await claimUnreferenced(doc, tableName, {
      key: keys.breachType(org, current.id),
      version: current.version,
      label: `Breach type ${current.id}`,
      referencePartition: keys.typeReferencePartition(org, current.id),
    });
    await writeTransaction(
      doc,
      [
        {
          Delete: {
            TableName: tableName,
            Key: keys.breachType(org, current.id),
            ConditionExpression: 'deletingAt = :mark',
            ExpressionAttributeValues: { ':mark': mark },
          },
        },
        { Delete: { TableName: tableName, Key: keys.breachTypeName(org, current.name) } },
      ],
      () => new ConflictError(`Breach type ${current.id} was changed while it was being deleted; retry`),
    );
  }

  const incidentCount = (org: string, id: string) => countReferences(doc, tableName, keys.typeReferencePartition(org, id));

  return { get, list, create, update, remove, createItems, incidentCount };
}

export type BreachTypeRepository = ReturnType<typeof createBreachTypeRepository>;
