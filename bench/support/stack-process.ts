// One component of the local stack as its own OS process, so that benchmarks can measure its memory and
// chaos tests can kill -9 it: ROLE=api (Hono app + Inngest serve endpoint + outbox relay) or ROLE=executor.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { systemClock } from '../../domain/shared/clock';
import { createApp } from '../../functions/api/app';
import { buildAppDeps } from '../../functions/deps';
import { INNGEST_PATH, mountInngestEndpoint } from '../../functions/inngest-endpoint';
import { startNodeServer } from '../../functions/node-server';
import { inngestClientOptions, loadConfig } from '../../infra/config';
import { startExecutor, VirtualClock } from '../../infra/local/executor';
import { createLogger } from '../../infra/log';
import { createWorkflows } from '../../workflows';

export const READY_MARKER = '@@ready ';

async function startApi() {
  const config = loadConfig();
  const deps = buildAppDeps(config, { clock: systemClock });
  const app = createApp(deps);
  mountInngestEndpoint(app, createWorkflows(deps, inngestClientOptions(config)));
  const api = await startNodeServer(app, config.PORT);
  // Events whose first delivery failed (executor down) are relayed again, as `npm start` does.
  const relayMs = Number(process.env.RELAY_INTERVAL_MS ?? 1000);
  setInterval(() => void deps.outbox.relayPending(systemClock.now(), relayMs).catch(() => undefined), relayMs).unref();
  return api.url;
}

async function startExecutorRole() {
  const config = loadConfig();
  const executor = await startExecutor({
    port: config.EXECUTOR_PORT,
    dynamo: { region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT },
    tableName: `${config.TABLE_NAME}-executor`,
    // EXECUTOR_CLOCK=virtual: a virtual clock that starts at the real now (moved with POST /dev/clock).
    clock: process.env.EXECUTOR_CLOCK === 'virtual' ? new VirtualClock(Date.now()) : 'real',
    logger: createLogger(config.LOG_LEVEL, { component: 'executor' }),
  });
  // The API may be restarting: keep syncing until it answers (the synced app is stored, so a restart
  // of the executor alone works from its table at once).
  const appUrl = `${process.env.APP_URL}${INNGEST_PATH}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await executor.registerApp(appUrl);
      break;
    } catch (error) {
      if (attempt > 600) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return executor.url;
}

const role = process.env.ROLE;
(role === 'api'
  ? startApi()
  : role === 'executor'
    ? startExecutorRole()
    : Promise.reject(new Error(`ROLE must be api or executor, not ${role}`))
)
  .then((url) => process.stdout.write(`${READY_MARKER}${url}\n`))
  .catch((error) => {
    process.stderr.write(`${role}: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
