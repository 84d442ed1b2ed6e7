import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { keys } from './keys';

export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export type IdempotencyRecord = { fingerprint: string; state: 'pending' } | { fingerprint: string; state: 'done'; response: StoredResponse };

const RETENTION_SECONDS = 24 * 3600;

export function createIdempotencyRepository(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Claims the key for this request; returns the existing record when another request holds it. */
    async claim(org: string, keyHash: string, fingerprint: string, now: Date): Promise<IdempotencyRecord | undefined> {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.idempotency(org, keyHash), kind: 'idempotency', fingerprint, state: 'pending', expiresAt: nowSeconds + RETENTION_SECONDS },
            // TTL deletion is lazy, so an expired record counts as absent.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': nowSeconds },
          }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.idempotency(org, keyHash), ConsistentRead: true }));
        return Item as IdempotencyRecord | undefined;
      }
    },
    async complete(org: string, keyHash: string, fingerprint: string, response: StoredResponse, now: Date) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.idempotency(org, keyHash),
            kind: 'idempotency',
            fingerprint,
            state: 'done',
            response,
            expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
          },
        }),
      );
    },
    async release(org: string, keyHash: string) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.idempotency(org, keyHash) }));
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
