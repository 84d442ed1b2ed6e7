import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';

/** Fixed-window counters in DynamoDB (atomic ADD), so every Lambda instance counts the same attempts. */
export function createRateLimitRepository(doc: DynamoDBDocumentClient, tableName: string) {
  /** Counts one attempt and returns the window's count including it. */
  async function hit(org: string, scope: string, subjectHash: string, windowStart: number, expiresAt: number): Promise<number> {
    const { Attributes } = await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.rateCounter(org, scope, subjectHash, windowStart),
        UpdateExpression: 'ADD #n :one SET #kind = :kind, expiresAt = if_not_exists(expiresAt, :exp)',
        ExpressionAttributeNames: { '#n': 'count', '#kind': 'kind' },
        ExpressionAttributeValues: { ':one': 1, ':kind': 'rate-counter', ':exp': expiresAt },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? 1);
  }

  return { hit };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
