import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit/chain';
import { ConflictError, NotFoundError } from '../../domain/shared/errors';
import type { StoredSubmissionKey } from '../../domain/web-forms/submission-keys';
import { keys } from './keys';
import { auditPut, withoutKeys, writeTransaction } from './transactions';

/** A web form's public submission keys, stored hashed, in the form's partition. */
export function createSubmissionKeyRepository(doc: DynamoDBDocumentClient, tableName: string) {
  async function find(org: string, formId: string, keyId: string): Promise<StoredSubmissionKey | undefined> {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.submissionKey(org, formId, keyId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<StoredSubmissionKey>(Item) : undefined;
  }

  async function get(org: string, formId: string, keyId: string): Promise<StoredSubmissionKey> {
    const found = await find(org, formId, keyId);
    if (!found) throw new NotFoundError(`Submission key ${keyId} of form ${formId} not found`);
    return found;
  }

  async function list(org: string, formId: string): Promise<StoredSubmissionKey[]> {
    const items: StoredSubmissionKey[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.formPartition(org, formId), ':prefix': keys.submissionKeyPrefix },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []).map((item) => withoutKeys<StoredSubmissionKey>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** Creates (expectedVersion 0) or replaces a key, guarded on the version read, with its audit entry. */
  async function save(org: string, record: StoredSubmissionKey, expectedVersion: number, entry: AuditEntry) {
    await writeTransaction(
      doc,
      [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.submissionKey(org, record.formId, record.id), kind: 'submission-key', ...record },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
            ...(expectedVersion === 0
              ? {}
              : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        },
        auditPut(tableName, keys.submissionKeyPartition(org, record.id), entry),
      ],
      () => new ConflictError(`Submission key ${record.id} was changed by another request; retry`),
    );
  }

  return { find, get, list, save };
}

export type SubmissionKeyRepository = ReturnType<typeof createSubmissionKeyRepository>;
