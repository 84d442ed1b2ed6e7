import { serve as serveNode } from '@hono/node-server';
import { Hono } from 'hono';
import { Inngest, type InngestFunction } from 'inngest';
import { serve } from 'inngest/hono';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { startExecutor, VirtualClock, type RunningExecutor, type Run } from '../../infra/local/executor';
import { createLogger } from '../../infra/log';

export interface ExecutorHarness {
  executor: RunningExecutor;
  clock: VirtualClock;
  inngest: Inngest.Any;
  appUrl: string;
  tableName: string;
  /** Sends events through the SDK client (real HTTP to `POST /e/{key}`) and waits until the executor is idle. */
  send(
    events: { name: string; data?: Record<string, unknown>; id?: string } | { name: string; data?: Record<string, unknown>; id?: string }[],
  ): Promise<string[]>;
  /** Advances the virtual clock (firing due timers in order) and waits for the resulting work. */
  advance(ms: number): Promise<void>;
  runsFor(eventId: string): Promise<Run[]>;
  onlyRunFor(eventId: string): Promise<Run>;
  /** Stops the executor (as a crash would: in-flight calls are abandoned) without stopping the app. */
  stopExecutor(): Promise<void>;
  /** Stops the executor if it runs and starts a fresh one on the same table, clock and port. */
  restartExecutor(): Promise<void>;
  stop(): Promise<void>;
}

/** A real Inngest SDK app served by Hono over HTTP, driven by the local executor on a virtual clock. */
export async function startExecutorHarness(
  build: (inngest: Inngest.Any) => InngestFunction.Any[],
  options: {
    signingKey?: string;
    appId?: string /** false: the app is not synced at start (a brand-new table). */;
    syncAtStart?: boolean;
  } = {},
): Promise<ExecutorHarness> {
  const tableName = `executor-${randomUUID().slice(0, 8)}`;
  const clock = new VirtualClock(Date.UTC(2030, 0, 1, 9));
  const logger = createLogger('silent');
  const dynamo = { region: 'us-east-1', endpoint: inject('dynamoEndpoint') };
  let executor = await startExecutor({ port: 0, dynamo, tableName, clock, logger, signingKey: options.signingKey });
  const inngest = options.signingKey
    ? new Inngest({
        id: options.appId ?? 'executor-test',
        isDev: false,
        baseUrl: executor.url,
        signingKey: options.signingKey,
        eventKey: 'test-key',
        logger: silentSdkLogger,
      })
    : new Inngest({ id: options.appId ?? 'executor-test', isDev: true, baseUrl: executor.url, logger: silentSdkLogger });
  const app = new Hono();
  app.on(['GET', 'PUT', 'POST'], '/api/inngest', serve({ client: inngest, functions: build(inngest) }));
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  if (options.syncAtStart !== false) await executor.registerApp(appUrl);

  let executorStopped = false;
  const harness: ExecutorHarness = {
    get executor() {
      return executor;
    },
    clock,
    inngest,
    appUrl,
    tableName,
    async send(events) {
      const { ids } = await inngest.send(events as never);
      await executor.idle();
      return ids;
    },
    async advance(ms) {
      await clock.advance(ms);
      await executor.idle();
    },
    runsFor: (eventId) => executor.listRuns({ eventId }),
    async onlyRunFor(eventId) {
      const runs = await executor.listRuns({ eventId });
      if (runs.length !== 1) throw new Error(`expected one run for event ${eventId}, found ${runs.length}`);
      return (await executor.getRun(runs[0]!.runId))!;
    },
    async stopExecutor() {
      if (executorStopped) return;
      executorStopped = true;
      await executor.stop();
    },
    async restartExecutor() {
      const port = executor.port;
      await harness.stopExecutor();
      executorStopped = false;
      executor = await startExecutor({ port, dynamo, tableName, clock, logger, signingKey: options.signingKey });
      await executor.idle();
    },
    async stop() {
      await harness.stopExecutor();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
  return harness;
}

const noop = () => undefined;
const silentSdkLogger = { info: noop, warn: noop, error: noop, debug: noop };
