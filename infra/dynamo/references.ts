import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../domain/shared/errors';

/**
 * Delete protection without a shared counter. Each incident writes a reference item of its own under the form and
 * the breach type it uses, so creations never touch a common item. A delete marks the resource `deletingAt` (new
 * creations then refuse it), waits out the creations that read it before the mark, counts the references with a
 * consistent Query, and only then deletes — or unmarks it and answers how many incidents use it.
 */

/** A creation sends its transaction within this long of reading the form and type it references (checked on the wall clock). */
export const MAX_CREATION_READ_AGE_MS = 1_000;
/** A delete waits this long after marking, so that every creation that read the resource before the mark has landed. */
const SETTLE_MS = 2 * MAX_CREATION_READ_AGE_MS;
/** A mark older than this was left by a delete that died; it no longer blocks creations or another delete. */
export const STALE_MARK_MS = 60_000;

export async function countReferences(doc: DynamoDBDocumentClient, tableName: string, partition: string): Promise<number> {
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
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** True while a delete is in progress (a fresh mark). */
export const isBeingDeleted = (resource: { deletingAt?: string }) =>
  Boolean(resource.deletingAt && Date.now() - Date.parse(resource.deletingAt) < STALE_MARK_MS);

/**
 * Marks, settles and counts; returns the mark to delete under (the delete's condition), or throws a 409 naming how
 * many incidents use the resource. The mark is taken on the wall clock, like the creations' read age.
 */
export async function claimUnreferenced(
  doc: DynamoDBDocumentClient,
  tableName: string,
  resource: { key: Record<string, string>; version: number; label: string; referencePartition: string },
): Promise<string> {
  const mark = new Date().toISOString();
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: resource.key,
        UpdateExpression: 'SET deletingAt = :mark',
        ConditionExpression: '#v = :v AND (attribute_not_exists(deletingAt) OR deletingAt < :stale)',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':mark': mark, ':v': resource.version, ':stale': new Date(Date.now() - STALE_MARK_MS).toISOString() },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new ConflictError(`${resource.label} was changed or is being deleted by another request; reload and retry`);
    throw error;
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const count = await countReferences(doc, tableName, resource.referencePartition);
  if (count > 0) {
    await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: resource.key,
          UpdateExpression: 'REMOVE deletingAt',
          ConditionExpression: 'deletingAt = :mark',
          ExpressionAttributeValues: { ':mark': mark },
        }),
      )
      .catch(() => undefined);
    throw new ConflictError(`${resource.label} is referenced by ${count} incident(s) and cannot be deleted`, { incidentCount: count });
  }
  return mark;
}
