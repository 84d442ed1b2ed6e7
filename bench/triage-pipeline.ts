import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '../infra/dynamo/client';
import { keys } from '../infra/dynamo/keys';
import { mintDevToken } from '../infra/local/mint-token';
import { findFreePort } from '../infra/local/ports';
import { createDynamoTally, figuresOf, startCountingProxy, type DynamoFigures } from './support/counting-proxy';
import { incidentBody } from './support/incident-body';
import { spawnStackProcess, type StackProcess } from './support/spawn-stack';
import { log, percentile, round, runLoad } from './support/stats';

/** List prices used for the projection (us-east-1, on-demand, as published; checked 2026-05, see README). */
export const PRICES = {
  dynamoWritePerMillionWru: 0.625,
  dynamoReadPerMillionRru: 0.125,
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecond: 0.0000166667,
  sesPerThousandEmails: 0.1,
};

/** Per incident: one table's requests, operations and capacity units. */
export interface PerIncidentDynamo {
  requests: number;
  operations: Record<string, number>;
  /** Per operation and item kind, most capacity first: requests and capacity units per incident. */
  byItem: Record<string, { requests: number; units: number }>;
  readUnits: number;
  writeUnits: number;
  /** Write units as DynamoDB Local reports them (it undercounts transactions; earlier runs of the bench showed these). */
  reportedWriteUnits: number;
}

export interface TriageResult {
  incidents: number;
  triaged: number;
  offeredRate: number;
  incidentsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  jurisdictionsPerIncident: number;
  obligationsPerIncident: number;
  perIncident: {
    /** Both tables (application and executor), background requests excluded. */
    dynamoRequests: number;
    readUnits: number;
    writeUnits: number;
    /** Both tables, write units as DynamoDB Local reports them (how the bench counted before it worked transactions out). */
    reportedWriteUnits: number;
    capacityUnits: number;
    /** The application's table: what the storage model costs (and what DynamoDB would bill in AWS). */
    appTable: PerIncidentDynamo;
    /** The local executor's own table (`<table>-executor`), the stand-in for Inngest's state: not billed as DynamoDB in AWS. */
    executorTable: PerIncidentDynamo;
    inngestRuns: number;
    inngestSteps: number;
    inngestExecutions: number;
    appCalls: number;
    emails: number;
  };
  /** Requests of no incident during the measurement: the API's outbox relay polling its index once a second. */
  background: { requests: number; readUnits: number; seconds: number };
  costPerIncidentUsd: { dynamo: number; lambda: number; ses: number; totalAws: number; inngest: string };
}

export interface TriageStack {
  api: StackProcess;
  executor: StackProcess;
  token: string;
  org: string;
  stop(): Promise<void>;
}

/**
 * API and executor as separate processes, each behind its own counting proxy to DynamoDB, SES behind one too. One tally
 * sums both proxies and splits the figures by the table each request names: the application's table (`tableName`,
 * written by the API process, including the workflow steps it serves) and the executor's (`<tableName>-executor`).
 */
export async function startCountedStack(env: { dynamoEndpoint: string; sesEndpoint: string; tableName: string; secret: string }) {
  const apiDynamo = await startCountingProxy(env.dynamoEndpoint, { requestConsumedCapacity: true });
  const executorDynamo = await startCountingProxy(env.dynamoEndpoint, { requestConsumedCapacity: true });
  const ses = await startCountingProxy(env.sesEndpoint);
  const tally = createDynamoTally();
  apiDynamo.onExchange(tally.record);
  executorDynamo.onExchange(tally.record);
  const emails: { at: number; body: string }[] = [];
  ses.onExchange((e) => {
    if (e.method === 'POST' && e.status === 200 && !e.path.startsWith('/store')) emails.push({ at: e.at, body: safeDecode(e.requestBody) });
  });
  const [apiPort, executorPort] = [await findFreePort(), await findFreePort()];
  const base = { sesEndpoint: ses.url, tableName: env.tableName, apiPort, executorPort, jwtSecret: env.secret };
  const api = await spawnStackProcess('api', { ...base, dynamoEndpoint: apiDynamo.url });
  const executor = await spawnStackProcess('executor', { ...base, dynamoEndpoint: executorDynamo.url });
  return {
    api,
    executor,
    tally,
    emails,
    apiDynamo,
    executorDynamo,
    tables: { app: env.tableName, executor: `${env.tableName}-executor` },
    async stop() {
      await executor.kill('SIGTERM');
      await api.kill('SIGTERM');
      await Promise.all([apiDynamo.stop(), executorDynamo.stop(), ses.stop()]);
    },
  };
}

