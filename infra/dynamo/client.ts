import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoSettings {
  region: string;
  endpoint?: string;
}

/** Local endpoints accept any credentials; in AWS the default provider chain supplies real ones. */
export function createDynamoClients({ region, endpoint }: DynamoSettings) {
  const raw = new DynamoDBClient({
    region,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 5,
  });
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { raw, doc };
}

export type DynamoClients = ReturnType<typeof createDynamoClients>;
