import { join } from 'node:path';
import type { Config } from '../config';
import { createDynamoClients } from '../dynamo/client';
import { backfillIncidentFilterKeys } from './backfill-incident-filter-keys';
import { ensureTable } from '../dynamo/ensure-table';
import { migrateEmbeddedObligations } from './migrate-embedded-obligations';
import { startDynamoLocal } from './dynamodb-local';
import { assertPortFree } from './ports';
import { startS3Local } from './s3-local';
import { startSesLocal } from './ses-local';

export interface LocalServices {
  dynamoEndpoint: string;
  sesEndpoint: string;
  s3Endpoint: string;
  emailViewerUrl?: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local, the SES endpoint and the S3 endpoint unless the environment points at existing ones, then ensures the table. */
export async function startLocalServices(
  config: Config,
  options: { persist: boolean; stops?: (() => Promise<void>)[] } = { persist: true },
): Promise<LocalServices> {
  // The caller may pass its own list so that a signal during start-up can stop what has started so far.
  const stops = options.stops ?? [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    let dynamoEndpoint = config.DYNAMODB_ENDPOINT;
    if (!dynamoEndpoint) {
      await assertPortFree(config.DYNAMODB_LOCAL_PORT, 'DYNAMODB_LOCAL_PORT');
      const dynamo = await startDynamoLocal({ port: config.DYNAMODB_LOCAL_PORT, dataDir: options.persist ? config.DATA_DIR : undefined });
      stops.push(dynamo.stop);
      dynamoEndpoint = dynamo.endpoint;
    }
    let sesEndpoint = config.SES_ENDPOINT;
    let emailViewerUrl: string | undefined;
    if (!sesEndpoint) {
      await assertPortFree(config.SES_LOCAL_PORT, 'SES_LOCAL_PORT');
      const ses = await startSesLocal(config.SES_LOCAL_PORT);
      stops.push(ses.stop);
      sesEndpoint = ses.endpoint;
      emailViewerUrl = ses.viewerUrl;
    }
    let s3Endpoint = config.S3_ENDPOINT;
    if (!s3Endpoint) {
      await assertPortFree(config.S3_LOCAL_PORT, 'S3_LOCAL_PORT');
      const s3 = await startS3Local({
        port: config.S3_LOCAL_PORT,
        bucket: config.EVIDENCE_BUCKET,
        directory: options.persist ? join(config.DATA_DIR, 's3') : undefined,
      });
      stops.push(s3.stop);
      s3Endpoint = s3.endpoint;
    }
    const { raw, doc } = createDynamoClients({ region: config.AWS_REGION, endpoint: dynamoEndpoint });
    await ensureTable(raw, config.TABLE_NAME);
    if (options.persist) {
      const moved = await migrateEmbeddedObligations(doc, config.TABLE_NAME);
      if (moved > 0) console.log(`Moved the obligations of ${moved} incident(s) stored by an earlier version into their own items.`);
      const indexed = await backfillIncidentFilterKeys(doc, config.TABLE_NAME);
      if (indexed > 0)
        console.log(`Added the stage, status and severity index keys to ${indexed} incident(s) stored by an earlier version.`);
    }
    raw.destroy();
    return { dynamoEndpoint, sesEndpoint, s3Endpoint, emailViewerUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
