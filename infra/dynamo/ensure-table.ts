import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from './table-definition';

interface KeyedTable {
  partitionKey: string;
  sortKey: string;
  ttlAttribute?: string;
  /** `include`: project the keys and these attributes only (INCLUDE); without it every attribute (ALL). */
  globalIndexes: readonly { name: string; partitionKey: string; sortKey: string; include?: readonly string[] }[];
}

const projectionOf = (index: KeyedTable['globalIndexes'][number]) =>
  index.include ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] } : { ProjectionType: 'ALL' as const };

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' as const },
  { AttributeName: sortKey, KeyType: 'RANGE' as const },
];

function attributeDefinitions(table: KeyedTable) {
  const names = new Set([table.partitionKey, table.sortKey, ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));
}

/** Creates the table, or adds indexes and TTL it lacks; idempotent, for local start-up and tests. */
export async function ensureTable(client: DynamoDBClient, tableName: string, table: KeyedTable = tableDefinition): Promise<void> {
  const existing = await describe(client, tableName);
  if (!existing) {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(table),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: projectionOf(index),
        })),
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  } else {
    await addMissingIndexes(client, tableName, table, existing.GlobalSecondaryIndexes ?? []);
  }
  if (table.ttlAttribute) await ensureTtl(client, tableName, table.ttlAttribute);
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function addMissingIndexes(client: DynamoDBClient, tableName: string, table: KeyedTable, present: GlobalSecondaryIndexDescription[]) {
  const presentNames = new Set(present.map((index) => index.IndexName));
  for (const index of table.globalIndexes.filter((i) => !presentNames.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(table),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: projectionOf(index),
            },
          },
        ],
      }),
    );
  }
}

async function ensureTtl(client: DynamoDBClient, tableName: string, attribute: string) {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attribute, Enabled: true } }),
  );
}
