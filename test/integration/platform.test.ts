import { createRoute, z } from '@hono/zod-openapi';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../infra/local/mint-token';
import { startTestApi, TEST_JWT_SECRET, uniqueOrg, type TestApi } from '../support/test-app';

const probeRoute = createRoute({
  method: 'post',
  path: '/v1/_probe',
  request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().min(1), count: z.number().int() }) } } } },
  responses: { 200: { description: 'ok' } },
});

describe('API platform over real HTTP', () => {
  let api: TestApi;
  const logLines: string[] = [];
  const org = uniqueOrg();

  beforeAll(async () => {
    api = await startTestApi({
      logLines,
      extend: (app) => {
        app.openapi(probeRoute, (c) => c.json({ received: c.req.valid('json') }, 200));
        app.get('/v1/_boom', () => {
          throw new Error('secret internal detail at /srv/db.ts:42');
        });
      },
    });
  });
  afterAll(() => api.stop());

  const expectProblem = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.status).toBe(status);
    expect(typeof body.title).toBe('string');
    return body;
  };

  it('reports DynamoDB and SES reachable on /health', async () => {
    const response = await api.call('GET', '/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', dynamodb: 'up', ses: 'up' });
  });

  it('serves an OpenAPI 3.1 document with the bearer scheme and a docs page', async () => {
    const doc = (await (await api.call('GET', '/v1/openapi.json')).json()) as Record<string, any>;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/me'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const docs = await api.call('GET', '/docs');
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(await docs.text()).toContain('/v1/openapi.json');
  });

  it('answers /v1/me without a token with 401 problem+json', async () => {
    const body = await expectProblem(await api.call('GET', '/v1/me'), 401);
    expect(body.detail).toMatch(/Bearer/);
  });

  it('returns the org, subject and role-expanded permissions for a minted token', async () => {
    const token = await api.token(org, { roles: ['reporter'], sub: 'alice' });
    const response = await api.call('GET', '/v1/me', { token });
    expect(response.status).toBe(200);
    const me = (await response.json()) as { org: string; subject: string; permissions: string[] };
    expect(me.org).toBe(org);
    expect(me.subject).toBe('alice');
    expect(me.permissions).toContain('breach-incidents:create');
    expect(me.permissions).not.toContain('breach-incidents:transition');
  });

  it('refuses tampered, wrongly signed, expired and org-less tokens', async () => {
    const good = await api.token(org);
    const tampered = good.slice(0, -2) + (good.endsWith('A') ? 'BB' : 'AA');
    const foreign = await mintDevToken('another-secret-entirely-123456', { org });
    const expired = await mintDevToken(TEST_JWT_SECRET, { org, ttlSeconds: 60, nowSeconds: Math.floor(Date.now() / 1000) - 3600 });
    for (const token of [tampered, foreign, 'not-a-jwt']) await expectProblem(await api.call('GET', '/v1/me', { token }), 401);
    const expiredBody = await expectProblem(await api.call('GET', '/v1/me', { token: expired }), 401);
    expect(expiredBody.detail).toMatch(/expired/);
    const noOrg = await mintDevToken(TEST_JWT_SECRET, { org: 'INVALID ORG' });
    expect((await expectProblem(await api.call('GET', '/v1/me', { token: noOrg }), 401)).detail).toMatch(/org/);
  });

  it('answers unknown routes 404 and wrong methods 405 with Allow', async () => {
    const token = await api.token(org);
    await expectProblem(await api.call('GET', '/v1/no-such-thing', { token }), 404);
    const wrong = await api.call('DELETE', '/v1/me', { token });
    await expectProblem(wrong, 405);
    expect(wrong.headers.get('allow')).toContain('GET');
  });

  it('answers malformed JSON 400 and a wrong content type 415', async () => {
    const token = await api.token(org);
    const malformed = await expectProblem(await api.call('POST', '/v1/_probe', { token, body: '{"name": ' }), 400);
    expect(malformed.errors).toEqual([{ path: 'body', message: 'not valid JSON' }]);
    const text = await api.call('POST', '/v1/_probe', { token, body: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect((await expectProblem(text, 415)).errors).toEqual([expect.objectContaining({ path: 'header.content-type' })]);
  });

  it('refuses a body over the limit with 413 before reading it all', async () => {
    const token = await api.token(org);
    const huge = JSON.stringify({ name: 'x'.repeat(300 * 1024), count: 1 });
    // The server answers before the upload ends and drops the connection, so use one that is not pooled.
    const { status, contentType, body } = await postWithoutKeepAlive(`${api.url}/v1/_probe`, huge, token);
    expect(status).toBe(413);
    expect(contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(body)).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('names every failing field in a validation 400', async () => {
    const token = await api.token(org);
    const body = await expectProblem(await api.call('POST', '/v1/_probe', { token, body: { name: '', count: 1.5 } }), 400);
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['body.count', 'body.name']);
    const ok = await api.call('POST', '/v1/_probe', { token, body: { name: 'n', count: 2 } });
    expect(ok.status).toBe(200);
  });

  it('hides internals in a 500 and logs them with the request id', async () => {
    const token = await api.token(org);
    const response = await api.call('GET', '/v1/_boom', { token, headers: { 'x-request-id': 'req-boom-1' } });
    const body = await expectProblem(response, 500);
    expect(JSON.stringify(body)).not.toContain('/srv/db.ts');
    expect(body.requestId).toBe('req-boom-1');
    const logged = logLines.map((l) => JSON.parse(l)).filter((l) => l.requestId === 'req-boom-1');
    expect(logged.some((l) => l.level === 'error' && JSON.stringify(l).includes('/srv/db.ts'))).toBe(true);
  });

  it('answers 503 with Retry-After, not 500, while DynamoDB cannot be reached', async () => {
    // A real connection refused: nothing listens on the port the API is given for DynamoDB.
    const closed = await (await import('../../infra/local/ports')).findFreePort();
    const offline = await startTestApi({ config: { DYNAMODB_ENDPOINT: `http://127.0.0.1:${closed}` } });
    try {
      const response = await offline.call('GET', '/v1/breach-incidents', { token: await offline.token(uniqueOrg('offline')) });
      const body = await expectProblem(response, 503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(body.detail).toContain('nothing was recorded');
    } finally {
      await offline.stop();
    }
  });

  it('echoes a given x-request-id, generates one otherwise, and logs every request with it', async () => {
    const given = await api.call('GET', '/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await api.call('GET', '/health');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'trace-abc-123');
    expect(line).toMatchObject({ level: 'info', message: 'request', method: 'GET', path: '/health', status: 200 });
  });
});

function postWithoutKeepAlive(url: string, body: string, token: string) {
  return new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: text }));
      },
    );
    req.on('error', (error) => (String(error).includes('EPIPE') || String(error).includes('ECONNRESET') ? undefined : reject(error)));
    req.end(body);
  });
}
