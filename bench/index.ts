// `npm run bench`: every figure next to a baseline measured in the same run; markdown table on stdout,
// JSON in bench/results/<timestamp>.json and bench/results/latest.json.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { benchIntegrations, integrationsRows, integrationsSizesFromEnv } from './integrations';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDynamoClients } from '../infra/dynamo/client';
import { ensureTable } from '../infra/dynamo/ensure-table';
import { startDynamoLocal } from '../infra/local/dynamodb-local';
import { findFreePort } from '../infra/local/ports';
import { startSesLocal } from '../infra/local/ses-local';
import { bareNodeStartMs, firstRequests, measureLambdaBundles, type ColdStart } from './lambda-bundles';
import { benchScale, scaleOptionsFromEnv, scaleRows } from './scale';
import { benchStorageModel, type StorageModelResult } from './storage-model';
import { log, round } from './support/stats';
import { benchTimersInFreshProcess, type TimerResult } from './timer-precision';
import { benchTriage, PRICES, startCountedStack, type TriageResult } from './triage-pipeline';
import { benchWritePath, type WritePathResult } from './write-path';
import { storageRows, triageDynamoRows, writePathRows } from './report-rows';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** BENCH_ITEMS=2,6 runs only those items (numbers as in the table); unset runs every item. */
const items = new Set(
  (process.env.BENCH_ITEMS ?? '')
    .split(',')
    .filter((i) => i.trim() !== '')
    .map(Number),
);
const sizes = {
  writeConcurrency: num('BENCH_WRITE_CONCURRENCY', 16),
  writeDurationMs: num('BENCH_WRITE_SECONDS', 10) * 1000,
  writeRounds: num('BENCH_WRITE_ROUNDS', 2),
  triageRate: num('BENCH_TRIAGE_RATE', 2),
  triageDurationMs: num('BENCH_TRIAGE_SECONDS', 15) * 1000,
  timerRuns: num('BENCH_TIMER_RUNS', 1000),
  timerSpreadMs: num('BENCH_TIMER_SPREAD_SECONDS', 60) * 1000,
  timerLeadMs: num('BENCH_TIMER_LEAD_SECONDS', 30) * 1000,
  // Item 4: BENCH_SCALE_INCIDENTS, BENCH_SCALE_SLEEPERS, BENCH_SCALE_SAMPLE, BENCH_SCALE_CONCURRENCY.
  scale: scaleOptionsFromEnv(),
  // Item 6: obligation targets for real triage (numbers, or `all` for every jurisdiction of the catalog), the size of
  // the change written through the repository, and how long one incident may take to settle.
  storageTargets: (process.env.BENCH_STORAGE_TARGETS ?? '1,30,150,all')
    .split(',')
    .map((t) => (t.trim() === 'all' ? ('all' as const) : Number(t))),
  storageLarge: num('BENCH_STORAGE_LARGE', 500),
  storageSettleMs: num('BENCH_STORAGE_SETTLE_SECONDS', 120) * 1000,
};

async function coldStarts(env: { dynamoEndpoint: string; tableName: string; secret: string }): Promise<ColdStart[]> {
  const signingKey = `signkey-bench-${'ab'.repeat(32)}`;
  return measureLambdaBundles(await firstRequests({ secret: env.secret, signingKey }), {
    STAGE: 'bench',
    LOG_LEVEL: 'silent',
    AUTH_JWT_SECRET: env.secret,
    DYNAMODB_ENDPOINT: env.dynamoEndpoint,
    TABLE_NAME: env.tableName,
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: 'bench-event-key',
    INNGEST_BASE_URL: 'http://127.0.0.1:9',
  });
}

type Row = [string, string, string, string];

