// The AWS SDK warns on every client about Node 20's end of support; the README states the Node policy once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { systemClock } from '../../domain/shared/clock';
import { createApp } from '../../functions/api/app';
import { buildAppDeps } from '../../functions/deps';
import { INNGEST_PATH, mountInngestEndpoint } from '../../functions/inngest-endpoint';
import { startNodeServer } from '../../functions/node-server';
import { createWorkflows } from '../../workflows';
import { ConfigError, inngestClientOptions, loadConfig } from '../config';
import { startExecutor, startExecutorThread, VirtualClock } from './executor';
import { startLocalServices } from './local-stack';
import { mintDevToken } from './mint-token';
import { assertPortFree } from './ports';
import { StartupError } from './startup-error';

/** `npm start`: the whole system on one machine, no cloud and no internet. */
async function main() {
  const config = loadConfig();
  if (config.STAGE !== 'local') throw new StartupError(`npm start runs the local stack only (STAGE is ${config.STAGE})`);
  const virtualClock = process.argv.includes('--virtual-clock');
  await assertPortFree(config.PORT, 'PORT');
  await assertPortFree(config.EXECUTOR_PORT, 'EXECUTOR_PORT');
  // Registered before anything starts: Ctrl-C during start-up must still stop every child.
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const services = await startLocalServices(config, { persist: true, stops });

  const appConfig = {
    ...config,
    DYNAMODB_ENDPOINT: services.dynamoEndpoint,
    SES_ENDPOINT: services.sesEndpoint,
    S3_ENDPOINT: services.s3Endpoint,
  };
  // One clock for every component: with --virtual-clock it moves only through POST /dev/clock on the executor.
  const clock = virtualClock ? new VirtualClock(Date.now()) : systemClock;
  const deps = buildAppDeps(appConfig, { clock });
  const token = await mintDevToken(config.AUTH_JWT_SECRET, { org: 'default', sub: 'dev-admin', roles: ['admin', 'dpo'] });
  // The local API reference's try-it is pre-authorised with the dev token (the same one printed below).
  const app = createApp(deps, { docs: { devToken: token } });
  mountInngestEndpoint(app, createWorkflows(deps, inngestClientOptions(appConfig)));
  const api = await startNodeServer(app, config.PORT);
  stops.push(api.stop);
  const executorOptions = {
    port: config.EXECUTOR_PORT,
    dynamo: { region: config.AWS_REGION, endpoint: services.dynamoEndpoint },
    tableName: `${config.TABLE_NAME}-executor`,
    appUrls: [`${api.url}${INNGEST_PATH}`],
  };
  // On the real clock the executor runs on its own thread, so its timers do not wait behind API requests (nor the
  // API behind its DynamoDB traffic); a virtual clock is the app's own clock object, so it stays on this thread.
  const executor =
    clock instanceof VirtualClock
      ? await startExecutor({ ...executorOptions, clock, logger: deps.logger.child({ component: 'executor' }) })
      : await startExecutorThread({
          ...executorOptions,
          logLevel: config.LOG_LEVEL,
          logFields: { service: 'api', stage: config.STAGE, component: 'executor' },
          // A dead executor thread stops the whole stack (and its child processes) rather than leave runs unserved.
          onCrash: (error) => {
            deps.logger.error('the executor thread stopped; stopping everything', { error: error.message });
            void shutdown(1);
          },
        });
  stops.push(executor.stop);
  // Events whose first delivery failed (the executor was down, say) are sent again from the outbox.
  const relay = setInterval(() => void deps.outbox.relayPending(clock.now()).catch(() => undefined), 5_000);
  stops.push(async () => clearInterval(relay));
  // The default organisation is ready before the first request: breach types, the standard form, the workflow.
  await deps.ensureOrgProvisioned('default', clock.now());
  const lines = [
    '',
    'Breach Response is running locally.',
    `  API            ${api.url}/v1`,
    `  Health         ${api.url}/health`,
    `  API reference  ${api.url}/docs   (OpenAPI: ${api.url}/v1/openapi.json)`,
    `  Workflow runs  ${executor.url}/   (local Inngest-compatible executor${virtualClock ? '; virtual clock: POST /dev/clock {advanceMs}' : ''})`,
    `  Email viewer   ${services.emailViewerUrl ?? `(external SES endpoint ${services.sesEndpoint})`}`,
    `  Evidence (S3)  ${services.s3Endpoint}   (bucket ${config.EVIDENCE_BUCKET}${config.S3_ENDPOINT ? '' : `, files in ${config.DATA_DIR}/s3`})`,
    `  DynamoDB       ${services.dynamoEndpoint}   (data in ${config.DYNAMODB_ENDPOINT ? 'the external service' : config.DATA_DIR})`,
    '',
    '  Dev token (org "default", roles admin and dpo, valid 12 h):',
    `  ${token}`,
    '',
    `  Try: curl -H "Authorization: Bearer $TOKEN" ${api.url}/v1/me`,
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  const known = error instanceof StartupError || error instanceof ConfigError;
  process.stderr.write(`npm start: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