export type CountedStack = Awaited<ReturnType<typeof startCountedStack>>;

interface RunView {
  runId: string;
  functionId: string;
  status: string;
  event: { data: Record<string, unknown> };
  history: { type: string }[];
}

export async function benchTriage(
  stack: CountedStack,
  env: { secret: string; dynamoEndpoint: string; tableName: string },
  opts = { rate: 4, durationMs: 20_000, waitMs: 120_000 },
): Promise<TriageResult> {
  const org = 'bench-triage';
  const token = await mintDevToken(env.secret, { org, roles: ['admin'], ttlSeconds: 3600 });
  const plan = {
    url: `${stack.api.url}/v1/breach-incidents`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    bodies: [0, 1, 2].map((v) => JSON.stringify(oneJurisdiction(incidentBody(new Date().toISOString(), v)))),
  };
  // Provision the organisation first so that its one-off writes are not charged to the incidents.
  await fetch(`${stack.api.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  stack.tally.reset();
  const emailsBefore = stack.emails.length;
  log(`item 2: ${opts.rate} one-jurisdiction incidents/s for ${opts.durationMs / 1000} s through API → executor → SES`);
  const countingFrom = Date.now();
  const load = await runLoad({ ...plan, durationMs: opts.durationMs, ratePerSecond: opts.rate });
  const created = new Map(load.created.map((c) => [c.id, c]));
  const triagedAt = new Map<string, number>();
  const deadline = Date.now() + opts.waitMs;
  while (Date.now() < deadline) {
    for (const email of stack.emails.slice(emailsBefore)) {
      const id = /inc_[0-9A-Z]{26}/.exec(email.body)?.[0];
      if (id && created.has(id) && email.body.includes('dpo@') && !triagedAt.has(id)) triagedAt.set(id, email.at);
    }
    if (triagedAt.size >= created.size) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // Let follow-up runs (regulatory clocks, stage SLAs) reach their sleeps before counting, and count before the
  // run history is read below (reading it is executor-table traffic too).
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await Promise.all([stack.apiDynamo.flush(), stack.executorDynamo.flush()]);
  const totals = stack.tally.snapshot();
  const countedSeconds = (Date.now() - countingFrom) / 1000;
  // From the 201 (the load client stamps each creation when its answer arrived) to the SES proxy accepting the email.
  const latencies = [...triagedAt].map(([id, at]) => at - created.get(id)!.at);
  const first = Math.min(...load.created.map((c) => c.at - c.latencyMs));
  const last = Math.max(...triagedAt.values());
  const summaries = (await listRunsOf(stack.executor.url)).filter((r) => created.has(String(r.event?.data?.incidentId)));
  const list: RunView[] = [];
  for (const r of summaries) list.push((await (await fetch(`${stack.executor.url}/v1/runs/${r.runId}`)).json()) as RunView);
  const steps = list.reduce((n, r) => n + r.history.filter((h) => h.type === 'step.completed' || h.type === 'step.failed').length, 0);
  const calls = list.reduce((n, r) => n + r.history.filter((h) => h.type === 'call').length, 0);
  const obligations = await obligationCounts(env, org, [...created.keys()]);
  const n = created.size;
  const emails = stack.emails.slice(emailsBefore).filter((e) => [...created.keys()].some((id) => e.body.includes(id))).length;
  const per = (x: number) => round(x / n, 2);
  const perTable = (f: DynamoFigures): PerIncidentDynamo => ({
    requests: per(f.requests),
    operations: Object.fromEntries(Object.entries(f.operations).map(([k, v]) => [k, per(v)])),
    byItem: Object.fromEntries(
      Object.entries(f.byItem)
        .sort(([, a], [, b]) => b.units - a.units || b.requests - a.requests)
        .map(([k, v]) => [k, { requests: per(v.requests), units: per(v.units) }]),
    ),
    readUnits: per(f.readUnits),
    writeUnits: per(f.writeUnits),
    reportedWriteUnits: per(f.reportedWriteUnits),
  });
  const app = figuresOf(totals, stack.tables.app);
  const executor = figuresOf(totals, stack.tables.executor);
  const counted = Object.values(totals.byTable);
  const sum = (pick: (f: DynamoFigures) => number) => counted.reduce((a, f) => a + pick(f), 0);
  // DynamoDB in AWS: the application's table only (the executor's table stands in for Inngest's own state).
  const dynamoCost = (app.writeUnits * PRICES.dynamoWritePerMillionWru + app.readUnits * PRICES.dynamoReadPerMillionRru) / 1e6 / n;
  // Lambda: one API invocation for the POST plus one Inngest-endpoint invocation per executor call, 1 GB, at the
  // median call duration measured here (a local proxy for Lambda duration).
  const lambdaInvocations = 1 + calls / n;
  const lambdaCost = (lambdaInvocations * PRICES.lambdaPerMillionRequests) / 1e6 + lambdaInvocations * 0.1 * 1 * PRICES.lambdaPerGbSecond;
  const sesCost = ((emails / n) * PRICES.sesPerThousandEmails) / 1000;
  return {
    incidents: n,
    triaged: triagedAt.size,
    offeredRate: opts.rate,
    incidentsPerSecond: round((triagedAt.size * 1000) / (last - first), 2),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    jurisdictionsPerIncident: 1,
    obligationsPerIncident: round(obligations.reduce((a, b) => a + b, 0) / obligations.length, 2),
    perIncident: {
      dynamoRequests: per(sum((f) => f.requests)),
      readUnits: per(sum((f) => f.readUnits)),
      writeUnits: per(sum((f) => f.writeUnits)),
      reportedWriteUnits: per(sum((f) => f.reportedWriteUnits)),
      capacityUnits: per(sum((f) => f.capacityUnits)),
      appTable: perTable(app),
      executorTable: perTable(executor),
      inngestRuns: per(list.length),
      inngestSteps: per(steps),
      inngestExecutions: per(list.length + steps),
      appCalls: per(calls),
      emails: per(emails),
    },
    background: { requests: totals.background.requests, readUnits: totals.background.readUnits, seconds: round(countedSeconds, 0) },
    costPerIncidentUsd: {
      dynamo: dynamoCost,
      lambda: lambdaCost,
      ses: sesCost,
      totalAws: dynamoCost + lambdaCost + sesCost,
      inngest: 'not priced: the overage rate per execution could not be verified offline (Pro includes 1M executions/month)',
    },
  };
}

/** Every run of every synced function (the executor answers at most 500 per query). */
export async function listRunsOf(executorUrl: string): Promise<RunView[]> {
  const body = (await (await fetch(`${executorUrl}/v1/functions`)).json()) as { functions?: { id: string }[] } | { id: string }[];
  const functions = Array.isArray(body) ? body : (body.functions ?? []);
  const all: RunView[] = [];
  for (const fn of functions) {
    const page = (await (await fetch(`${executorUrl}/v1/runs?functionId=${encodeURIComponent(fn.id)}&limit=500`)).json()) as
      | { runs?: RunView[] }
      | RunView[];
    all.push(...(Array.isArray(page) ? page : (page.runs ?? [])));
  }
  return all;
}

/** How many obligation items each incident's partition holds (read straight from DynamoDB Local, not counted). */
async function obligationCounts(env: { dynamoEndpoint: string; tableName: string }, org: string, ids: string[]): Promise<number[]> {
  const { doc, raw } = createDynamoClients({ region: 'us-east-1', endpoint: env.dynamoEndpoint });
  try {
    const counts: number[] = [];
    for (const id of ids) {
      let count = 0;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: env.tableName,
            KeyConditionExpression: 'pk = :pk',
            FilterExpression: '#kind = :obligation',
            ExpressionAttributeNames: { '#kind': 'kind' },
            ExpressionAttributeValues: { ':pk': keys.incidentPartition(org, id), ':obligation': 'obligation' },
            Select: 'COUNT',
            ExclusiveStartKey,
          }),
        );
        count += page.Count ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      counts.push(count);
    }
    return counts;
  } finally {
    raw.destroy();
  }
}

/** The seed form's answers for one jurisdiction only (the first the variant names). */
export function oneJurisdiction<T extends { responses: { jurisdictions: string[] } }>(body: T): T {
  return { ...body, responses: { ...body.responses, jurisdictions: body.responses.jurisdictions.slice(0, 1) } };
}

const safeDecode = (body: string) => {
  try {
    return decodeURIComponent(body.replaceAll('+', ' '));
  } catch {
    return body;
  }
};
