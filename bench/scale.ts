// Item 4 (issue 18, part 2): many open incidents and many runs asleep. `npx tsx bench/scale.ts` runs it alone
// (BENCH_SCALE_INCIDENTS, BENCH_SCALE_SLEEPERS, BENCH_SCALE_SAMPLE, BENCH_SCALE_CONCURRENCY, DYNAMODB_ENDPOINT).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { Inngest } from 'inngest';
import { fileURLToPath } from 'node:url';
import { createDynamoClients } from '../infra/dynamo/client';
import { ensureTable } from '../infra/dynamo/ensure-table';
import { findFreePort } from '../infra/local/ports';
import { mintDevToken } from '../infra/local/mint-token';
import { serveInngestApp } from '../infra/local/serve-inngest-app';
import { deadlineSleeper, spreadDeadlines } from './executor-scale';
import { startEventSink } from './support/event-sink';
import { incidentBody } from './support/incident-body';
import { spawnStackProcess, type StackProcess } from './support/spawn-stack';
import { log, percentile, round, runLoad } from './support/stats';

export interface ScaleOptions {
  /** Incidents seeded through the API's write path, their events going to a sink. */
  incidents: number;
  /** Runs put to sleep in the executor until deadlines spread over 72 h. */
  sleepers: number;
  /** Incidents triaged for real through the executor before the seeding (so they are the oldest). */
  sample: number;
  /** Requests in flight while seeding. */
  concurrency: number;
}

export interface ListLatency {
  maxPerSecond: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  /** GET /v1/me at the same rate in the same run: the cheapest authenticated request. */
  baselineP99Ms: number;
}

export interface ScaleResult {
  options: ScaleOptions;
  seeded: number;
  seedStatuses: Record<string, number>;
  seedPerSecond: number;
  sinkEvents: number;
  triaged: number;
  asleep: number;
  sleepersAsleepSeconds: number;
  /** `peak`: the largest RSS of each process over the whole item (VmHWM, read after the 72 h jump). */
  rssMb: { empty: { executor: number; api: number }; loaded: { executor: number; api: number }; peak: { executor: number; api: number } };
  firstPage: ListLatency;
  filteredPage: ListLatency & { filter: string };
  jump72h: { seconds: number; fired: number; firedPerSecond: number; stillAsleep: number };
}

const hour = 3_600_000;
const mb = async (p: StackProcess) => round((await p.rss()) / 2 ** 20);
const peakMb = async (p: StackProcess) => round((await p.peakRss()) / 2 ** 20);

/**
 * p99 at half of the closed-loop maximum rate (as item 1's "half load"), next to GET /v1/me at that rate. Each load
 * process runs 2 s at the rate before its 30 s are measured: a fresh process's first requests take 80-100 ms of its own
 * start (undici loaded and compiled, connections opened) against a warm API. 30 s at ~50/s is about 1,500 requests,
 * so the p99 is the 15th slowest rather than a single stall (10 s made it the 5th).
 */
async function listLatency(url: string, meUrl: string, headers: Record<string, string>): Promise<ListLatency> {
  const max = await runLoad({ url, method: 'GET', headers, bodies: [''], durationMs: 5000, concurrency: 4 });
  const rate = Math.max(1, Math.floor(max.throughput / 2));
  const atRate = { method: 'GET' as const, headers, bodies: [''], durationMs: 30_000, ratePerSecond: rate, warmupMs: 2000 };
  const [half, me] = [await runLoad({ url, ...atRate }), await runLoad({ url: meUrl, ...atRate })];
  return {
    maxPerSecond: round(max.throughput),
    rate,
    p50Ms: round(percentile(half.latenciesMs, 0.5)),
    p99Ms: round(percentile(half.latenciesMs, 0.99)),
    maxMs: round(Math.max(...half.latenciesMs)),
    samples: half.latenciesMs.length,
    baselineP99Ms: round(percentile(me.latenciesMs, 0.99)),
  };
}

