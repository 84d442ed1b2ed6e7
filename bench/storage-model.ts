// Item 6: the storage model's cost as an incident's obligations grow. Real triage through the counted stack for
// about 1, 30 and every-jurisdiction obligations (one incident at a time, so every request is the incident's), and a
// 500-obligation change written through the incident repository's one audited path.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { assessObligations } from '../domain/assessment/rules';
import { trackObligations } from '../domain/obligations/rules';
import type { TrackedObligation } from '../domain/obligations/schema';
import { defaultCatalog } from '../domain/regulations/catalog';
import { notificationTasks } from '../domain/tasks/notification-tasks';
import { createApp } from '../functions/api/app';
import { buildAppDeps } from '../functions/deps';
import { loadConfig } from '../infra/config';
import { createDynamoClients } from '../infra/dynamo/client';
import { keys } from '../infra/dynamo/keys';
import { mintDevToken } from '../infra/local/mint-token';
import { triagedChange, triageRecord } from '../workflows/steps/assess-incident';
import { createDynamoTally, figuresOf, startCountingProxy, type DynamoFigures, type ProxiedExchange } from './support/counting-proxy';
import { log, round } from './support/stats';
import type { CountedStack } from './triage-pipeline';

/** The answers every case gives (those of the every-jurisdiction e2e test); only the jurisdictions change. */
const ANSWERS = {
  estimated_affected: 2_000_000,
  data_categories: ['Financial', 'Contact details'],
  breach_type: 'type_unauthorized_access',
  data_encrypted: 'Not encrypted',
  exfiltration: 'Confirmed',
};

const everyJurisdiction = () => [...new Set(defaultCatalog().regimes.flatMap((r) => r.jurisdictions))].sort();

/** What the assessment engine decides for the answers above in these jurisdictions (as triage reads the seed form). */
function assess(jurisdictions: string[], awareAt = new Date().toISOString()) {
  return assessObligations(
    {
      awareAt,
      personalDataInvolved: true,
      nature: ['confidentiality'],
      cause: 'cyber-attack',
      dataCategories: ANSWERS.data_categories,
      affected: jurisdictions.map((jurisdiction) => ({ jurisdiction, count: ANSWERS.estimated_affected })),
      encryption: { state: 'none', keyCompromised: false },
      exfiltration: 'confirmed',
      role: 'controller',
    },
    defaultCatalog(),
  );
}
const obligationsOf = (jurisdictions: string[]) => trackObligations(assess(jurisdictions)).length;

/**
 * Jurisdictions (alphabetical, each taken only if the total stays within the target) whose obligations come to the
 * target; `all` is every jurisdiction of the catalog. The count is the engine's; the bench reports the one triage stored.
 */
export function jurisdictionsFor(target: number | 'all'): string[] {
  const all = everyJurisdiction();
  if (target === 'all') return all;
  const chosen: string[] = [];
  let count = 0;
  for (const j of all) {
    if (count >= target) break;
    const next = obligationsOf([...chosen, j]);
    if (next > count && next <= target) {
      chosen.push(j);
      count = next;
    }
  }
  return chosen;
}

export interface PartitionFacts {
  items: number;
  byKind: Record<string, number>;
  /** Largest item as JSON (the document client's view), as the storage tests measure it. */
  largestItemBytes: number;
  largestItemKind: string;
  /** The largest item of each kind, in bytes (as JSON). */
  largestByKind: Record<string, number>;
  /** Audit entries of the triage change (`incident.triaged.part` … `incident.triaged`): one per chunk. */
  triageChunks: number;
}

export interface ObligationCase {
  target: string;
  jurisdictions: string[];
  incidentId: string;
  obligations: number;
  notificationTasks: number;
  postMs: number;
  /** From the 201 to the SES proxy accepting the DPO's triage email. */
  createdToDpoEmailMs: number;
  /** From the 201 until neither table had seen a request of the incident for the quiet window. */
  settledMs: number;
  settled: boolean;
  appTable: DynamoFigures;
  executorTable: DynamoFigures;
  appWcuPerObligation: number;
  /** The triage change's transactions on the application table (incident.triaged and its parts). */
  triageChange: { transactions: number; writeUnits: number; wcuPerObligation: number };
  /** The application table's writes that name the incident, by what they write (a transaction by its audit action). */
  appWrites: Record<string, { requests: number; writeUnits: number; indexUnits: number }>;
  partition: PartitionFacts;
}

