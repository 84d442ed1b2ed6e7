// One component of the local stack as its own OS process, so that benchmarks can measure its memory and
// chaos tests can kill -9 it: ROLE=api (Hono app + Inngest serve endpoint + outbox relay) or ROLE=executor.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { loadConfig } from '../../infra/config';
import { createLogger } from '../../infra/log';

export const READY_MARKER = '@@ready ';

// Each role imports only its own code: the executor process does not load the API, its routes and its AWS clients
// (about 20 MB of heap and code that it would never run, counted in its RSS).
async function startApi() {
  const [
    { systemClock },
    { createApp },
    { buildAppDeps },
    { mountInngestEndpoint },
    { startNodeServer },
    { inngestClientOptions },
    { createWorkflows },
  ] = await Promise.all([
    import('../../domain/shared/clock'),
    import('../../functions/api/app'),
    import('../../functions/deps'),
    import('../../functions/inngest-endpoint'),
    import('../../functions/node-server'),
    import('../../infra/config'),
    import('../../workflows'),
  ]);
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
  const { startExecutor, VirtualClock } = await import('../../infra/local/executor');
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
  // The serve URL comes whole from spawn-stack: importing INNGEST_PATH here would load the Inngest SDK (~25 MB) for one string.
  const appUrl = process.env.APP_INNGEST_URL!;
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
