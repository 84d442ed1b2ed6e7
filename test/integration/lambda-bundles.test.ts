import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { functionUrlEvent, type FunctionUrlRequest } from '../../bench/function-url-event';
import {
  bundleLambda,
  coldStartOf,
  formatColdStarts,
  lambdaEntries,
  startBundleProcess,
  type BundleProcess,
  type ColdStart,
  type LambdaBundle,
} from '../../bench/lambda-bundles';
import { signBody } from '../../infra/local/executor/signing';
import { mintDevToken } from '../../infra/local/mint-token';
import { startEventRecorder } from '../support/event-recorder';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;

/**
 * The deployable artefacts, not the sources: each Lambda entrypoint is bundled the way SST bundles it, loaded in
 * a fresh Node process with no node_modules in reach, and invoked with function URL events against DynamoDB
 * Local and the local SES endpoint, in cloud mode (a non-local stage, a real Inngest signing key).
 */
describe('Lambda bundles', () => {
  const secret = 'bundle-test-secret-0123456789';
  const signingKey = `signkey-test-${'0123456789abcdef'.repeat(4)}`;
  const coldStarts: ColdStart[] = [];
  let outDir: string;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let bundles: Record<'api' | 'inngest', LambdaBundle>;
  let env: Record<string, string>;
  const running: BundleProcess[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'lambda-bundles-'));
    recorder = await startEventRecorder();
    env = {
      STAGE: 'bundle-test',
      LOG_LEVEL: 'warn',
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      SES_ENDPOINT: inject('sesEndpoint'),
      TABLE_NAME: inject('tableName'),
      AUTH_JWT_SECRET: secret,
      INNGEST_SIGNING_KEY: signingKey,
      INNGEST_EVENT_KEY: 'bundle-test-event-key',
      // The event API stand-in: the API bundle's only call out besides DynamoDB and SES.
      INNGEST_BASE_URL: recorder.url,
    };
    bundles = {
      api: await bundleLambda('api', lambdaEntries.api, outDir),
      inngest: await bundleLambda('inngest', lambdaEntries.inngest, outDir),
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((child) => child.stop()));
    await recorder?.stop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
    if (coldStarts.length > 0) console.log(`\nLambda bundles (cold start measured in a fresh process)\n${formatColdStarts(coldStarts)}\n`);
  });

  const start = async (bundle: LambdaBundle) => {
    const child = await startBundleProcess(bundle, env);
    running.push(child);
    return child;
  };
  const decode = (body: string) => (body ? (JSON.parse(body) as Json) : {});

  it('bundles each entrypoint into one self-contained ES module of sane size, its cold start within budget', () => {
    for (const bundle of Object.values(bundles)) {
      expect(bundle.file.endsWith('.mjs')).toBe(true);
      expect(bundle.totalBytes).toBeGreaterThan(100 * 1024);
      expect(bundle.totalBytes).toBeLessThan(20 * 1024 * 1024);
    }
    // What a cold start loads (the entry and its static imports): the rest is imported on first use.
    expect(bundles.api.bytes).toBeLessThanOrEqual(600 * 1024);
    expect(bundles.inngest.bytes).toBeLessThanOrEqual(500 * 1024);
  });

  it('API bundle: creates and publishes a form, records an incident → 201 and reads it back', async () => {
    const api = await start(bundles.api);
    const org = uniqueOrg('bundle');
    const token = await mintDevToken(secret, { org, roles: ['admin'] });
    const call = async (request: FunctionUrlRequest) => {
      const { response } = await api.invoke(
        functionUrlEvent({ ...request, headers: { authorization: `Bearer ${token}`, ...request.headers } }),
      );
      return { status: response.statusCode, headers: response.headers, body: decode(response.body) };
    };

    const first = await api.invoke(
      functionUrlEvent({
        method: 'POST',
        path: '/v1/breach-intake-forms',
        headers: { authorization: `Bearer ${token}` },
        body: { name: 'Bundle form' },
      }),
    );
    coldStarts.push(coldStartOf(bundles.api, api, first, 'POST /v1/breach-intake-forms'));
    // The bundle's own log (LOG_LEVEL warn) goes with the body, so that a 500 says where it came from.
    expect(first.response.statusCode, `${first.response.body}\n${api.output()}`).toBe(201);
    const formId = decode(first.response.body).id as string;

    const fields = await call({
      method: 'PUT',
      path: `/v1/breach-intake-forms/${formId}/fields`,
      body: { fields: [{ label: 'What happened', type: 'TEXT', required: true }] },
    });
    expect(fields.status, JSON.stringify(fields.body)).toBe(200);
    const published = await call({ method: 'POST', path: `/v1/breach-intake-forms/${formId}/publish` });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.published).toMatchObject({ status: 'PUBLISHED' });

    const created = await call({
      method: 'POST',
      path: '/v1/breach-incidents',
      body: { formId, responses: { what_happened: 'A laptop with customer records was stolen from a car.' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.id).toMatch(/^inc_[0-9A-Z]{26}$/);

    const read = await call({ method: 'GET', path: `/v1/breach-incidents/${created.body.id}` });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, formId, stage: 'REPORTED' });
    expect(recorder.events).toContainEqual(
      expect.objectContaining({
        name: 'breach/incident.created',
        data: expect.objectContaining({ orgId: org, incidentId: created.body.id }),
      }),
    );

    const refused = await api.invoke(functionUrlEvent({ method: 'GET', path: '/v1/me' }));
    expect(refused.response.statusCode).toBe(401);
    expect(refused.response.headers['content-type']).toMatch(/problem\+json/);
  });

  it('Inngest bundle: accepts signed introspection and in-band sync, refuses unsigned and wrongly signed ones', async () => {
    const inngest = await start(bundles.inngest);
    const path = '/api/inngest';

    const introspection = await inngest.invoke(
      functionUrlEvent({ method: 'GET', path, headers: { 'x-inngest-signature': signBody('', signingKey) } }),
    );
    coldStarts.push(coldStartOf(bundles.inngest, inngest, introspection, 'signed GET /api/inngest'));
    expect(introspection.response.statusCode, introspection.response.body).toBe(200);
    expect(decode(introspection.response.body)).toMatchObject({
      mode: 'cloud',
      authentication_succeeded: true,
      has_signing_key: true,
      app_id: 'breach-response',
    });

    const unsigned = await inngest.invoke(functionUrlEvent({ method: 'GET', path }));
    expect(unsigned.response.statusCode).toBe(401);

    const syncBody = JSON.stringify({ url: `https://abcdefghij0123456789.lambda-url.us-east-1.on.aws${path}` });
    const sync = (signature?: string) =>
      inngest.invoke(
        functionUrlEvent({
          method: 'PUT',
          path,
          body: syncBody,
          headers: { 'x-inngest-sync-kind': 'in_band', ...(signature ? { 'x-inngest-signature': signature } : {}) },
        }),
      );
    const synced = await sync(signBody(syncBody, signingKey));
    expect(synced.response.statusCode, synced.response.body).toBe(200);
    expect(synced.response.headers['x-inngest-sync-kind']).toBe('in_band');
    const registered = decode(synced.response.body);
    expect(registered).toMatchObject({ app_id: 'breach-response', url: expect.stringContaining(path) });
    expect(registered.functions.length).toBeGreaterThan(0);
    expect(registered.functions).toHaveLength(decode(introspection.response.body).function_count);

    expect((await sync()).response.statusCode).toBe(401);
    expect((await sync(signBody(syncBody, `signkey-test-${'f'.repeat(64)}`))).response.statusCode).toBe(401);
  });

  it('measured each cold start inside the fresh process', () => {
    expect(coldStarts.map((c) => c.name).sort()).toEqual(['api', 'inngest']);
    for (const row of coldStarts) {
      expect(row.importMs).toBeGreaterThan(0);
      expect(row.firstRequestMs).toBeGreaterThan(0);
      expect(row.coldInitMs).toBeGreaterThan(0);
    }
  });
});
