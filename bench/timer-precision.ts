import { Inngest } from 'inngest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startExecutorThread } from '../infra/local/executor';
import { serveInngestApp } from '../infra/local/serve-inngest-app';
import { log, percentile, round } from './support/stats';

export interface TimerResult {
  runs: number;
  fired: number;
  spreadMs: number;
  intakeMs: number;
  /** How long before the first due time every run was asleep (negative: the first timers fell due while runs were still being put to sleep). */
  asleepBeforeFirstDueMs: number;
  executor: { p50Ms: number; p99Ms: number; maxMs: number };
  setTimeoutBaseline: { p50Ms: number; p99Ms: number; maxMs: number };
  /** How far the wall clock moved against the monotonic clock during the run (time sync); the executor's lateness is on the wall clock. */
  wallClockStepMs: number;
  /** BENCH_TRACE: lateness at each stage of the path from the executor's timer to the step (ms after the due time). */
  stages?: Record<'timerFired' | 'callSent' | 'appReceived' | 'stepRan', { p50Ms: number; p99Ms: number; maxMs: number }>;
}

const summary = (values: number[]) => ({
  p50Ms: round(percentile(values, 0.5)),
  p99Ms: round(percentile(values, 0.99)),
  maxMs: round(Math.max(...values)),
});

/**
 * 1,000 runs `sleepUntil` due times spread evenly over 60 s on the real clock; lateness is measured where the
 * workflow resumes (in the app). Baseline: plain setTimeout for the same due times in this same process. The first
 * due time is `leadMs` after the events are sent: putting 1,000 runs to sleep (their first app calls) keeps this process
 * busy for 10–20 s on 2 cores, and a timer due in that backlog measures the backlog, for setTimeout as for the executor.
 */
export async function benchTimers(
  dynamoEndpoint: string,
  opts: { total: number; leadMs: number; spreadMs: number; trace?: boolean } = { total: 1000, leadMs: 30_000, spreadMs: 60_000 },
): Promise<TimerResult> {
  // Per run: its due time (from its sleep job) and the first instant it reached each stage after its timer fired.
  const traced = new Map<string, { due: number; fired: number; sent?: number; received?: number }>();
  // On its own thread, as `npm start` runs it: the app's event loop (where lateness is measured) runs only the app.
  const executor = await startExecutorThread({
    port: 0,
    dynamo: { region: 'us-east-1', endpoint: dynamoEndpoint },
    tableName: `bench-timers-${Date.now()}`,
    logLevel: 'error',
    trace: opts.trace
      ? {
          fired: (job, at) => {
            if (job.kind === 'sleep') traced.set(job.runId, { due: job.dueAt, fired: at });
          },
          callSent: (runId, at) => {
            const t = traced.get(runId);
            if (t && t.sent === undefined) t.sent = at;
          },
        }
      : undefined,
  });
  const lateness: number[] = [];
  const baseline: number[] = [];
  let wallClockStepMs = 0;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const inngest = new Inngest({
    id: 'bench-timers',
    isDev: true,
    baseUrl: executor.url,
    logger: { info() {}, warn() {}, error() {}, debug() {} },
  });
  const sleeper = inngest.createFunction({ id: 'sleep-once', triggers: { event: 'bench/sleep' } }, async ({ event, step }) => {
    const due = String(event.data.due);
    await step.sleepUntil('until-due', due);
    await step.run('woke', () => {
      lateness.push(Date.now() - Date.parse(due));
      if (lateness.length === opts.total) finished();
    });
  });
  const served = await serveInngestApp(inngest, [sleeper], (runId) => {
    const t = traced.get(runId);
    if (t && t.received === undefined) t.received = Date.now();
  });
  try {
    await executor.registerApp(served.url);
    const start = Date.now();
    const dues = Array.from({ length: opts.total }, (_, i) => start + opts.leadMs + Math.round((opts.spreadMs * i) / opts.total));
    // The baseline's lateness is read on the monotonic clock its timers run on: a step of the wall clock (a VM's time
    // sync) would otherwise count as lateness of every timer armed before it. One run read a baseline p50 of 298 ms so.
    const wallAhead = () => Date.now() - performance.now();
    const wallAheadAtStart = wallAhead();
    for (const due of dues) {
      const target = performance.now() + (due - Date.now());
      setTimeout(() => {
        baseline.push(performance.now() - target);
        wallClockStepMs = Math.max(wallClockStepMs, Math.abs(wallAhead() - wallAheadAtStart));
      }, due - Date.now());
    }
    log(`item 3: ${opts.total} sleeps due over ${opts.spreadMs / 1000} s, starting in ${opts.leadMs / 1000} s`);
    const events = dues.map((due) => ({ name: 'bench/sleep', data: { due: new Date(due).toISOString() } }));
    for (let i = 0; i < events.length; i += 100) {
      const t0 = Date.now();
      await inngest.send(events.slice(i, i + 100));
      if (process.env.BENCH_TRACE) log(`send ${i / 100}: ${Date.now() - t0} ms`);
    }
    const intakeMs = Date.now() - start;
    const asleepBeforeFirstDueMs = dues[0]! - (await allAsleep(executor.url, opts.total, dues.at(-1)!));
    await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, opts.leadMs + opts.spreadMs + 120_000))]);
    const stages = (pick: (t: { due: number; fired: number; sent?: number; received?: number }) => number | undefined) =>
      summary([...traced.values()].flatMap((t) => (pick(t) === undefined ? [] : [pick(t)! - t.due])));
    return {
      runs: opts.total,
      fired: lateness.length,
      spreadMs: opts.spreadMs,
      intakeMs,
      asleepBeforeFirstDueMs,
      executor: summary(lateness),
      setTimeoutBaseline: summary(baseline),
      wallClockStepMs: round(wallClockStepMs),
      ...(opts.trace
        ? {
            stages: {
              timerFired: stages((t) => t.fired),
              callSent: stages((t) => t.sent),
              appReceived: stages((t) => t.received),
              stepRan: summary(lateness),
            },
          }
        : {}),
    };
  } finally {
    await executor.stop();
    void served.stop();
  }
}

