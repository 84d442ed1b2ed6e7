// Item 8: outbound webhook delivery latency and the Art. 33(5) register export's throughput and memory.
// Run alone: npx tsx bench/integrations.ts (BENCH_WEBHOOK_DELIVERIES, BENCH_EXPORT_INCIDENTS set the sizes).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../infra/local/ports';
import { mintDevToken } from '../infra/local/mint-token';
import { startEventSink } from './support/event-sink';
import { incidentBody } from './support/incident-body';
import { spawnStackProcess } from './support/spawn-stack';
import { log, percentile, round } from './support/stats';

export interface IntegrationsEnv {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  secret: string;
}

export interface IntegrationsResult {
  webhook: { deliveries: number; p50Ms: number; p99Ms: number; directP50Ms: number; directP99Ms: number };
  export: {
    incidents: number;
    seconds: number;
    perSecond: number;
    listPerSecond: number;
    apiRssIdleMb: number;
    apiRssPeakMb: number;
    bytes: number;
  };
}

/** The memory budget the bench holds every process to (the 10,000-incident item's goal). */
export const MEMORY_BUDGET_MB = 256;

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** A receiver that timestamps each CloudEvent's arrival by the incident it is about. */
async function startTimedReceiver() {
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string; data?: { incidentId?: string } };
        if (event.type === 'breach/incident.created' && event.data?.incidentId) arrivals.set(event.data.incidentId, performance.now());
      } catch {
        // a direct baseline POST: not an event
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function until(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** From the API's 201 to the subscriber's receipt of `breach/incident.created`: outbox, executor, fan-out, signed POST. */
async function benchWebhookLatency(env: IntegrationsEnv, deliveries: number) {
  const [apiPort, executorPort] = [await findFreePort(), await findFreePort()];
  const stackEnv = { ...env, jwtSecret: env.secret, apiPort, executorPort };
  const api = await spawnStackProcess('api', stackEnv);
  const executor = await spawnStackProcess('executor', stackEnv);
  const receiver = await startTimedReceiver();
  try {
    const org = `bench-hooks-${Date.now().toString(36)}`;
    const headers = {
      authorization: `Bearer ${await mintDevToken(env.secret, { org, roles: ['admin'] })}`,
      'content-type': 'application/json',
    };
    const subscribed = await fetch(`${api.url}/v1/webhook-subscriptions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: receiver.url, eventTypes: ['breach/incident.created'] }),
    });
    if (subscribed.status !== 201) throw new Error(`subscription: ${subscribed.status} ${await subscribed.text()}`);
    const latencies: number[] = [];
    for (let i = 0; i < deliveries; i++) {
      const body = JSON.stringify(incidentBody(new Date().toISOString(), i)).replace('{{n}}', String(i));
      const response = await fetch(`${api.url}/v1/breach-incidents`, { method: 'POST', headers, body });
      const accepted = performance.now();
      const { id } = (await response.json()) as { id: string };
      await until(() => receiver.arrivals.has(id), 60_000);
      latencies.push(receiver.arrivals.get(id)! - accepted);
    }
    const direct: number[] = [];
    for (let i = 0; i < deliveries; i++) {
      const started = performance.now();
      await (
        await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"baseline":true}' })
      ).arrayBuffer();
      direct.push(performance.now() - started);
    }
    return {
      deliveries,
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      directP50Ms: round(percentile(direct, 0.5), 2),
      directP99Ms: round(percentile(direct, 0.99), 2),
    };
  } finally {
    await receiver.stop();
    await executor.kill();
    await api.kill();
  }
}

/** The register streamed as CSV over `incidents` stored incidents, the API's RSS sampled while it streams. */
async function benchExport(env: IntegrationsEnv, incidents: number) {
  const sink = await startEventSink();
  const apiPort = await findFreePort();
  const api = await spawnStackProcess('api', {
    ...env,
    jwtSecret: env.secret,
    apiPort,
    executorPort: sink.port,
    extra: { INNGEST_BASE_URL: sink.url },
  });
  try {
    const org = `bench-export-${Date.now().toString(36)}`;
    const headers = {
      authorization: `Bearer ${await mintDevToken(env.secret, { org, roles: ['admin'] })}`,
      'content-type': 'application/json',
    };
    const from = new Date().toISOString();
    log(`export: seeding ${incidents} incidents`);
    for (let i = 0; i < incidents; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, incidents - i) }, async (_, k) => {
          const body = JSON.stringify(incidentBody(new Date().toISOString(), i + k)).replace('{{n}}', String(i + k));
          const response = await fetch(`${api.url}/v1/breach-incidents`, { method: 'POST', headers, body });
          if (response.status !== 201) throw new Error(`seed: ${response.status}`);
          await response.arrayBuffer();
        }),
      );
    }
    const to = new Date(Date.now() + 1000).toISOString();

    // Baseline in the same run: paging the same incidents' summaries through the list endpoint.
    const listStarted = performance.now();
    let listed = 0;
    for (let cursor: string | null = null; ; ) {
      const page = (await (
        await fetch(`${api.url}/v1/breach-incidents?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers })
      ).json()) as { items: unknown[]; nextCursor: string | null };
      listed += page.items.length;
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const listSeconds = (performance.now() - listStarted) / 1000;

    const idle = await api.rss();
    let peak = idle;
    const sampler = setInterval(
      () =>
        void api.rss().then(
          (rss) => (peak = Math.max(peak, rss)),
          () => undefined,
        ),
      50,
    );
    const started = performance.now();
    const response = await fetch(`${api.url}/v1/breach-register?format=csv&from=${from}&to=${to}`, { headers });
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, await api.rss());
    return {
      incidents,
      seconds: round(seconds, 2),
      perSecond: round(incidents / seconds),
      listPerSecond: round(listed / listSeconds),
      apiRssIdleMb: mb(idle),
      apiRssPeakMb: mb(peak),
      bytes,
    };
  } finally {
    await api.kill();
    await sink.stop();
  }
}