function triageRows(triage: TriageResult, write?: WritePathResult): Row[] {
  return [
    [
      `2 triage pipeline (${triage.incidents} one-jurisdiction incidents offered at ${triage.offeredRate}/s)`,
      `${triage.incidentsPerSecond}/s; 201→DPO email p50 ${triage.p50Ms} ms · p99 ${triage.p99Ms} ms`,
      `offered rate ${triage.offeredRate}/s; triaged ${triage.triaged}/${triage.incidents}`,
      `${round(triage.incidentsPerSecond / triage.offeredRate, 2)}×`,
    ],
    ...triageDynamoRows(triage, write),
    [
      '2 per incident: Inngest / email',
      `${triage.perIncident.inngestRuns} runs, ${triage.perIncident.inngestSteps} steps (${triage.perIncident.inngestExecutions} executions), ${triage.perIncident.appCalls} app calls, ${triage.perIncident.emails} emails`,
      'expected emails: 1 DPO (+1 escalation if critical)',
      '—',
    ],
    [
      '2 projected AWS cost per incident',
      `$${triage.costPerIncidentUsd.totalAws.toExponential(2)} (DynamoDB application table $${triage.costPerIncidentUsd.dynamo.toExponential(2)}, Lambda $${triage.costPerIncidentUsd.lambda.toExponential(2)}, SES $${triage.costPerIncidentUsd.ses.toExponential(2)})`,
      `per 1,000 incidents: $${round(triage.costPerIncidentUsd.totalAws * 1000, 4)}; Inngest not priced`,
      '—',
    ],
  ];
}

function timerRow(timers: TimerResult): Row {
  return [
    `3 timer precision: ${timers.fired}/${timers.runs} sleeps over ${timers.spreadMs / 1000} s`,
    `lateness p50 ${timers.executor.p50Ms} ms · p99 ${timers.executor.p99Ms} ms · max ${timers.executor.maxMs} ms`,
    `setTimeout, same schedule, same process: p50 ${timers.setTimeoutBaseline.p50Ms} · p99 ${timers.setTimeoutBaseline.p99Ms} · max ${timers.setTimeoutBaseline.maxMs} ms; 1,000 events accepted in ${timers.intakeMs} ms (goal < 5,000); every run asleep ${round(timers.asleepBeforeFirstDueMs / 1000, 1)} s before the first due time; the wall clock moved ${timers.wallClockStepMs} ms against the monotonic one`,
    `${round(timers.executor.p99Ms / Math.max(timers.setTimeoutBaseline.p99Ms, 1), 2)}× p99 (goal ≤ 2×)`,
  ];
}

function bundleRows(b: ColdStart, bare: number): Row[] {
  return [
    [
      `5 Lambda ${b.name} bundle`,
      `${round(b.bytes / 1024, 0)} KiB cold (whole package ${round(b.totalBytes / 1024, 0)} KiB); cold init ${round(b.coldInitMs, 0)} ms (import ${round(b.importMs, 0)} + first request ${b.firstRequest} ${round(b.firstRequestMs, 0)})`,
      `bare \`node -e 0\` process start: ${round(bare, 0)} ms (median of 5)`,
      `${round(b.coldInitMs / bare, 2)}×`,
    ],
    ...(b.realFirst
      ? [
          [
            `5 Lambda ${b.name}: first request of real work`,
            `${b.realFirst.label} (${b.realFirst.status}) loads ${round(b.realFirst.bytes / 1024, 0)} KiB; cold init ${round(b.realFirst.coldInitMs, 0)} ms`,
            `bare \`node -e 0\` process start: ${round(bare, 0)} ms`,
            `${round(b.realFirst.coldInitMs / bare, 2)}×`,
          ] as Row,
        ]
      : []),
    ...(b.path
      ? [
          [
            `5 Lambda ${b.name}: ${b.path.label}`,
            `loads ${round(b.path.bytes / 1024, 0)} KiB (counted from the metafile)`,
            `cold bundle ${round(b.bytes / 1024, 0)} KiB`,
            `${round(b.path.bytes / b.bytes, 2)}×`,
          ] as Row,
        ]
      : []),
  ];
}