/**
 * The item in a process of its own (this file's `main`), as `npm run bench` runs it: the baseline and the app share an
 * event loop, and in the bench's own process that loop also carries the heap and handles of every earlier item.
 */
export function benchTimersInFreshProcess(
  dynamoEndpoint: string,
  opts: { total: number; leadMs: number; spreadMs: number },
): Promise<TimerResult> {
  const env = {
    ...process.env,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    BENCH_TIMER_RUNS: String(opts.total),
    BENCH_TIMER_LEAD_SECONDS: String(opts.leadMs / 1000),
    BENCH_TIMER_SPREAD_SECONDS: String(opts.spreadMs / 1000),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return reject(new Error(`item 3 exited with ${code}: ${out.slice(-500)}`));
      resolve(JSON.parse(line) as TimerResult);
    }),
  );
}

/** When the executor counts `total` runs waiting, polled once a second (a count reads the executor's table); `giveUpAt` at the latest. */
async function allAsleep(executorUrl: string, total: number, giveUpAt: number): Promise<number> {
  while (Date.now() < giveUpAt) {
    const counts = (await (await fetch(`${executorUrl}/v1/runs/counts`)).json()) as { waiting: number };
    if (counts.waiting >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return Date.now();
}

/** `npx tsx bench/timer-precision.ts`: this item alone (BENCH_TIMER_RUNS, BENCH_TIMER_SPREAD_SECONDS, DYNAMODB_ENDPOINT). */
async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
  const { findFreePort } = await import('../infra/local/ports');
  const dynamo = process.env.DYNAMODB_ENDPOINT
    ? { endpoint: process.env.DYNAMODB_ENDPOINT, stop: async () => undefined }
    : await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
  try {
    const result = await benchTimers(dynamo.endpoint, {
      total: Number(process.env.BENCH_TIMER_RUNS ?? 1000),
      leadMs: Number(process.env.BENCH_TIMER_LEAD_SECONDS ?? 30) * 1000,
      spreadMs: Number(process.env.BENCH_TIMER_SPREAD_SECONDS ?? 60) * 1000,
      trace: Boolean(process.env.BENCH_TRACE),
    });
    console.log(JSON.stringify(result));
    console.log(timerRatioLine(result));
  } finally {
    await dynamo.stop();
  }
}

/** The figure issue 18 asks for: executor p99 lateness as a multiple of the setTimeout p99 of the same run. */
export function timerRatioLine(r: TimerResult): string {
  return (
    `timers ${r.fired}/${r.runs}: p99 ${r.executor.p99Ms} ms vs setTimeout p99 ${r.setTimeoutBaseline.p99Ms} ms = ` +
    `${round(r.executor.p99Ms / Math.max(r.setTimeoutBaseline.p99Ms, 1), 2)}× (goal ≤ 2×); intake ${r.intakeMs} ms (goal < 5000 ms); ` +
    `every run asleep ${round(r.asleepBeforeFirstDueMs / 1000, 1)} s before the first due time; wall clock moved ${r.wallClockStepMs} ms`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
