import { createApp } from '../functions/api/app';
import { buildAppDeps } from '../functions/deps';
import { loadConfig } from '../infra/config';
import { mintDevToken } from '../infra/local/mint-token';
import { findFreePort } from '../infra/local/ports';
import { createDynamoTally, startCountingProxy, type DynamoFigures, type ProxiedExchange } from './support/counting-proxy';
import { startEventSink } from './support/event-sink';
import { incidentBody } from './support/incident-body';
import { spawnStackProcess } from './support/spawn-stack';
import { log, percentile, round, runLoad } from './support/stats';

export interface WritePathResult {
  concurrency: number;
  durationMs: number;
  /** Slices of `durationMs / rounds` each: raw, API with a key, API without, repeated `rounds` times. */
  rounds: number;
  rawDynamoTxPerSecond: number;
  /** Each slice's rate, in order, to show how much the machine's load moved the figures. */
  perSlice: { raw: number[]; withKey: number[]; withoutKey: number[] };
  /** Sustained POSTs per second, each with its own Idempotency-Key (what the baseline transaction includes). */
  apiPostsPerSecond: number;
  /** The same without an Idempotency-Key (no creation record, no key claim). */
  apiPostsPerSecondWithoutKey: number;
  /** apiPostsPerSecond / rawDynamoTxPerSecond. */
  ratio: number;
  ratioWithoutKey: number;
  halfLoadRate: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  createTransaction: CreateTransactionFacts;
  note: string;
}

/** What one `POST /v1/breach-incidents` (with an Idempotency-Key) writes, as captured through a counting proxy. */
export interface CreateTransactionFacts {
  /** The items of the create transaction, by kind (the key's sort key where an item has no kind). */
  items: Record<string, number>;
  itemCount: number;
  /** Updates of existing items in the create transaction (the old model's `ADD incidentCount` on the form and type). */
  updates: number;
  /** Write units of the create transaction as DynamoDB bills them (2 per KB of each item, plus index entries). */
  writeUnits: number;
  /** Of which index writes (the summary's two list indexes, the outbox index). */
  indexWriteUnits: number;
  /** What DynamoDB Local reported for it (it undercounts transactions). */
  reportedWriteUnits: number;
  /** Every DynamoDB request of the POST (in-process app, events stubbed), after the org was provisioned. */
  post: DynamoFigures;
  /** Items written by both of two POSTs in a row: a shared (hot) item shows here. */
  sharedBetweenTwoPosts: string[];
  /** Items the baseline writes in both of two replays (fresh incident id and key hash each time). */
  sharedBetweenTwoReplays: string[];
}

type Wire = Record<string, any>;
const keyOf = (key: Wire | undefined) => (key ? `${key.pk?.S}|${key.sk?.S}` : '?');

/** The items a write request puts, updates, deletes or checks, as `pk|sk`. */
function writtenKeys(operation: string, request: Wire): string[] {
  if (operation === 'PutItem') return [keyOf(request.Item)];
  if (operation === 'UpdateItem' || operation === 'DeleteItem') return [keyOf(request.Key)];
  if (operation === 'TransactWriteItems') {
    return (request.TransactItems as Wire[]).map((t) => keyOf(t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key ?? t.ConditionCheck?.Key));
  }
  if (operation === 'BatchWriteItem') {
    return Object.values(request.RequestItems as Record<string, Wire[]>).flatMap((list) =>
      list.map((r) => keyOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key)),
    );
  }
  return [];
}

const intersection = (a: Iterable<string>, b: Set<string>) => [...new Set(a)].filter((k) => b.has(k));

