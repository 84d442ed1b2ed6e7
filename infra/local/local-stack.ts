import type { Config } from '../config';
import { createDynamoClients } from '../dynamo/client';
import { ensureTable } from '../dynamo/ensure-table';
import { migrateEmbeddedObligations } from './migrate-embedded-obligations';
import { startDynamoLocal } from './dynamodb-local';
import { assertPortFree } from './ports';
import { startSesLocal } from './ses-local';

export interface LocalServices {
  dynamoEndpoint: string;
  sesEndpoint: string;
  emailViewerUrl?: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local and the SES endpoint unless the environment points at existing ones, then ensures the table. */
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
    const { raw, doc } = createDynamoClients({ region: config.AWS_REGION, endpoint: dynamoEndpoint });
    await ensureTable(raw, config.TABLE_NAME);
    if (options.persist) {
      const moved = await migrateEmbeddedObligations(doc, config.TABLE_NAME);
      if (moved > 0) console.log(`Moved the obligations of ${moved} incident(s) stored by an earlier version into their own items.`);
    }
    raw.destroy();
    return { dynamoEndpoint, sesEndpoint, emailViewerUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
