// DynamoDB Local killed (kill -9) and restarted on its data on disk while incidents are submitted and triaged
// (issue 18): the API and the executor run on as real processes and meet a database that is gone, then back. Checked:
// every incident the API accepted with a 201 is there, once, and is triaged (its run resumed), every audit chain
// verifies, no executor run failed. DYNAMO_CHAOS_INCIDENTS (default 30) and DYNAMO_CHAOS_KILLS (default 3) size it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStackProcess, type StackEnv, type StackProcess } from '../../bench/support/spawn-stack';
import { createDynamoClients } from '../../infra/dynamo/client';
import { ensureTable } from '../../infra/dynamo/ensure-table';
import { startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local';
import { mintDevToken } from '../../infra/local/mint-token';
import { findFreePort } from '../../infra/local/ports';
import { startSesLocal, type RunningSes } from '../../infra/local/ses-local';
import { killDynamoLocal } from '../support/kill-dynamo-local';

type Json = Record<string, any>;
const INCIDENTS = Number(process.env.DYNAMO_CHAOS_INCIDENTS ?? 30);
const KILLS = Number(process.env.DYNAMO_CHAOS_KILLS ?? 3);
const SPREAD_MS = 30_000;
const TRIAGE_DEADLINE_MS = 240_000;
const SECRET = 'chaos-dynamo-secret-0123456789abcdef';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stderr.write(`[chaos dynamo ${new Date().toISOString().slice(11, 23)}] ${line}\n`);

describe('DynamoDB Local killed and restarted mid-run, data on disk', () => {
  let dataDir: string;
  let dynamoPort: number;
  let dynamo: RunningDynamo;
  let ses: RunningSes;
  let env: StackEnv;
  const procs: StackProcess[] = [];
  const org = `chaos-db-${Date.now().toString(36)}`;
  const tableName = 'breach-response-chaos-db';
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'breach-chaos-db-'));
    dynamoPort = await findFreePort();
    dynamo = await startDynamoLocal({ port: dynamoPort, dataDir, timeoutMs: 90_000 });
    ses = await startSesLocal(await findFreePort());
    const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
    await ensureTable(raw, tableName);
    raw.destroy();
    env = {
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      tableName,
      apiPort: await findFreePort(),
      executorPort: await findFreePort(),
      jwtSecret: SECRET,
      extra: { LOG_LEVEL: 'error', RELAY_INTERVAL_MS: '2000' },
    };
    procs.push(await spawnStackProcess('api', env, 120_000));
    procs.push(await spawnStackProcess('executor', env, 120_000));
    token = await mintDevToken(SECRET, { org, roles: ['admin'], ttlSeconds: 3600 });
    expect((await fetch(`${procs[0]!.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL').catch(() => undefined);
    await ses?.stop().catch(() => undefined);
    await dynamo?.stop().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no accepted incident and resumes every run', async () => {
    const api = procs[0]!.url;
    const auth = { authorization: `Bearer ${token}` };
    const started = Date.now();
    const statuses: Record<string, number> = {};

    // Kills spread over the submission window, each followed by 2–5 s without a database.
    const chaos = (async () => {
      for (let k = 0; k < KILLS; k++) {
        await sleep(SPREAD_MS / (KILLS + 1) - 2000);
        await killDynamoLocal(dynamoPort);
        const down = 2000 + Math.random() * 3000;
        log(`kill -9 DynamoDB Local (${k + 1}/${KILLS}); down for ${Math.round(down)} ms`);
        await sleep(down);
        dynamo = await startDynamoLocal({ port: dynamoPort, dataDir, timeoutMs: 90_000 });
        log('DynamoDB Local restarted on its data');
      }
    })();

    // Clients retry with the same Idempotency-Key until they get an answer that is not a 5xx or a network error.
    const submit = async (index: number): Promise<string | undefined> => {
      await sleep((index * SPREAD_MS) / INCIDENTS);
      const body = JSON.stringify({
        formId: 'form_standard_breach_report',
        discoveredAt: new Date(started).toISOString(),
        responses: {
          description: `Records exposed [${org}-${index}].`,
          breach_type: 'type_system_misconfiguration',
          estimated_affected: 40 + index,
          data_categories: ['Contact details'],
          jurisdictions: ['DE'],
          data_encrypted: 'Not encrypted',
          exfiltration: 'No evidence',
        },
      });
      for (let _attempt = 0; Date.now() - started < SPREAD_MS + 120_000; _attempt++) {
        try {
          const response = await fetch(`${api}/v1/breach-incidents`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `${org}-${index}` },
            body,
            signal: AbortSignal.timeout(20_000),
          });
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.status === 201) return ((await response.json()) as Json).id as string;
          if (response.status < 500 && response.status !== 409) throw new Error(`#${index}: ${response.status} ${await response.text()}`);
        } catch (error) {
          if ((error as Error).message.startsWith(`#${index}:`)) throw error;
          statuses.network = (statuses.network ?? 0) + 1;
        }
        await sleep(500 + Math.random() * 1000);
      }
      return undefined;
    };
    const ids = await Promise.all(Array.from({ length: INCIDENTS }, (_, i) => submit(i)));
    await chaos;
    const accepted = ids.filter((id): id is string => Boolean(id));
    log(`${accepted.length}/${INCIDENTS} accepted; answers ${JSON.stringify(statuses)}`);

    const get = async (path: string) => {
      const response = await fetch(`${api}${path}`, { headers: auth, signal: AbortSignal.timeout(20_000) });
      return { status: response.status, body: (await response.json()) as Json };
    };
    const stages = new Map<string, string>();
    const waitStarted = Date.now();
    while (Date.now() - waitStarted < TRIAGE_DEADLINE_MS && accepted.some((id) => stages.get(id) !== 'TRIAGE')) {
      for (const id of accepted.filter((i) => stages.get(i) !== 'TRIAGE')) {
        const { status, body } = await get(`/v1/breach-incidents/${id}`).catch(() => ({ status: 0, body: {} as Json }));
        if (status === 200) stages.set(id, body.stage);
      }
      await sleep(2000);
    }
    log(
      `triaged ${[...stages.values()].filter((s) => s === 'TRIAGE').length}/${accepted.length} in ${Math.round((Date.now() - waitStarted) / 1000)} s`,
    );

    const listed: Json[] = [];
    let cursor: string | null = null;
    do {
      const { body } = await get(`/v1/breach-incidents?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      listed.push(...(body.items as Json[]));
      cursor = body.nextCursor as string | null;
    } while (cursor);
    const broken: string[] = [];
    for (const id of accepted) if ((await get(`/v1/breach-incidents/${id}/audit/verify`)).body.valid !== true) broken.push(id);
    const counts = (await (await fetch(`${procs[1]!.url}/v1/runs/counts`)).json()) as Record<string, number>;
    log(`executor runs: ${JSON.stringify(counts)}; listed ${listed.length}; total ${Math.round((Date.now() - started) / 1000)} s`);

    expect(accepted).toHaveLength(INCIDENTS);
    expect.soft(new Set(accepted).size).toBe(INCIDENTS);
    // Nothing accepted is lost and nothing is stored twice (a retried POST replays, it does not create).
    expect.soft(listed.map((i) => i.id).sort()).toEqual([...accepted].sort());
    expect.soft(accepted.filter((id) => stages.get(id) !== 'TRIAGE')).toEqual([]);
    expect.soft(broken).toEqual([]);
    expect.soft(counts.failed).toBe(0);
  });
});