/** Captures the TransactWriteItems input that one `POST /v1/breach-incidents` sends, and the id and key hash it created. */
async function captureCreateTransaction(env: { dynamoEndpoint: string; tableName: string; secret: string }) {
  const proxy = await startCountingProxy(env.dynamoEndpoint, { requestConsumedCapacity: true });
  const tally = createDynamoTally();
  let exchanges: ProxiedExchange[] = [];
  proxy.onExchange((e) => {
    tally.record(e);
    exchanges.push(e);
  });
  const config = loadConfig({
    DYNAMODB_ENDPOINT: proxy.url,
    TABLE_NAME: env.tableName,
    AUTH_JWT_SECRET: env.secret,
    LOG_LEVEL: 'silent',
    SES_ENDPOINT: 'http://127.0.0.1:9',
  });
  const deps = buildAppDeps(config, { events: { publish: async () => undefined } });
  const app = createApp(deps);
  const token = await mintDevToken(env.secret, { org: 'bench-capture', roles: ['admin'] });
  const post = (n: number) =>
    app.request('/v1/breach-incidents', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `bench-capture-${Date.now()}-${n}`,
      },
      body: JSON.stringify(incidentBody(new Date().toISOString())).replaceAll('{{n}}', String(n)),
    });
  try {
    // The organisation's one-off provisioning is not part of a creation.
    await app.request('/v1/me', { headers: { authorization: `Bearer ${token}` } });
    const posts: { id: string; exchanges: ProxiedExchange[]; figures: DynamoFigures }[] = [];
    for (const n of [0, 1]) {
      exchanges = [];
      tally.reset();
      const response = await post(n);
      if (response.status !== 201)
        throw new Error(`could not capture the create transaction (HTTP ${response.status}: ${await response.text()})`);
      const { id } = (await response.json()) as { id: string };
      await proxy.flush();
      const { byTable: _byTable, background: _background, ...figures } = tally.snapshot();
      posts.push({ id, exchanges, figures });
    }
    const written = posts.map((p) =>
      p.exchanges.flatMap((e) =>
        e.target && e.status === 200 ? writtenKeys(e.target.split('.').at(-1)!, JSON.parse(e.requestBody) as Wire) : [],
      ),
    );
    const create = posts[0]!.exchanges.find(
      (e) => e.target?.endsWith('TransactWriteItems') && e.requestBody.includes('incident.created') && e.status === 200,
    );
    if (!create) throw new Error('the POST sent no create transaction');
    // The SDK's ClientRequestToken would make every replay an idempotent retry of the first.
    const { ClientRequestToken: _token, ReturnConsumedCapacity: _capacity, ...input } = JSON.parse(create.requestBody) as Wire;
    const keyHash = /#IDEMP#([0-9a-f]{64})/.exec(create.requestBody)?.[1];
    if (!keyHash) throw new Error('the create transaction carries no idempotency creation record');
    const items: Record<string, number> = {};
    for (const t of input.TransactItems as Wire[]) {
      const kind = t.Put ? (t.Put.Item.kind?.S ?? t.Put.Item.sk?.S) : `${Object.keys(t)[0]} ${keyOf(Object.values(t)[0].Key)}`;
      items[kind] = (items[kind] ?? 0) + 1;
    }
    const template = { id: posts[0]!.id, keyHash, input: JSON.stringify(input) };
    const replayKeys = (n: number) => new Set(writtenKeys('TransactWriteItems', JSON.parse(freshTransaction(template, n)) as Wire));
    const facts: CreateTransactionFacts = {
      items,
      itemCount: (input.TransactItems as Wire[]).length,
      updates: (input.TransactItems as Wire[]).filter((t) => t.Update).length,
      writeUnits: create.transactionCapacity?.writeUnits ?? NaN,
      indexWriteUnits: create.transactionCapacity?.indexUnits ?? NaN,
      reportedWriteUnits: create.transactionCapacity?.reportedUnits ?? NaN,
      post: posts[0]!.figures,
      sharedBetweenTwoPosts: intersection(written[0]!, new Set(written[1]!)),
      sharedBetweenTwoReplays: intersection(replayKeys(1), replayKeys(2)),
    };
    return { template, facts };
  } finally {
    deps.dynamo.raw.destroy();
    await proxy.stop();
  }
}

/** The captured create transaction for a new incident: a fresh incident id (its partition, references, event) and key hash. */
function freshTransaction(template: { id: string; keyHash: string; input: string }, n: number) {
  const id = `${template.id.slice(0, -8)}${n.toString(36).toUpperCase().padStart(8, '0')}`;
  const keyHash = n.toString(16).padStart(64, '0');
  return template.input.replaceAll(template.id, id).replaceAll(template.keyHash, keyHash);
}

/**
 * Raw DynamoDB Local: the create transaction the API sends (incident summary, first audit entry, outbox event, form and
 * type reference items, the key's creation record, the initial stage's tasks), with a fresh incident id and key hash
 * each time so that no item is shared, posted straight to the endpoint, closed loop at the same concurrency.
 * DynamoDB Local ignores signatures (it runs with -sharedDb).
 */