async function main() {
  const started = Date.now();
  const secret = 'bench-secret-0123456789abcdef';
  log('starting DynamoDB Local (in memory) and the local SES endpoint');
  const dynamo = await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
  const ses = await startSesLocal(await findFreePort());
  const tableName = 'breach-response-bench';
  const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
  await ensureTable(raw, tableName);
  raw.destroy();
  const env = { dynamoEndpoint: dynamo.endpoint, sesEndpoint: ses.endpoint, tableName, secret };
  const wanted = (item: number) => items.size === 0 || items.has(item);
  try {
    const write = wanted(1)
      ? await benchWritePath(env, {
          concurrency: sizes.writeConcurrency,
          durationMs: sizes.writeDurationMs,
          rounds: sizes.writeRounds,
        })
      : undefined;
    if (write) log(`item 1 done: ${JSON.stringify(write)}`);
    let triage: TriageResult | undefined;
    let storage: StorageModelResult | undefined;
    if (wanted(2) || wanted(6)) {
      const stack = await startCountedStack(env);
      try {
        if (wanted(2)) {
          triage = await benchTriage(stack, env, { rate: sizes.triageRate, durationMs: sizes.triageDurationMs, waitMs: 120_000 });
          log(`item 2 done: ${JSON.stringify(triage)}`);
        }
        if (wanted(6)) {
          storage = await benchStorageModel(stack, env, {
            targets: sizes.storageTargets,
            large: sizes.storageLarge,
            quietMs: 2000,
            settleMs: sizes.storageSettleMs,
          });
          log(`item 6 done: ${JSON.stringify(storage)}`);
        }
      } finally {
        await stack.stop();
      }
    }
    const scale = wanted(4) ? await benchScale(env, sizes.scale) : undefined;
    if (scale) log(`item 4 done: ${JSON.stringify(scale)}`);
    const timers = wanted(3)
      ? await benchTimersInFreshProcess(dynamo.endpoint, {
          total: sizes.timerRuns,
          leadMs: sizes.timerLeadMs,
          spreadMs: sizes.timerSpreadMs,
        })
      : undefined;
    if (timers) log(`item 3 done: ${JSON.stringify(timers)}`);
    const integrations = wanted(8) ? await benchIntegrations(env, integrationsSizesFromEnv()) : undefined;
    if (integrations) log(`item 8 done: ${JSON.stringify(integrations)}`);
    let bundles: ColdStart[] = [];
    if (wanted(5)) {
      log('item 5: Lambda bundles');
      // The bundles are built from the working tree; a half-edited tree elsewhere must not lose the other figures.
      bundles = await coldStarts(env).catch((error) => {
        log(`item 5 failed: ${(error as Error).message.split('\n')[0]}`);
        return [] as ColdStart[];
      });
    }
    const bare = wanted(5) ? await bareNodeStartMs() : 0;

    const rows: Row[] = [
      ...(write ? writePathRows(write) : []),
      ...(triage ? triageRows(triage, write) : []),
      ...(timers ? [timerRow(timers)] : []),
      ...(scale ? scaleRows(scale) : []),
      ...bundles.flatMap((b) => bundleRows(b, bare)),
      ...(storage ? storageRows(storage) : []),
      ...(integrations ? integrationsRows(integrations) : []),
    ];
    const table = [
      '| item | measured | baseline (same run) | ratio |',
      '|---|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
    const result = {
      startedAt: new Date(started).toISOString(),
      durationSeconds: round((Date.now() - started) / 1000, 0),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      sizes,
      items: [...items],
      prices: { ...PRICES, region: 'us-east-1', checked: '2026-05 (from published price pages, see README)', inngest: 'not verified' },
      write,
      triage,
      timers,
      scale,
      storage,
      integrations,
      bundles,
      bareNodeStartMs: bare,
      table,
    };
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(dir, { recursive: true });
    const json = JSON.stringify(result, null, 2);
    await writeFile(`${dir}${result.startedAt.replace(/[:.]/g, '-')}.json`, json);
    await writeFile(`${dir}latest.json`, json);
    console.log(table);
    log(`finished in ${result.durationSeconds} s; JSON in bench/results/latest.json`);
  } finally {
    await ses.stop();
    await dynamo.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
