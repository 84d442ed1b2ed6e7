import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { keys } from './keys';

export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export type IdempotencyRecord =
  | { fingerprint: string; state: 'pending' }
  | { fingerprint: string; state: 'done'; response: StoredResponse };

const RETENTION_SECONDS = 24 * 3600;
/** A claim whose request died (a crashed process) is abandoned after this long and may be claimed again. */
const LEASE_SECONDS = 30;

export function createIdempotencyRepository(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Claims the key for this request; returns the existing record when another request holds it. */
    async claim(org: string, keyHash: string, fingerprint: string, now: Date): Promise<IdempotencyRecord | undefined> {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.idempotency(org, keyHash),
              kind: 'idempotency',
              fingerprint,
              state: 'pending',
              leaseUntil: nowSeconds + LEASE_SECONDS,
              expiresAt: nowSeconds + RETENTION_SECONDS,
            },
            // TTL deletion is lazy, so an expired record counts as absent; so does a pending claim whose lease ran out.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :pending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':now': nowSeconds, ':pending': 'pending' },
          }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await doc.send(
          new GetCommand({ TableName: tableName, Key: keys.idempotency(org, keyHash), ConsistentRead: true }),
        );
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
    /** Written in the same transaction as the incident a key creates, so a retry after a crash finds it. */
    creationGuard(org: string, keyHash: string, incidentId: string, now: Date) {
      return {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.idempotentCreation(org, keyHash),
            kind: 'idempotent-creation',
            incidentId,
            expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    },
    async createdBy(org: string, keyHash: string): Promise<string | undefined> {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.idempotentCreation(org, keyHash), ConsistentRead: true }),
      );
      return Item?.incidentId as string | undefined;
    },
    async release(org: string, keyHash: string) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.idempotency(org, keyHash) }));
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
