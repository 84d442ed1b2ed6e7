import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createDynamoClients, type DynamoSettings } from '../../dynamo/client';
import { ensureTable } from '../../dynamo/ensure-table';
import { createLogger, type Logger } from '../../log';
import { StartupError } from '../startup-error';
import { realScheduler, VirtualClock, type Scheduler } from './clock';
import { ExecutionEngine, type TimerTrace } from './engine';
import { createHttpApi } from './http-api';
import { canonicalJson, signBody } from './signing';
import { ExecutorStore } from './store';
import { executorTableDefinition } from './table-definition';
import type { FunctionConfig, Run, RunStatus } from './types';

export interface ExecutorOptions {
  /** 0 picks a free port; the SDK looks for a dev server on 8288. */
  port?: number;
  host?: string;
  dynamo: DynamoSettings;
  /** The executor's own table, e.g. `${TABLE_NAME}-executor`; created when missing. */
  tableName: string;
  /** 'real' (default), 'virtual' (a new VirtualClock), or a VirtualClock shared with the caller. */
  clock?: 'real' | 'virtual' | VirtualClock;
  /** When set, every request to the app is signed (X-Inngest-Signature), as Inngest Cloud does. */
  signingKey?: string;
  /** When set, `POST /e/{key}` refuses other keys; otherwise any key is accepted, as the Dev Server does. */
  eventKey?: string;
  /** Serve endpoints to sync at start-up (more can be added with `registerApp`). */
  appUrls?: string[];
  logger?: Logger;
  /** Delay before retry number n, measured on the executor's clock; default 1 s doubling to 5 min. */
  retryBackoffMs?: (attempt: number) => number;
  /**
   * On a virtual clock, how many fired timers `POST /dev/clock` lets be under way at once (default 32, the call
   * slots; a body's `concurrency` overrides it). In-process `clock.advance()` fires one at a time unless told.
   */
  clockConcurrency?: number;
  /** Stage timestamps of timer-driven calls (benchmarks). */
  trace?: TimerTrace;
  /** Real clock: a sleeping run due within this long stays in memory (default 1 min); later ones are read shortly before. */
  hotWindowMs?: number;
}

export interface RunningExecutor {
  url: string;
  port: number;
  clock: Scheduler;
  /** Syncs the app whose `serve()` endpoint is at `url` (an in-band PUT, as the Inngest Dev Server does). */
  registerApp(url: string): Promise<{ appId: string; functions: string[] }>;
  /** Resolves when no run has work in flight (useful after sending events in tests). */
  idle(): Promise<void>;
  getRun(runId: string): Promise<Run | undefined>;
  listRuns(filter?: { functionId?: string; status?: RunStatus; eventId?: string; limit?: number }): Promise<Run[]>;
  stop(): Promise<void>;
}

/** Starts the local Inngest-compatible executor: DynamoDB-backed runs, timers and waits behind an HTTP API. */
export async function startExecutor(options: ExecutorOptions): Promise<RunningExecutor> {
  const logger = options.logger ?? createLogger('info', { component: 'executor' });
  const clock: Scheduler =
    options.clock === 'virtual' ? new VirtualClock() : options.clock instanceof VirtualClock ? options.clock : realScheduler;
  const { raw, doc } = createDynamoClients(options.dynamo);
  try {
    await ensureTable(raw, options.tableName, executorTableDefinition);
  } catch (error) {
    raw.destroy();
    throw new StartupError(`The executor could not prepare its table ${options.tableName}: ${(error as Error).message}`);
  }
  const store = new ExecutorStore(doc, options.tableName);
  const engine = new ExecutionEngine({
    store,
    clock,
    logger,
    signingKey: options.signingKey,
    retryBackoffMs: options.retryBackoffMs,
    trace: options.trace,
    hotWindowMs: options.hotWindowMs,
  });

  const registerApp = async (url: string) => {
    const body = canonicalJson({ url });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-inngest-sync-kind': 'in_band' };
    if (options.signingKey) headers['x-inngest-signature'] = signBody(body, options.signingKey);
    const response = await fetch(url, { method: 'PUT', headers, body });
    const text = await response.text();
    if (!response.ok) throw new Error(`Sync of ${url} failed with HTTP ${response.status}: ${text.slice(0, 300)}`);
    const answer = JSON.parse(text) as { app_id?: string; url?: string; functions?: FunctionConfig[] };
    if (response.headers.get('x-inngest-sync-kind') === 'in_band' && answer.app_id && Array.isArray(answer.functions)) {
      const app = await engine.registerApp({ appId: answer.app_id, url: answer.url ?? url, functions: answer.functions });
      return { appId: app.appId, functions: app.functions.map((f) => f.id) };
    }
    // Out-of-band: the SDK has already posted its configuration to /fn/register.
    const app = [...engine.apps.values()].find((a) => new URL(a.url).origin === new URL(url).origin);
    if (!app) throw new Error(`Sync of ${url} did not register any app: ${text.slice(0, 300)}`);
    return { appId: app.appId, functions: app.functions.map((f) => f.id) };
  };

  const http = createHttpApi({
    engine,
    store,
    clock,
    eventKey: options.eventKey,
    syncApp: registerApp,
    clockConcurrency: options.clockConcurrency,
  });
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: http.fetch, port: options.port ?? 8288, hostname: host }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new StartupError(`Port ${options.port} is already in use; free it or set EXECUTOR_PORT`) : error,
      ),
    );
  }).catch((error) => {
    raw.destroy();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;

  await engine.load();
  const unsettle = clock instanceof VirtualClock ? clock.onSettle(() => engine.idle()) : () => undefined;
  for (const appUrl of options.appUrls ?? []) await registerApp(appUrl);
  logger.info('executor listening', { url, clock: clock.kind, table: options.tableName });

  return {
    url,
    port,
    clock,
    registerApp,
    idle: () => engine.idle(),
    getRun: (runId) => store.getRun(runId),
    listRuns: (filter = {}) => store.listRuns({ limit: 500, ...filter }),
    async stop() {
      unsettle();
      await engine.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      raw.destroy();
    },
  };
}