export interface LargeChange {
  obligations: number;
  tasks: number;
  durationMs: number;
  requests: number;
  operations: Record<string, number>;
  writeUnits: number;
  readUnits: number;
  transactions: number;
  wcuPerObligation: number;
  partition: PartitionFacts;
}

export interface StorageModelResult {
  quietWindowMs: number;
  cases: ObligationCase[];
  /** App-table WCU per obligation added, from the smallest case to each larger one (linear growth keeps it flat). */
  marginalWcuPerObligation: { from: number; to: number; wcu: number }[];
  /** WCU per obligation added up to the largest case ÷ up to the second case (~30): ≈ 1 when linear, far above when quadratic. */
  linearity: number;
  /** The case nearest 150 obligations: its 201→DPO email against the smallest case's. */
  dpoEmail: { obligations: number; ms: number; smallestMs: number; ratio: number };
  large: LargeChange;
  /** WCU per obligation of the 500-obligation change ÷ that of the largest real triage change. */
  largeVsTriage: number;
}

type Item = Record<string, unknown>;

async function partitionItems(doc: ReturnType<typeof createDynamoClients>['doc'], tableName: string, partition: string): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

function partitionFacts(items: Item[]): PartitionFacts {
  const byKind: Record<string, number> = {};
  const largestByKind: Record<string, number> = {};
  let largestItemBytes = 0;
  let largestItemKind = '';
  for (const item of items) {
    const kind = String(item.kind ?? item.sk);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    const bytes = Buffer.byteLength(JSON.stringify(item));
    largestByKind[kind] = Math.max(largestByKind[kind] ?? 0, bytes);
    if (bytes > largestItemBytes) [largestItemBytes, largestItemKind] = [bytes, kind];
  }
  const triageChunks = items.filter(
    (i) => i.kind === 'audit' && typeof i.action === 'string' && i.action.startsWith('incident.triaged'),
  ).length;
  return { items: items.length, byKind, largestItemBytes, largestItemKind, largestByKind, triageChunks };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no counted (non-background) DynamoDB request has completed for `quietMs`; false when `capMs` ran out first. */
async function quiet(stack: CountedStack, quietMs: number, capMs: number): Promise<boolean> {
  const deadline = Date.now() + capMs;
  while (Date.now() < deadline) {
    if (Date.now() - stack.tally.lastActivity() >= quietMs) return true;
    await sleep(100);
  }
  return false;
}

const writeUnitsOf = (e: ProxiedExchange) => e.transactionCapacity?.writeUnits ?? NaN;
const reportedUnits = (e: ProxiedExchange) => {
  try {
    const consumed = (JSON.parse(e.responseBody) as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
    return consumed?.CapacityUnits ?? 0;
  } catch {
    return 0;
  }
};

async function triageCase(
  stack: CountedStack,
  env: { dynamoEndpoint: string; tableName: string },
  token: string,
  org: string,
  target: number | 'all',
  opts: StorageModelOptions,
  appWrites: ProxiedExchange[],
): Promise<ObligationCase> {
  const jurisdictions = jurisdictionsFor(target);
  log(
    `item 6: ${target === 'all' ? 'every' : `~${target}`}-obligation incident (${jurisdictions.length} jurisdictions: ${jurisdictions.slice(0, 8).join(' ')}${jurisdictions.length > 8 ? ' …' : ''})`,
  );
  // Start from a quiet stack, so that every request counted from here on is this incident's.
  await quiet(stack, opts.quietMs, opts.settleMs);
  stack.tally.reset();
  appWrites.length = 0;
  const emailsBefore = stack.emails.length;
  const t0 = Date.now();
  const response = await fetch(`${stack.api.url}/v1/breach-incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      formId: 'form_standard_breach_report',
      discoveredAt: new Date().toISOString(),
      responses: {
        description: `Customer records of ${jurisdictions.length} markets exfiltrated from the CRM (bench item 6).`,
        ...ANSWERS,
        jurisdictions,
      },
    }),
  });
  const createdAt = Date.now();
  if (response.status !== 201) throw new Error(`item 6: POST answered ${response.status}: ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  let emailAt: number | undefined;
  const deadline = Date.now() + opts.settleMs;
  while (emailAt === undefined && Date.now() < deadline) {
    emailAt = stack.emails.slice(emailsBefore).find((e) => e.body.includes(id) && e.body.includes('dpo@'))?.at;
    if (emailAt === undefined) await sleep(50);
  }
  const settled = await quiet(stack, opts.quietMs, Math.max(0, deadline - Date.now()));
  await Promise.all([stack.apiDynamo.flush(), stack.executorDynamo.flush()]);
  const settledMs = stack.tally.lastActivity() - createdAt;
  const totals = stack.tally.snapshot();
  const appTable = figuresOf(totals, stack.tables.app);
  const executorTable = figuresOf(totals, stack.tables.executor);
  const mine = appWrites.filter((e) => e.requestBody.includes(id));
  const triage = mine.filter((e) => e.target?.endsWith('TransactWriteItems') && e.requestBody.includes('"incident.triaged'));
  const triageUnits = triage.reduce((sum, e) => sum + writeUnitsOf(e), 0);
  const byWhat: ObligationCase['appWrites'] = {};
  for (const e of mine) {
    const operation = e.target!.split('.').at(-1)!;
    const what =
      operation === 'TransactWriteItems'
        ? `tx ${/"action":\{"S":"([^"]+)"/.exec(e.requestBody)?.[1] ?? '?'}`
        : `${operation} ${/"sk":\{"S":"([A-Z]+)/.exec(e.requestBody)?.[1] ?? '?'}`;
    const entry = (byWhat[what] ??= { requests: 0, writeUnits: 0, indexUnits: 0 });
    entry.requests++;
    entry.writeUnits += e.transactionCapacity?.writeUnits ?? reportedUnits(e);
    entry.indexUnits += e.transactionCapacity?.indexUnits ?? 0;
  }
  const { doc, raw } = createDynamoClients({ region: 'us-east-1', endpoint: env.dynamoEndpoint });
  const items = await partitionItems(doc, env.tableName, keys.incidentPartition(org, id));
  raw.destroy();
  const partition = partitionFacts(items);
  const obligations = partition.byKind.obligation ?? 0;
  return {
    target: String(target),
    jurisdictions,
    incidentId: id,
    obligations,
    notificationTasks: items.filter((i) => i.kind === 'task' && i.purpose === 'notification').length,
    postMs: createdAt - t0,
    createdToDpoEmailMs: emailAt === undefined ? NaN : emailAt - createdAt,
    settledMs,
    settled,
    appTable,
    executorTable,
    appWcuPerObligation: round(appTable.writeUnits / Math.max(1, obligations), 2),
    triageChange: {
      transactions: triage.length,
      writeUnits: triageUnits,
      wcuPerObligation: round(triageUnits / Math.max(1, obligations), 2),
    },
    appWrites: byWhat,
    partition,
  };
}

/**
 * `count` obligations and their notification tasks in one change through `incidents.recordChange` (the path triage
 * takes), on an incident created through the API in-process with the events stubbed (no workflow runs). The
 * obligations are the catalog's every-jurisdiction obligations repeated under new ids, so that items have real sizes.
 */
async function largeChange(env: { dynamoEndpoint: string; tableName: string; secret: string }, count: number): Promise<LargeChange> {
  const proxy = await startCountingProxy(env.dynamoEndpoint, { requestConsumedCapacity: true });
  const tally = createDynamoTally({ background: () => false });
  proxy.onExchange(tally.record);
  const config = loadConfig({
    DYNAMODB_ENDPOINT: proxy.url,
    TABLE_NAME: env.tableName,
    AUTH_JWT_SECRET: env.secret,
    LOG_LEVEL: 'silent',
    SES_ENDPOINT: 'http://127.0.0.1:9',
  });
  const deps = buildAppDeps(config, { events: { publish: async () => undefined } });
  const direct = createDynamoClients({ region: 'us-east-1', endpoint: env.dynamoEndpoint });
  try {
    const org = 'bench-storage-large';
    const app = createApp(deps);
    const token = await mintDevToken(env.secret, { org, roles: ['admin'] });
    const created = await app.request('/v1/breach-incidents', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        formId: 'form_standard_breach_report',
        responses: { description: `A ${count}-obligation breach (bench item 6).`, ...ANSWERS, jurisdictions: ['FR'] },
      }),
    });
    if (created.status !== 201) throw new Error(`item 6: POST answered ${created.status}: ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    const now = new Date().toISOString();
    const result = assess(everyJurisdiction(), now);
    const real = trackObligations(result);
    const obligations: TrackedObligation[] = Array.from({ length: count }, (_, i) => ({
      ...real[i % real.length]!,
      id: `${real[i % real.length]!.id}~${Math.floor(i / real.length)}`,
    }));
    const tasks = notificationTasks(id, obligations, now);
    const record = triageRecord({ result, obligations, assumptions: [] }, now);
    const change = triagedChange({ result, obligations }, record, tasks);
    log(`item 6: ${count} obligations + ${tasks.length} tasks through incidents.recordChange`);
    tally.reset();
    const t0 = performance.now();
    const { applied } = await deps.repos.incidents.recordChange(org, id, () => change, {
      actor: { type: 'system', id: 'bench' },
      onceKey: 'triage',
    });
    const durationMs = performance.now() - t0;
    if (!applied) throw new Error('item 6: the large change was not applied');
    await proxy.flush();
    const figures = tally.snapshot();
    const partition = partitionFacts(await partitionItems(direct.doc, env.tableName, keys.incidentPartition(org, id)));
    return {
      obligations: partition.byKind.obligation ?? 0,
      tasks: partition.byKind.task ?? 0,
      durationMs: round(durationMs, 0),
      requests: figures.requests,
      operations: figures.operations,
      writeUnits: figures.writeUnits,
      readUnits: figures.readUnits,
      transactions: figures.operations.TransactWriteItems ?? 0,
      wcuPerObligation: round(figures.writeUnits / count, 2),
      partition,
    };
  } finally {
    deps.dynamo.raw.destroy();
    direct.raw.destroy();
    await proxy.stop();
  }
}

export interface StorageModelOptions {
  /** Obligation targets for real triage: numbers, or `all` for every jurisdiction of the catalog. */
  targets: (number | 'all')[];
  /** Obligations (and as many tasks) of the change written through the repository. */
  large: number;
  /** No request for this long means the incident's work (triage, follow-up runs reaching their sleeps) is done. */
  quietMs: number;
  /** At most this long per incident, from its 201. */
  settleMs: number;
}

export async function benchStorageModel(
  stack: CountedStack,
  env: { dynamoEndpoint: string; tableName: string; secret: string },
  opts: StorageModelOptions,
): Promise<StorageModelResult> {
  const org = 'bench-storage';
  const token = await mintDevToken(env.secret, { org, roles: ['admin'], ttlSeconds: 3600 });
  await fetch(`${stack.api.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  const appWrites: ProxiedExchange[] = [];
  stack.apiDynamo.onExchange((e) => {
    if (e.status === 200 && /\.(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)$/.test(e.target ?? '')) appWrites.push(e);
  });
  const cases: ObligationCase[] = [];
  for (const target of opts.targets) {
    const result = await triageCase(stack, env, token, org, target, opts, appWrites);
    log(`item 6: ${JSON.stringify({ ...result, jurisdictions: result.jurisdictions.length })}`);
    cases.push(result);
  }
  const large = await largeChange(env, opts.large);
  log(`item 6: ${JSON.stringify(large)}`);
  const [smallest] = cases;
  const marginal = cases.slice(1).map((c) => ({
    from: smallest!.obligations,
    to: c.obligations,
    wcu: round((c.appTable.writeUnits - smallest!.appTable.writeUnits) / Math.max(1, c.obligations - smallest!.obligations), 2),
  }));
  const linearity = marginal.length >= 2 ? round(marginal.at(-1)!.wcu / marginal[0]!.wcu, 2) : NaN;
  const largestTriage = cases.reduce((a, b) => (b.obligations > a.obligations ? b : a), smallest!);
  const near150 = cases.reduce((a, b) => (Math.abs(b.obligations - 150) < Math.abs(a.obligations - 150) ? b : a), smallest!);
  return {
    quietWindowMs: opts.quietMs,
    cases,
    marginalWcuPerObligation: marginal,
    linearity,
    dpoEmail: {
      obligations: near150.obligations,
      ms: near150.createdToDpoEmailMs,
      smallestMs: smallest!.createdToDpoEmailMs,
      ratio: round(near150.createdToDpoEmailMs / smallest!.createdToDpoEmailMs, 2),
    },
    large,
    largeVsTriage: round(large.wcuPerObligation / largestTriage.triageChange.wcuPerObligation, 2),
  };
}
