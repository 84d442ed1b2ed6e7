// A slow network between the API and DynamoDB (issue 18): the API process talks to DynamoDB Local through a TCP proxy
// that delays every chunk (SLOW_NETWORK_DELAY_MS one way, default 40, plus up to as much jitter). Incident lifecycles
// (create, read, list, move, audit) run against it and against a second API process on a direct connection (the
// baseline, same run). Checked: no 5xx, every incident triaged; reported: p50/p99 per request kind, both ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStackProcess, type StackEnv, type StackProcess } from '../../bench/support/spawn-stack';
import { percentile, round } from '../../bench/support/stats';
import { createDynamoClients } from '../../infra/dynamo/client';
import { ensureTable } from '../../infra/dynamo/ensure-table';
import { startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local';
import { mintDevToken } from '../../infra/local/mint-token';
import { findFreePort } from '../../infra/local/ports';
import { startSesLocal, type RunningSes } from '../../infra/local/ses-local';
import { startLatencyProxy, type LatencyProxy } from '../support/latency-proxy';

type Json = Record<string, any>;
const LIFECYCLES = Number(process.env.SLOW_NETWORK_LIFECYCLES ?? 24);
const DELAY_MS = Number(process.env.SLOW_NETWORK_DELAY_MS ?? 40);
const CONCURRENCY = 4;
const SECRET = 'chaos-slow-secret-0123456789abcdef';
const log = (line: string) => process.stderr.write(`[chaos slow-network ${new Date().toISOString().slice(11, 23)}] ${line}\n`);

describe('slow network between the API and DynamoDB', () => {
  let dynamo: RunningDynamo;
  let ses: RunningSes;
  let proxy: LatencyProxy;
  const procs: StackProcess[] = [];
  let slowApi: string;
  let directApi: string;

  beforeAll(async () => {
    dynamo = await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
    ses = await startSesLocal(await findFreePort());
    proxy = await startLatencyProxy(dynamo.endpoint, { delayMs: DELAY_MS, jitterMs: DELAY_MS });
    const tableName = 'breach-response-chaos-slow';
    const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
    await ensureTable(raw, tableName);
    raw.destroy();
    const executorPort = await findFreePort();
    const base: StackEnv = {
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      tableName,
      apiPort: await findFreePort(),
      executorPort,
      jwtSecret: SECRET,
      extra: { LOG_LEVEL: 'error' },
    };
    const slow = await spawnStackProcess('api', { ...base, dynamoEndpoint: proxy.url }, 120_000);
    procs.push(slow, await spawnStackProcess('executor', { ...base, apiPort: base.apiPort }, 120_000));
    procs.push(await spawnStackProcess('api', { ...base, apiPort: await findFreePort() }, 120_000));
    [slowApi, directApi] = [slow.url, procs[2]!.url];
  });

  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL').catch(() => undefined);
    await proxy?.stop();
    await ses?.stop();
    await dynamo?.stop();
  });

  /** LIFECYCLES incidents, CONCURRENCY at a time: create, read, list, move to INVESTIGATING once triaged, verify the audit. */
  async function lifecycles(api: string, org: string) {
    const token = await mintDevToken(SECRET, { org, roles: ['admin'], ttlSeconds: 3600 });
    const latencies: Record<string, number[]> = {};
    const statuses: Record<string, number> = {};
    const call = async (kind: string, method: string, path: string, body?: unknown) => {
      const t0 = performance.now();
      const response = await fetch(`${api}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body
            ? { 'content-type': 'application/json', 'idempotency-key': `${org}-${path}-${JSON.stringify(body).length}-${Math.random()}` }
            : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = (await response.json()) as Json;
      (latencies[kind] ??= []).push(performance.now() - t0);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      return { status: response.status, body: json };
    };
    await call('me', 'GET', '/v1/me');
    let next = 0;
    let triaged = 0;
    const worker = async () => {
      for (let i = next++; i < LIFECYCLES; i = next++) {
        const created = await call('create', 'POST', '/v1/breach-incidents', {
          formId: 'form_standard_breach_report',
          discoveredAt: new Date().toISOString(),
          responses: {
            description: `Slow network lifecycle ${i}.`,
            breach_type: 'type_system_misconfiguration',
            estimated_affected: 100 + i,
            data_categories: ['Contact details'],
            jurisdictions: ['DE'],
            data_encrypted: 'Not encrypted',
            exfiltration: 'No evidence',
          },
        });
        if (created.status !== 201) continue;
        const id = created.body.id as string;
        await call('list', 'GET', '/v1/breach-incidents?limit=20');
        let stage = '';
        for (let tries = 0; tries < 120 && stage !== 'TRIAGE'; tries++) {
          stage = (await call('get', 'GET', `/v1/breach-incidents/${id}`)).body.stage;
          if (stage !== 'TRIAGE') await new Promise((resolve) => setTimeout(resolve, 500));
        }
        if (stage === 'TRIAGE') triaged++;
        await call('transition', 'POST', `/v1/breach-incidents/${id}/transitions`, {
          targetStage: 'INVESTIGATING',
          notes: 'Investigation team assigned.',
        });
        await call('audit', 'GET', `/v1/breach-incidents/${id}/audit/verify`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const figures = Object.fromEntries(
      Object.entries(latencies).map(([k, v]) => [k, { n: v.length, p50: round(percentile(v, 0.5)), p99: round(percentile(v, 0.99)) }]),
    );
    return { statuses, triaged, figures };
  }

  it('answers without a 5xx and reports p99 against a direct connection', async () => {
    const direct = await lifecycles(directApi, `slow-base-${Date.now().toString(36)}`);
    const slow = await lifecycles(slowApi, `slow-${Date.now().toString(36)}`);
    log(`one-way delay ${DELAY_MS} ms + up to ${DELAY_MS} ms jitter; proxy ${JSON.stringify(proxy.stats())}`);
    for (const kind of Object.keys(slow.figures)) {
      const [s, d] = [slow.figures[kind]!, direct.figures[kind]];
      log(
        `${kind}: slow p50 ${s.p50} ms p99 ${s.p99} ms (n ${s.n}) | direct p50 ${d?.p50} ms p99 ${d?.p99} ms | p99 ${d ? round(s.p99 / Math.max(d.p99, 1), 2) : '—'}×`,
      );
    }
    log(`statuses slow ${JSON.stringify(slow.statuses)} direct ${JSON.stringify(direct.statuses)}; triaged ${slow.triaged}/${LIFECYCLES}`);
    expect(Object.keys(slow.statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    expect(slow.statuses['201']).toBe(LIFECYCLES);
    expect(slow.triaged).toBe(LIFECYCLES);
    expect(slow.figures.transition!.n).toBe(LIFECYCLES);
  });
});
