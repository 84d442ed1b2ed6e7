import { serve as serveNode } from '@hono/node-server';
import { Hono } from 'hono';
import { Inngest } from 'inngest';
import { serve } from 'inngest/hono';
import type { AddressInfo } from 'node:net';
import { startExecutor } from '../infra/local/executor';
import { createLogger } from '../infra/log';
import { log, percentile, round } from './support/stats';

export interface TimerResult {
  runs: number;
  fired: number;
  spreadMs: number;
  intakeMs: number;
  executor: { p50Ms: number; p99Ms: number; maxMs: number };
  setTimeoutBaseline: { p50Ms: number; p99Ms: number; maxMs: number };
}

const summary = (values: number[]) => ({ p50Ms: round(percentile(values, 0.5)), p99Ms: round(percentile(values, 0.99)), maxMs: round(Math.max(...values)) });

/**
 * 1,000 runs `sleepUntil` due times spread evenly over 60 s on the real clock; lateness is measured where the
 * workflow resumes (in the app). Baseline: plain setTimeout for the same due times in this same process.
 */
export async function benchTimers(dynamoEndpoint: string, opts = { total: 1000, leadMs: 10_000, spreadMs: 60_000 }): Promise<TimerResult> {
  const executor = await startExecutor({ port: 0, dynamo: { region: 'us-east-1', endpoint: dynamoEndpoint }, tableName: `bench-timers-${Date.now()}`, logger: createLogger('error') });
  const lateness: number[] = [];
  const baseline: number[] = [];
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const inngest = new Inngest({ id: 'bench-timers', isDev: true, baseUrl: executor.url, logger: { info() {}, warn() {}, error() {}, debug() {} } });
  const sleeper = inngest.createFunction({ id: 'sleep-once', triggers: { event: 'bench/sleep' } }, async ({ event, step }) => {
    const due = String(event.data.due);
    await step.sleepUntil('until-due', due);
    await step.run('woke', () => {
      lateness.push(Date.now() - Date.parse(due));
      if (lateness.length === opts.total) finished();
    });
  });
  const app = new Hono();
  app.on(['GET', 'PUT', 'POST'], '/api/inngest', serve({ client: inngest, functions: [sleeper] }));
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  try {
    await executor.registerApp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`);
    const start = Date.now();
    const dues = Array.from({ length: opts.total }, (_, i) => start + opts.leadMs + Math.round((opts.spreadMs * i) / opts.total));
    for (const due of dues) setTimeout(() => baseline.push(Date.now() - due), due - Date.now());
    log(`item 3: ${opts.total} sleeps due over ${opts.spreadMs / 1000} s, starting in ${opts.leadMs / 1000} s`);
    const events = dues.map((due) => ({ name: 'bench/sleep', data: { due: new Date(due).toISOString() } }));
    for (let i = 0; i < events.length; i += 100) await inngest.send(events.slice(i, i + 100));
    const intakeMs = Date.now() - start;
    await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, opts.leadMs + opts.spreadMs + 120_000))]);
    return { runs: opts.total, fired: lateness.length, spreadMs: opts.spreadMs, intakeMs, executor: summary(lateness), setTimeoutBaseline: summary(baseline) };
  } finally {
    await executor.stop();
    server.close();
  }
}
