import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notification } from '../../domain/notifications/schema';
import { NotFoundError } from '../../domain/shared/errors';
import { keys } from './keys';
import { withoutKeys } from './transactions';

/**
 * Notifications are items of their incident's collection, written through the incident's audited-change path; a
 * pointer item written with each finds it by its id alone.
 */
export function createNotificationRepository(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(org: string, notificationId: string): Promise<Notification> {
      const pointer = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.notificationPointer(org, notificationId), ConsistentRead: true }),
      );
      const incidentId = pointer.Item?.incidentId as string | undefined;
      const { Item } = incidentId
        ? await doc.send(
            new GetCommand({ TableName: tableName, Key: keys.notification(org, incidentId, notificationId), ConsistentRead: true }),
          )
        : { Item: undefined };
      if (!Item) throw new NotFoundError(`Notification ${notificationId} not found`);
      return withoutKeys<Notification>(Item);
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