async function countRuns(executorUrl: string, status: 'waiting' | 'queued' | 'running'): Promise<number> {
  return ((await (await fetch(`${executorUrl}/v1/runs/counts`)).json()) as Record<string, number>)[status]!;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * Its own table and processes: an API whose events go to a sink (the seeding: the API's whole write path, no
 * workflow), an API whose events go to an executor on a virtual clock (the triaged sample, the reads), the executor
 * with `sleepers` runs asleep, and this process serving the sleepers' app.
 */
export async function benchScale(
  env: { dynamoEndpoint: string; sesEndpoint: string; tableName: string; secret: string },
  opts: ScaleOptions,
): Promise<ScaleResult> {
  const tableName = `${env.tableName}-scale`;
  const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: env.dynamoEndpoint });
  await ensureTable(raw, tableName);
  raw.destroy();
  const sink = await startEventSink();
  const [seedPort, apiPort, executorPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const base = { dynamoEndpoint: env.dynamoEndpoint, sesEndpoint: env.sesEndpoint, tableName, jwtSecret: env.secret, executorPort };
  const processes: StackProcess[] = [];
  let fired = 0;
  const inngest = new Inngest({
    id: 'bench-sleepers',
    isDev: true,
    baseUrl: `http://127.0.0.1:${executorPort}`,
    logger: { info() {}, warn() {}, error() {}, debug() {} },
  });
  const served = await serveInngestApp(inngest, [deadlineSleeper(inngest, () => fired++)]);
  try {
    // The relay would hand the seeding API's outbox to the executor; the serving API delivers its own events at once.
    const api = await spawnStackProcess('api', { ...base, apiPort, extra: { RELAY_INTERVAL_MS: String(hour) } });
    processes.push(api);
    const seeder = await spawnStackProcess('api', {
      ...base,
      apiPort: seedPort,
      extra: { INNGEST_BASE_URL: sink.url, RELAY_INTERVAL_MS: String(hour) },
    });
    processes.push(seeder);
    const executor = await spawnStackProcess('executor', { ...base, apiPort, extra: { EXECUTOR_CLOCK: 'virtual' } });
    processes.push(executor);
    const org = 'bench-scale';
    const token = await mintDevToken(env.secret, { org, roles: ['admin'], ttlSeconds: 7200 });
    const headers = { authorization: `Bearer ${token}` };
    await fetch(`${api.url}/v1/me`, { headers });
    const empty = { executor: await mb(executor), api: await mb(api) };

    log(`item 4: triaging a sample of ${opts.sample} incidents through the executor`);
    const post = { ...headers, 'content-type': 'application/json' };
    const sampleIds: string[] = [];
    for (let i = 0; i < opts.sample; i++) {
      const body = JSON.stringify(incidentBody(new Date().toISOString(), i)).replaceAll('{{n}}', `sample-${i}`);
      const answer = (await (await fetch(`${api.url}/v1/breach-incidents`, { method: 'POST', headers: post, body })).json()) as {
        id: string;
      };
      sampleIds.push(answer.id);
    }
    const triaged = async () => {
      const stages = await Promise.all(
        sampleIds.map(
          async (id) => ((await (await fetch(`${api.url}/v1/breach-incidents/${id}`, { headers })).json()) as { stage: string }).stage,
        ),
      );
      return stages.filter((s) => s !== 'REPORTED').length;
    };
    await until('the sample to be triaged', async () => (await triaged()) === sampleIds.length, 180_000);

    log(`item 4: seeding ${opts.incidents} incidents through the API's write path (events to a sink), ${opts.concurrency} in flight`);
    const seedStart = performance.now();
    const seed = await runLoad({
      url: `${seeder.url}/v1/breach-incidents`,
      headers: post,
      bodies: [0, 1, 2].map((v) => JSON.stringify(incidentBody(new Date().toISOString(), v))),
      durationMs: 3_600_000,
      concurrency: opts.concurrency,
      count: opts.incidents,
    });
    const seedPerSecond = round((seed.ok * 1000) / (performance.now() - seedStart), 1);
    log(
      `item 4: seeded ${seed.ok} (${seedPerSecond}/s), statuses ${JSON.stringify(seed.statuses)}; putting ${opts.sleepers} runs to sleep`,
    );

    await fetch(`${executor.url}/dev/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: served.url }),
    });
    const { now } = (await (await fetch(`${executor.url}/dev/clock`)).json()) as { now: string };
    const asleepBefore = await countRuns(executor.url, 'waiting');
    const sleepStart = performance.now();
    for (let i = 0; i < opts.sleepers; i += 500) await inngest.send(spreadDeadlines(opts.sleepers, Date.parse(now), i, 500));
    await until(
      'every sleeper to be asleep',
      async () => (await countRuns(executor.url, 'waiting')) >= asleepBefore + opts.sleepers,
      600_000,
    );
    const sleepersAsleepSeconds = round((performance.now() - sleepStart) / 1000, 1);
    const asleep = await countRuns(executor.url, 'waiting');

    log(`item 4: ${asleep} runs asleep; measuring list latency and memory`);
    const firstPage = await listLatency(`${api.url}/v1/breach-incidents?limit=50`, `${api.url}/v1/me`, headers);
    const filter = 'stage=TRIAGE';
    const filteredPage = {
      filter,
      ...(await listLatency(`${api.url}/v1/breach-incidents?limit=50&${filter}`, `${api.url}/v1/me`, headers)),
    };
    const loaded = { executor: await mb(executor), api: await mb(api) };

    log('item 4: moving the executor clock 72 h ahead, an hour at a time');
    const jumpStart = performance.now();
    for (let h = 0; h < 72; h++) {
      const answer = await fetch(`${executor.url}/dev/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: hour }),
      });
      if (!answer.ok) throw new Error(`clock advance failed: HTTP ${answer.status} ${await answer.text()}`);
    }
    const jumpSeconds = (performance.now() - jumpStart) / 1000;
    const stillAsleep = await countRuns(executor.url, 'waiting');
    const peak = { executor: await peakMb(executor), api: await peakMb(api) };
    return {
      options: opts,
      seeded: seed.ok,
      seedStatuses: seed.statuses,
      seedPerSecond,
      sinkEvents: sink.events,
      triaged: await triaged(),
      asleep,
      sleepersAsleepSeconds,
      rssMb: { empty, loaded, peak },
      firstPage,
      filteredPage,
      jump72h: { seconds: round(jumpSeconds, 1), fired, firedPerSecond: round(fired / jumpSeconds), stillAsleep },
    };
  } finally {
    for (const p of processes.reverse()) await p.kill();
    await served.stop();
    await sink.stop();
  }
}

