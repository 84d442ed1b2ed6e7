import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notification } from '../../domain/notifications/schema';
import { NotFoundError } from '../../domain/shared/errors';
import { keys } from './keys';
import { withoutKeys, type TransactItem } from './transactions';

/** Notifications live in their incident's partition; a pointer item finds them by id alone. */
export function createNotificationRepository(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    createItems(org: string, notification: Notification): TransactItem[] {
      return [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.notification(org, notification.incidentId, notification.id), kind: 'notification', ...notification },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.notificationPointer(org, notification.id), kind: 'notification-pointer', incidentId: notification.incidentId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },
    /** Replaces a notification guarded by the version the caller read. */
    replaceItem(org: string, current: Notification, next: Notification): TransactItem {
      return {
        Put: {
          TableName: tableName,
          Item: { ...keys.notification(org, current.incidentId, current.id), kind: 'notification', ...next },
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': current.version },
        },
      };
    },
    async get(org: string, notificationId: string): Promise<Notification> {
      const pointer = await doc.send(new GetCommand({ TableName: tableName, Key: keys.notificationPointer(org, notificationId), ConsistentRead: true }));
      const incidentId = pointer.Item?.incidentId as string | undefined;
      const { Item } = incidentId
        ? await doc.send(new GetCommand({ TableName: tableName, Key: keys.notification(org, incidentId, notificationId), ConsistentRead: true }))
        : { Item: undefined };
      if (!Item) throw new NotFoundError(`Notification ${notificationId} not found`);
      return withoutKeys<Notification>(Item);
    },
    async listForIncident(org: string, incidentId: string): Promise<Notification[]> {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.incidentPartition(org, incidentId), ':prefix': keys.notificationPrefix },
          ConsistentRead: true,
        }),
      );
      return (page.Items ?? []).map((item) => withoutKeys<Notification>(item));
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
