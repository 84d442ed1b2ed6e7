import { mintDevToken } from '../infra/local/mint-token';
import { incidentBody } from './support/incident-body';
import { log, percentile, round, runLoad } from './support/stats';
import type { CountedStack } from './triage-pipeline';

export interface ScaleSample {
  openIncidents: number;
  pendingTimers: number;
  executorRssMb: number;
  apiRssMb: number;
  listP99Ms: number;
  getP99Ms: number;
}

export interface ScaleResult {
  baseline: ScaleSample;
  loaded: ScaleSample;
  createdPerSecond: number;
}

async function sample(stack: CountedStack, token: string, ids: string[], openIncidents: number): Promise<ScaleSample> {
  const headers = { authorization: `Bearer ${token}` };
  const list = await runLoad({ url: `${stack.api.url}/v1/breach-incidents?limit=50`, method: 'GET', headers, bodies: [''], durationMs: 5000, concurrency: 4 });
  const urls = ids.length > 0 ? ids.map((id) => `${stack.api.url}/v1/breach-incidents/${id}`) : [`${stack.api.url}/v1/me`];
  const get = await runLoad({ url: urls[0]!, urls, method: 'GET', headers, bodies: [''], durationMs: 5000, concurrency: 4 });
  const waiting = (await (await fetch(`${stack.executor.url}/v1/runs?status=waiting&limit=500`)).json()) as { runs: unknown[] };
  return {
    openIncidents,
    pendingTimers: waiting.runs.length,
    executorRssMb: round((await stack.executor.rss()) / 2 ** 20),
    apiRssMb: round((await stack.api.rss()) / 2 ** 20),
    listP99Ms: round(percentile(list.latenciesMs, 0.99)),
    getP99Ms: round(percentile(get.latenciesMs, 0.99)),
  };
}

/** N open incidents, each triaged with its regulatory-clock and SLA runs asleep on pending timers. */
export async function benchScale(stack: CountedStack, env: { secret: string }, opts = { incidents: 1000, rate: 10, waitMs: 120_000 }): Promise<ScaleResult> {
  const org = 'bench-scale';
  const token = await mintDevToken(env.secret, { org, roles: ['admin'], ttlSeconds: 3600 });
  await fetch(`${stack.api.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  const baseline = await sample(stack, token, [], 0);
  log(`item 4: creating ${opts.incidents} incidents at ${opts.rate}/s`);
  const start = Date.now();
  const load = await runLoad({
    url: `${stack.api.url}/v1/breach-incidents`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    bodies: [0, 1, 2].map((v) => JSON.stringify(incidentBody(new Date().toISOString(), v))),
    durationMs: Math.ceil((opts.incidents / opts.rate) * 1000),
    ratePerSecond: opts.rate,
  });
  log(`item 4: POST statuses ${JSON.stringify(load.statuses)}`);
  // Wait for the executor to work through the triage backlog (the DPO emails tell).
  const ids = load.created.map((c) => c.id);
  const deadline = Date.now() + opts.waitMs;
  const seen = new Set<string>();
  while (Date.now() < deadline && seen.size < ids.length) {
    for (const e of stack.emails) {
      const id = /inc_[0-9A-Z]{26}/.exec(e.body)?.[0];
      if (id) seen.add(id);
    }
    const done = ids.filter((id) => seen.has(id)).length;
    if (done >= ids.length) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const createdPerSecond = round((ids.length * 1000) / (Date.now() - start), 2);
  const loaded = await sample(stack, token, ids, ids.length);
  return { baseline, loaded, createdPerSecond };
}
