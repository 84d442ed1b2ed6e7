import { createApp } from '../functions/api/app';
import { buildAppDeps } from '../functions/deps';
import { loadConfig } from '../infra/config';
import { mintDevToken } from '../infra/local/mint-token';
import { findFreePort } from '../infra/local/ports';
import { startCountingProxy } from './support/counting-proxy';
import { startEventSink } from './support/event-sink';
import { incidentBody } from './support/incident-body';
import { spawnStackProcess } from './support/spawn-stack';
import { log, percentile, round, runLoad } from './support/stats';

export interface WritePathResult {
  concurrency: number;
  durationMs: number;
  rawDynamoTxPerSecond: number;
  apiPostsPerSecond: number;
  ratio: number;
  halfLoadRate: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  note: string;
}

/** Captures the TransactWriteItems input that one `POST /v1/breach-incidents` sends, and the id it created. */
async function captureCreateTransaction(env: { dynamoEndpoint: string; tableName: string; secret: string }) {
  const proxy = await startCountingProxy(env.dynamoEndpoint);
  let captured: string | undefined;
  proxy.onExchange((e) => {
    if (e.target?.endsWith('TransactWriteItems') && e.requestBody.includes('incident.created') && e.status === 200) captured = e.requestBody;
  });
  const config = loadConfig({ DYNAMODB_ENDPOINT: proxy.url, TABLE_NAME: env.tableName, AUTH_JWT_SECRET: env.secret, LOG_LEVEL: 'silent', SES_ENDPOINT: 'http://127.0.0.1:9' });
  const deps = buildAppDeps(config, { events: { publish: async () => undefined } });
  const app = createApp(deps);
  const token = await mintDevToken(env.secret, { org: 'bench-capture', roles: ['admin'] });
  const response = await app.request('/v1/breach-incidents', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(incidentBody(new Date().toISOString())).replaceAll('{{n}}', '0'),
  });
  const { id } = (await response.json()) as { id: string };
  deps.dynamo.raw.destroy();
  await proxy.stop();
  if (response.status !== 201 || !captured) throw new Error(`could not capture the create transaction (HTTP ${response.status})`);
  // The SDK's ClientRequestToken would make every replay an idempotent retry of the first.
  const { ClientRequestToken: _token, ...input } = JSON.parse(captured) as Record<string, unknown>;
  return { id, input: JSON.stringify(input) };
}

/**
 * Raw DynamoDB Local: the same TransactWriteItems request body (fresh ids each time) posted straight to the
 * endpoint, closed loop at the same concurrency. DynamoDB Local ignores signatures (it runs with -sharedDb).
 */
async function rawThroughput(dynamoEndpoint: string, template: { id: string; input: string }, concurrency: number, durationMs: number) {
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
        const fresh = `${template.id.slice(0, -8)}${(n++).toString(36).toUpperCase().padStart(8, '0')}`;
        const response = await fetch(dynamoEndpoint, { method: 'POST', headers, body: template.input.replaceAll(template.id, fresh) });
        const text = await response.text();
        if (response.ok) ok++;
        else if (ok === 0 && n <= concurrency) log(`raw write failed: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
    }),
  );
  return (ok * 1000) / (performance.now() - start);
}

export async function benchWritePath(env: { dynamoEndpoint: string; sesEndpoint: string; tableName: string; secret: string }, opts = { concurrency: 16, durationMs: 15_000 }): Promise<WritePathResult> {
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
    const template = await captureCreateTransaction(env);
    log(`item 1: raw DynamoDB Local, ${opts.concurrency} in flight for ${opts.durationMs / 1000} s`);
    const raw = await rawThroughput(env.dynamoEndpoint, template, opts.concurrency, opts.durationMs);
    const token = await mintDevToken(env.secret, { org: 'bench-write', roles: ['admin'], ttlSeconds: 3600 });
    const plan = {
      url: `${api.url}/v1/breach-incidents`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      bodies: [0, 1, 2].map((v) => JSON.stringify(incidentBody(new Date().toISOString(), v))),
    };
    await runLoad({ ...plan, durationMs: 2000, concurrency: 4 }); // warm-up (provisioning, JIT)
    log(`item 1: API POST /v1/breach-incidents, ${opts.concurrency} in flight for ${opts.durationMs / 1000} s`);
    const max = await runLoad({ ...plan, durationMs: opts.durationMs, concurrency: opts.concurrency });
    const halfLoadRate = Math.max(1, Math.round(max.throughput / 2));
    log(`item 1: API at half load, ${halfLoadRate}/s for ${opts.durationMs / 1000} s`);
    const half = await runLoad({ ...plan, durationMs: opts.durationMs, ratePerSecond: halfLoadRate });
    return {
      concurrency: opts.concurrency,
      durationMs: opts.durationMs,
      rawDynamoTxPerSecond: round(raw),
      apiPostsPerSecond: round(max.throughput),
      ratio: round(max.throughput / raw, 3),
      halfLoadRate,
      p50Ms: round(percentile(half.latenciesMs, 0.5)),
      p99Ms: round(percentile(half.latenciesMs, 0.99)),
      statuses: { ...max.statuses, ...Object.fromEntries(Object.entries(half.statuses).map(([k, v]) => [`half:${k}`, v])) },
      note: 'API process + DynamoDB Local; the Inngest event API is a stub that accepts at once (the executor is item 2)',
    };
  } finally {
    await api.kill('SIGTERM');
    await sink.stop();
  }
}
