import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';

/** Deliveries are recorded in the partition of what they are about: an incident, or a webhook subscription. */
export type Ledger = { org: string; incidentId: string } | { org: string; subscriptionId: string };

const partitionOf = (ledger: Ledger) =>
  'incidentId' in ledger
    ? keys.incidentPartition(ledger.org, ledger.incidentId)
    : keys.webhookSubscriptionPartition(ledger.org, ledger.subscriptionId);

export type DeliveryClaim = 'claimed' | 'already-sent' | 'in-doubt';

/**
 * Emails are sent at most once per (incident, purpose, recipient): a step claims the delivery before
 * calling SES and records the message id after. A retry that finds a claim without a message id cannot
 * know whether SES accepted the first attempt; it reports "in doubt" instead of sending a duplicate.
 */
export function createDeliveryRepository(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    async claim(ledger: Ledger, deliveryKey: string, now: Date): Promise<DeliveryClaim> {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.delivery(partitionOf(ledger), deliveryKey), kind: 'delivery', state: 'sending', claimedAt: now.toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await doc.send(
          new GetCommand({ TableName: tableName, Key: keys.delivery(partitionOf(ledger), deliveryKey), ConsistentRead: true }),
        );
        return Item?.state === 'sent' ? 'already-sent' : 'in-doubt';
      }
    },
    async markSent(ledger: Ledger, deliveryKey: string, messageId: string, to: string[], subject: string, now: Date) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.delivery(partitionOf(ledger), deliveryKey),
          UpdateExpression: 'SET #state = :sent, messageId = :id, sentAt = :at, #to = :to, subject = :subject',
          ExpressionAttributeNames: { '#state': 'state', '#to': 'to' },
          ExpressionAttributeValues: { ':sent': 'sent', ':id': messageId, ':at': now.toISOString(), ':to': to, ':subject': subject },
        }),
      );
    },
    /** SES refused the message, so nothing was sent: the claim is released for the retry. */
    async release(ledger: Ledger, deliveryKey: string) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.delivery(partitionOf(ledger), deliveryKey) }));
    },
  };
}

export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
