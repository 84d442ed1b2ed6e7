import type { TestProject } from 'vitest/node';
import { createDynamoClients } from '../../infra/dynamo/client';
import { ensureTable } from '../../infra/dynamo/ensure-table';
import { startDynamoLocal } from '../../infra/local/dynamodb-local';
import { findFreePort } from '../../infra/local/ports';
import { startSesLocal } from '../../infra/local/ses-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
    tableName: string;
  }
}

/** Real DynamoDB Local (in memory) and the real local SES endpoint, once per run on free ports. */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const [dynamoPort, sesPort] = [await findFreePort(), await findFreePort()];
  const dynamo = await startDynamoLocal({ port: dynamoPort, timeoutMs: 60_000 });
  const ses = await startSesLocal(sesPort);
  const tableName = `breach-response-test`;
  const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
  await ensureTable(raw, tableName);
  raw.destroy();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  project.provide('tableName', tableName);
  return async () => {
    await ses.stop();
    await dynamo.stop();
  };
}
