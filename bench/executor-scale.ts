import { serveInngestApp } from '../infra/local/serve-inngest-app';
// `npx tsx bench/executor-scale.ts`: the executor alone with N runs asleep (issue 18, part 2's executor figures).
// N runs each sleep until a due time spread over 72 h on the virtual clock; reported: intake rate, process RSS with N
// runs asleep, how long a restart takes to rebuild the timer index from the table, and how long one virtual-clock
// jump of 72 h takes to fire every timer (up to BENCH_EXECUTOR_CLOCK_CONCURRENCY fired timers under way at once, default
// 32 as `POST /dev/clock` does; 1 fires them one at a time). Sizes: BENCH_EXECUTOR_RUNS (default 2,000),
// BENCH_EXECUTOR_BATCH (500).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { Inngest } from 'inngest';
import { fileURLToPath } from 'node:url';
import { startExecutor, VirtualClock } from '../infra/local/executor';
import { createLogger } from '../infra/log';
import { log, round } from './support/stats';

export interface ExecutorScaleResult {
  runs: number;
  asleep: number;
  intakeSeconds: number;
  intakePerSecond: number;
  rssMb: { before: number; asleep: number; afterRestart: number };
  restartSeconds: number;
  jump72hSeconds: number;
  fired: number;
  firedPerSecond: number;
  /** CPU time (user + system) of this process (executor and app) per fired timer during the jump: less noisy than seconds. */
  jumpCpuMsPerFire: number;
}

const hour = 3_600_000;

/** A run that sleeps until `event.data.due` and then takes one step: a stand-in for a regulatory deadline. */
export function deadlineSleeper(inngest: Inngest, onFire: () => void) {
  return inngest.createFunction({ id: 'deadline', triggers: { event: 'bench/open' } }, async ({ event, step }) => {
    await step.sleepUntil('until-due', String(event.data.due));
    await step.run('fire', onFire);
  });
}

/** `n` sleeper events with due times spread evenly from 1 h to 72 h after `start`. */
export function spreadDeadlines(n: number, start: number, offset = 0, count = n) {
  return Array.from({ length: Math.min(count, n - offset) }, (_, j) => ({
    name: 'bench/open',
    data: { due: new Date(start + hour + Math.floor(((offset + j) * 71 * hour) / n)).toISOString() },
  }));
}
const rssMb = () => round(process.memoryUsage().rss / 2 ** 20);

export async function benchExecutorScale(
  dynamoEndpoint: string,
  opts = { runs: 2000, batch: 500, clockConcurrency: 32 },
): Promise<ExecutorScaleResult> {
  const clock = new VirtualClock(Date.UTC(2030, 0, 1, 9));
  const tableName = `bench-executor-scale-${Date.now()}`;
  const settings = { port: 0, dynamo: { region: 'us-east-1', endpoint: dynamoEndpoint }, tableName, clock, logger: createLogger('error') };
  let executor = await startExecutor(settings);
  let fired = 0;
  const inngest = new Inngest({
    id: 'bench-scale',
    isDev: true,
    baseUrl: executor.url,
    logger: { info() {}, warn() {}, error() {}, debug() {} },
  });
  const served = await serveInngestApp(inngest, [deadlineSleeper(inngest, () => fired++)]);
  try {
    await executor.registerApp(served.url);
    const before = rssMb();
    const start = clock.now().getTime();
    log(`executor scale: ${opts.runs} runs asleep until due times spread over 72 h`);
    const t0 = performance.now();
    for (let i = 0; i < opts.runs; i += opts.batch) {
      await inngest.send(spreadDeadlines(opts.runs, start, i, opts.batch));
    }
    const intakeSeconds = (performance.now() - t0) / 1000;
    await executor.idle();
    const asleep = (await executor.listRuns({ status: 'waiting', limit: opts.runs })).length;
    const asleepRss = rssMb();
    log(`intake ${round(intakeSeconds)} s; ${asleep} asleep; RSS ${asleepRss} MB; restarting`);

    const port = executor.port;
    await executor.stop();
    const t1 = performance.now();
    executor = await startExecutor({ ...settings, port });
    await executor.idle();
    const restartSeconds = (performance.now() - t1) / 1000;
    const afterRestart = rssMb();
    log(`restart (timer index rebuilt) in ${round(restartSeconds, 2)} s; jumping 72 h`);

    const t2 = performance.now();
    const cpu = process.cpuUsage();
    const firedBefore = fired;
    await clock.advance(72 * hour, { concurrency: opts.clockConcurrency });
    await executor.idle();
    const jump72hSeconds = (performance.now() - t2) / 1000;
    const jumpCpu = process.cpuUsage(cpu);
    return {
      runs: opts.runs,
      asleep,
      intakeSeconds: round(intakeSeconds, 2),
      intakePerSecond: round(opts.runs / intakeSeconds),
      rssMb: { before, asleep: asleepRss, afterRestart },
      restartSeconds: round(restartSeconds, 2),
      jump72hSeconds: round(jump72hSeconds, 2),
      fired,
      firedPerSecond: round(fired / jump72hSeconds),
      jumpCpuMsPerFire: round((jumpCpu.user + jumpCpu.system) / 1000 / Math.max(fired - firedBefore, 1), 2),
    };
  } finally {
    await executor.stop();
    void served.stop();
  }
}

async function main() {
  const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
  const { findFreePort } = await import('../infra/local/ports');
  const dynamo = process.env.DYNAMODB_ENDPOINT
    ? { endpoint: process.env.DYNAMODB_ENDPOINT, stop: async () => undefined }
    : await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
  try {
    const r = await benchExecutorScale(dynamo.endpoint, {
      runs: Number(process.env.BENCH_EXECUTOR_RUNS ?? 2000),
      batch: Number(process.env.BENCH_EXECUTOR_BATCH ?? 500),
      clockConcurrency: Number(process.env.BENCH_EXECUTOR_CLOCK_CONCURRENCY ?? 32),
    });
    console.log(JSON.stringify(r));
    console.log(
      `executor with ${r.asleep}/${r.runs} runs asleep: intake ${r.intakePerSecond}/s; RSS ${r.rssMb.asleep} MB (empty ${r.rssMb.before} MB, after restart ${r.rssMb.afterRestart} MB; app and executor in one process); ` +
        `restart ${r.restartSeconds} s; 72 h jump fired ${r.fired} timers in ${r.jump72hSeconds} s (${r.firedPerSecond}/s, ${r.jumpCpuMsPerFire} ms CPU each)`,
    );
  } finally {
    await dynamo.stop();
  }
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
