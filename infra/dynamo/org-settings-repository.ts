import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrgSettings, OrgSettingsInput } from '../../domain/org-settings/schema';
import { ConflictError } from '../../domain/shared/errors';
import { keys } from './keys';
import { withoutKeys } from './transactions';

export function createOrgSettingsRepository(doc: DynamoDBDocumentClient, tableName: string) {
  return {
    async get(org: string): Promise<OrgSettings> {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.orgSettings(org), ConsistentRead: true }));
      return Item ? withoutKeys<OrgSettings>(Item) : { version: 0, updatedAt: null };
    },
    /** Replaces the settings, guarded by the version the caller read (0 when none were saved yet). */
    async put(org: string, settings: OrgSettingsInput, expectedVersion: number, now: Date): Promise<OrgSettings> {
      const next: OrgSettings = { ...settings, version: expectedVersion + 1, updatedAt: now.toISOString() };
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.orgSettings(org), kind: 'org-settings', ...next },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :v',
            ...(expectedVersion === 0
              ? {}
              : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException)
          throw new ConflictError('The settings were changed by another request; reload and retry');
        throw error;
      }
      return next;
    },
  };
}

export type OrgSettingsRepository = ReturnType<typeof createOrgSettingsRepository>;