async function rawThroughput(
  dynamoEndpoint: string,
  template: { id: string; keyHash: string; input: string },
  concurrency: number,
  durationMs: number,
  firstNumber: number,
) {
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.TransactWriteItems',
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  };
  let n = 0;
  let ok = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - start < durationMs) {
        const response = await fetch(dynamoEndpoint, { method: 'POST', headers, body: freshTransaction(template, firstNumber + n++) });
        const text = await response.text();
        if (response.ok) ok++;
        else if (ok === 0 && n <= concurrency) log(`raw write failed: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
    }),
  );
  return { ok, elapsedMs: performance.now() - start };
}

export async function benchWritePath(
  env: { dynamoEndpoint: string; sesEndpoint: string; tableName: string; secret: string },
  opts: { concurrency: number; durationMs: number; rounds?: number } = { concurrency: 16, durationMs: 15_000 },
): Promise<WritePathResult> {
  const sink = await startEventSink();
  const api = await spawnStackProcess('api', {
    dynamoEndpoint: env.dynamoEndpoint,
    sesEndpoint: env.sesEndpoint,
    tableName: env.tableName,
    apiPort: await findFreePort(),
    executorPort: sink.port,
    jwtSecret: env.secret,
  });
  try {
    const { template, facts } = await captureCreateTransaction(env);
    log(`item 1: create transaction ${JSON.stringify(facts)}`);
    const token = await mintDevToken(env.secret, { org: 'bench-write', roles: ['admin'], ttlSeconds: 3600 });
    const plan = {
      url: `${api.url}/v1/breach-incidents`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      bodies: [0, 1, 2].map((v) => JSON.stringify(incidentBody(new Date().toISOString(), v))),
    };
    // DynamoDB Local (a JVM) and the API were just started: warm both up first. Then the baseline and the API take turns
    // in slices, so that a busier or quieter moment of a shared machine falls on both sides.
    log('item 1: warm-up, raw create transactions and API POSTs for 3 s each (not counted)');
    await rawThroughput(env.dynamoEndpoint, template, opts.concurrency, 3000, 1_000);
    await runLoad({ ...plan, durationMs: 3000, concurrency: 4 }); // provisioning, JIT
    const rounds = Math.max(1, opts.rounds ?? 2);
    const sliceMs = opts.durationMs / rounds;
    const raw = { ok: 0, elapsedMs: 0, slices: [] as number[] };
    const withKey = { ok: 0, elapsedMs: 0, slices: [] as number[], statuses: {} as Record<string, number> };
    const withoutKey = { ok: 0, elapsedMs: 0, slices: [] as number[], statuses: {} as Record<string, number> };
    const add = (into: typeof withKey, run: { ok: number; elapsedMs: number; statuses: Record<string, number> }) => {
      into.ok += run.ok;
      into.elapsedMs += run.elapsedMs;
      into.slices.push(round((run.ok * 1000) / run.elapsedMs));
      for (const [k, v] of Object.entries(run.statuses)) into.statuses[k] = (into.statuses[k] ?? 0) + v;
    };
    for (let r = 0; r < rounds; r++) {
      log(
        `item 1: round ${r + 1}/${rounds}: raw DynamoDB Local, API with a key, API without, ${opts.concurrency} in flight for ${sliceMs / 1000} s each`,
      );
      const slice = await rawThroughput(env.dynamoEndpoint, template, opts.concurrency, sliceMs, (r + 1) * 1_000_000);
      raw.ok += slice.ok;
      raw.elapsedMs += slice.elapsedMs;
      raw.slices.push(round((slice.ok * 1000) / slice.elapsedMs));
      add(
        withKey,
        await runLoad({ ...plan, durationMs: sliceMs, concurrency: opts.concurrency, idempotencyKeyPrefix: `bench-write-${Date.now()}` }),
      );
      add(withoutKey, await runLoad({ ...plan, durationMs: sliceMs, concurrency: opts.concurrency }));
    }
    const rate = (x: { ok: number; elapsedMs: number }) => (x.ok * 1000) / x.elapsedMs;
    const halfLoadRate = Math.max(1, Math.round(rate(withKey) / 2));
    log(`item 1: API at half load, ${halfLoadRate}/s for ${opts.durationMs / 1000} s`);
    const half = await runLoad({
      ...plan,
      durationMs: opts.durationMs,
      ratePerSecond: halfLoadRate,
      idempotencyKeyPrefix: `bench-half-${Date.now()}`,
    });
    const prefixed = (prefix: string, statuses: Record<string, number>) =>
      Object.fromEntries(Object.entries(statuses).map(([k, v]) => [`${prefix}${k}`, v]));
    return {
      concurrency: opts.concurrency,
      durationMs: opts.durationMs,
      rounds,
      rawDynamoTxPerSecond: round(rate(raw)),
      apiPostsPerSecond: round(rate(withKey)),
      apiPostsPerSecondWithoutKey: round(rate(withoutKey)),
      perSlice: { raw: raw.slices, withKey: withKey.slices, withoutKey: withoutKey.slices },
      ratio: round(rate(withKey) / rate(raw), 3),
      ratioWithoutKey: round(rate(withoutKey) / rate(raw), 3),
      halfLoadRate,
      p50Ms: round(percentile(half.latenciesMs, 0.5)),
      p99Ms: round(percentile(half.latenciesMs, 0.99)),
      statuses: { ...withKey.statuses, ...prefixed('nokey:', withoutKey.statuses), ...prefixed('half:', half.statuses) },
      createTransaction: facts,
      note: 'API process + DynamoDB Local; the Inngest event API is a stub that accepts at once (the executor is item 2). The baseline replays the captured create transaction, which includes the Idempotency-Key creation record; the API run it is compared with sends a key per request (the key is also claimed and completed outside the transaction).',
    };
  } finally {
    await api.kill('SIGTERM');
    await sink.stop();
  }
}