export async function benchIntegrations(
  env: IntegrationsEnv,
  sizes = { deliveries: 50, exportIncidents: 1000 },
): Promise<IntegrationsResult> {
  log(`webhooks: ${sizes.deliveries} deliveries, one at a time`);
  const webhook = await benchWebhookLatency(env, sizes.deliveries);
  const exported = await benchExport(env, sizes.exportIncidents);
  return { webhook, export: exported };
}

export const integrationsSizesFromEnv = () => ({
  deliveries: Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 50),
  exportIncidents: Number(process.env.BENCH_EXPORT_INCIDENTS ?? 1000),
});

export function integrationsRows(r: IntegrationsResult): [string, string, string, string][] {
  return [
    [
      `8 outbound webhook delivery, API 201 → subscriber receives the signed CloudEvent (${r.webhook.deliveries} deliveries)`,
      `p50 ${r.webhook.p50Ms} ms · p99 ${r.webhook.p99Ms} ms`,
      `a direct POST to the same receiver: p50 ${r.webhook.directP50Ms} ms · p99 ${r.webhook.directP99Ms} ms`,
      `${round(r.webhook.p50Ms / r.webhook.directP50Ms)}× (p50)`,
    ],
    [
      `8 Art. 33(5) register export, CSV streamed over ${r.export.incidents} incidents`,
      `${r.export.perSecond} incidents/s (${r.export.seconds} s, ${round(r.export.bytes / 1024)} KiB); API RSS ${r.export.apiRssIdleMb} → peak ${r.export.apiRssPeakMb} MB while streaming (+${round(r.export.apiRssPeakMb - r.export.apiRssIdleMb)} MB; the process runs TypeScript through tsx)`,
      `paging the same incidents' summaries (GET /v1/breach-incidents): ${r.export.listPerSecond}/s`,
      `${round(r.export.perSecond / r.export.listPerSecond, 2)}× the list's rate; growth ${round((r.export.apiRssPeakMb - r.export.apiRssIdleMb) / MEMORY_BUDGET_MB, 3)}× the ${MEMORY_BUDGET_MB} MB budget`,
    ],
  ];
}

async function main() {
  const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
  const { startSesLocal } = await import('../infra/local/ses-local');
  const { createDynamoClients } = await import('../infra/dynamo/client');
  const { ensureTable } = await import('../infra/dynamo/ensure-table');
  const dynamo = await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
  const ses = await startSesLocal(await findFreePort());
  try {
    const tableName = 'bench-integrations';
    const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
    await ensureTable(raw, tableName);
    raw.destroy();
    const result = await benchIntegrations(
      { dynamoEndpoint: dynamo.endpoint, sesEndpoint: ses.endpoint, tableName, secret: 'bench-secret-0123456789abcdef' },
      integrationsSizesFromEnv(),
    );
    console.log(JSON.stringify(result));
    for (const row of integrationsRows(result)) console.log(row.join(' | '));
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
