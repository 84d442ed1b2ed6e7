import type { TestProject } from 'vitest/node';
import { createDynamoClients } from '../../infra/dynamo/client';
import { ensureTable } from '../../infra/dynamo/ensure-table';
import { startDynamoLocal } from '../../infra/local/dynamodb-local';
import { findFreePort } from '../../infra/local/ports';
import { startS3Local } from '../../infra/local/s3-local';
import { startSesLocal } from '../../infra/local/ses-local';
import { startTransactionConflictProxy } from './transaction-conflict-proxy';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local behind the transaction-conflict proxy: conflicts surface as real DynamoDB reports them. */
    dynamoEndpoint: string;
    /** DynamoDB Local itself, for what must bypass the proxy. */
    dynamoDirectEndpoint: string;
    sesEndpoint: string;
    /** The local S3-compatible endpoint holding the evidence bucket. */
    s3Endpoint: string;
    tableName: string;
  }
}

/**
 * Real DynamoDB Local (in memory) behind the transaction-conflict proxy, the real local SES endpoint and the
 * local S3 endpoint, once per run on free ports. DynamoDB Local serialises transactions, so without the proxy overlapping
 * writes that real DynamoDB would cancel pass every test.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [dynamoPort, sesPort] = [await findFreePort(), await findFreePort()];
  const dynamo = await startDynamoLocal({ port: dynamoPort, timeoutMs: 60_000 });
  const ses = await startSesLocal(sesPort);
  const s3 = await startS3Local({ port: 0, bucket: 'breach-response-evidence' });
  const proxy = await startTransactionConflictProxy(dynamo.endpoint);
  const tableName = `breach-response-test`;
  const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
  await ensureTable(raw, tableName);
  raw.destroy();
  project.provide('dynamoEndpoint', proxy.url);
  project.provide('dynamoDirectEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('tableName', tableName);
  return async () => {
    const { transactions, conflicts, singleWriteConflicts } = proxy.stats();
    console.log(
      `transaction-conflict proxy: ${transactions} transactions, ${conflicts} cancelled by conflict, ${singleWriteConflicts} single writes refused`,
    );
    await proxy.stop();
    await ses.stop();
    await s3.stop();
    await dynamo.stop();
  };
}
