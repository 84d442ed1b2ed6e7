import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit/chain';
import { keys } from './keys';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
export type TransactItem = TransactItems[number];

/**
 * Runs one transaction; when a condition fails, `explain` turns the failing item's index into the
 * domain error to throw (a lost version race, a duplicate name, a missing parent...).
 */
export async function writeTransaction(
  doc: DynamoDBDocumentClient,
  items: TransactItem[],
  explain: (failedIndex: number) => Error,
): Promise<void> {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const failed = error.CancellationReasons?.findIndex((r) => r.Code === 'ConditionalCheckFailed') ?? -1;
      if (failed >= 0) throw explain(failed);
      if (error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')) throw explain(-1);
    }
    throw error;
  }
}

/** The audit entry is written in the same transaction as its change and can never be overwritten. */
export function auditPut(tableName: string, partition: string, entry: AuditEntry): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.auditEntry(partition, entry.seq), kind: 'audit', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const STORAGE_ATTRIBUTES = new Set(['pk', 'sk', 'kind', 'expiresAt', 'changeKey']);
const INDEX_KEY = /^gsi\d+(pk|sk)$/;

/** Strips the storage attributes so only the domain record leaves the repository. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const rest: Record<string, unknown> = {};
  for (const name of Object.keys(item))
    if (!STORAGE_ATTRIBUTES.has(name) && !(name.startsWith('gsi') && INDEX_KEY.test(name))) rest[name] = item[name];
  return rest as T;
}
