import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit/chain';
import { ConflictError, NotFoundError } from '../../domain/shared/errors';
import type { SignalSource } from '../../domain/signals/schema';
import type { WebhookSecret } from '../../domain/signals/webhook-secret';
import { keys } from './keys';
import { auditPut, withoutKeys, writeTransaction } from './transactions';

// The table is encrypted at rest; in the cloud a KMS customer key on the table covers these items too.
export function createWebhookSecretRepository(doc: DynamoDBDocumentClient, tableName: string) {
  async function find(org: string, source: SignalSource): Promise<WebhookSecret | undefined> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.webhookSecret(org, source), ConsistentRead: true }));
    return Item ? withoutKeys<WebhookSecret>(Item) : undefined;
  }

  async function get(org: string, source: SignalSource): Promise<WebhookSecret> {
    const found = await find(org, source);
    if (!found) throw new NotFoundError(`No ${source} webhook secret is configured`);
    return found;
  }

  /** Creates (expectedVersion 0) or replaces a secret record, guarded on the version read, with its audit entry. */
  async function save(org: string, secret: WebhookSecret, expectedVersion: number, entry: AuditEntry) {
    await writeTransaction(
      doc,
      [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.webhookSecret(org, secret.source), kind: 'webhook-secret', ...secret },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
            ...(expectedVersion === 0
              ? {}
              : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
          },
        },
        auditPut(tableName, keys.webhookSecretPartition(org, secret.source), entry),
      ],
      () =>
        new ConflictError(
          expectedVersion === 0
            ? `A ${secret.source} webhook secret already exists; rotate it instead`
            : `The ${secret.source} webhook secret was changed by another request; retry`,
        ),
    );
  }

  return { find, get, save };
}

export type WebhookSecretRepository = ReturnType<typeof createWebhookSecretRepository>;