export const scaleOptionsFromEnv = (): ScaleOptions => ({
  incidents: Number(process.env.BENCH_SCALE_INCIDENTS ?? 2000),
  sleepers: Number(process.env.BENCH_SCALE_SLEEPERS ?? 2000),
  sample: Number(process.env.BENCH_SCALE_SAMPLE ?? 10),
  concurrency: Number(process.env.BENCH_SCALE_CONCURRENCY ?? 8),
});

/** The item's table rows. */
export function scaleRows(r: ScaleResult): [string, string, string, string][] {
  const ratio = (a: number, b: number) => `${round(a / Math.max(b, 0.1), 2)}×`;
  const open = r.seeded + r.options.sample;
  return [
    [
      `4 scale: ${open} open incidents, ${r.asleep} runs asleep in the executor — memory`,
      `RSS executor ${r.rssMb.loaded.executor} MB · API ${r.rssMb.loaded.api} MB (goal ≤ 256 MB each); peak over the item: executor ${r.rssMb.peak.executor} MB · API ${r.rssMb.peak.api} MB`,
      `same processes, empty organisation: executor ${r.rssMb.empty.executor} MB · API ${r.rssMb.empty.api} MB; seeded at ${r.seedPerSecond}/s (${r.sinkEvents} events to the sink)`,
      `executor ${ratio(r.rssMb.loaded.executor, r.rssMb.empty.executor)}, API ${ratio(r.rssMb.loaded.api, r.rssMb.empty.api)}`,
    ],
    [
      `4 scale: GET /v1/breach-incidents?limit=50 (first page) at half load (${r.firstPage.rate}/s of ${r.firstPage.maxPerSecond}/s)`,
      `p50 ${r.firstPage.p50Ms} ms · p99 ${r.firstPage.p99Ms} ms (goal ≤ 50 ms) · max ${r.firstPage.maxMs} ms of ${r.firstPage.samples}`,
      `GET /v1/me at the same rate: p99 ${r.firstPage.baselineP99Ms} ms`,
      ratio(r.firstPage.p99Ms, r.firstPage.baselineP99Ms),
    ],
    [
      `4 scale: filtered page (${r.filteredPage.filter}: the ${r.options.sample} oldest of ${open}) at half load (${r.filteredPage.rate}/s of ${r.filteredPage.maxPerSecond}/s)`,
      `p50 ${r.filteredPage.p50Ms} ms · p99 ${r.filteredPage.p99Ms} ms (goal ≤ 50 ms) · max ${r.filteredPage.maxMs} ms of ${r.filteredPage.samples}`,
      `GET /v1/me at the same rate: p99 ${r.filteredPage.baselineP99Ms} ms`,
      ratio(r.filteredPage.p99Ms, r.filteredPage.baselineP99Ms),
    ],
    [
      `4 scale: a 72 h virtual-clock jump with ${r.asleep} runs asleep (72 steps of 1 h)`,
      `${r.jump72h.seconds} s: ${r.jump72h.fired} sleepers fired (${r.jump72h.firedPerSecond}/s); ${r.jump72h.stillAsleep} runs still asleep after it`,
      `putting the ${r.options.sleepers} sleepers to sleep (intake + first call): ${r.sleepersAsleepSeconds} s`,
      ratio(r.jump72h.seconds, r.sleepersAsleepSeconds),
    ],
  ];
}

async function main() {
  const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
  const { startSesLocal } = await import('../infra/local/ses-local');
  const dynamo = process.env.DYNAMODB_ENDPOINT
    ? { endpoint: process.env.DYNAMODB_ENDPOINT, stop: async () => undefined }
    : await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
  const ses = await startSesLocal(await findFreePort());
  try {
    const r = await benchScale(
      {
        dynamoEndpoint: dynamo.endpoint,
        sesEndpoint: ses.endpoint,
        tableName: `bench-${Date.now()}`,
        secret: 'bench-secret-0123456789abcdef',
      },
      scaleOptionsFromEnv(),
    );
    console.log(JSON.stringify(r));
    for (const row of scaleRows(r)) console.log(`| ${row.join(' | ')} |`);
  } finally {
    await ses.stop();
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
