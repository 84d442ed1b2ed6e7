import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../infra/local/mint-token';
import { startTestApi, TEST_JWT_SECRET, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

/** Routes that authenticate otherwise (signatures) or not at all. */
const PUBLIC = [/^\/v1\/openapi\.json$/, /^\/v1\/webhooks\//];
/** Routes any authenticated caller may use. */
/** Routes about the caller only (their identity, their inbox): any valid token may call them. */
const ANY_AUTHENTICATED = [/^GET \/v1\/me$/, /^(GET|POST) \/v1\/me\/notifications(\/|$)/];

describe('authorization matrix over every route in the OpenAPI document', () => {
  let api: TestApi;
  let routes: { method: string; path: string }[];
  const org = uniqueOrg('matrix');

  beforeAll(async () => {
    api = await startTestApi();
    const doc = (await (await api.call('GET', '/v1/openapi.json')).json()) as Json;
    routes = Object.entries(doc.paths as Record<string, Json>)
      .flatMap(([path, item]) =>
        Object.keys(item).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x1') })),
      )
      .filter((r) => r.path.startsWith('/v1/') && !PUBLIC.some((p) => p.test(r.path)));
  });
  afterAll(() => api.stop());

  const send = (method: string, path: string, token?: string) =>
    api.call(method, path, { token, ...(['POST', 'PUT', 'PATCH'].includes(method) ? { body: {} } : {}) });

  it('covers the whole API', () => {
    expect(routes.length).toBeGreaterThan(50);
  });

  it('answers 401 problem+json to no token, an expired one and a bad signature on every route', async () => {
    const expired = await mintDevToken(TEST_JWT_SECRET, {
      org,
      roles: ['admin'],
      ttlSeconds: 60,
      nowSeconds: Math.floor(Date.now() / 1000) - 7200,
    });
    const good = await api.token(org);
    const badSignature = good.slice(0, good.lastIndexOf('.') + 1) + 'A'.repeat(43);
    for (const { method, path } of routes) {
      for (const token of [undefined, expired, badSignature]) {
        const response = await send(method, path, token);
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.headers.get('content-type'), `${method} ${path}`).toMatch(/problem\+json/);
      }
    }
  });

  it('answers 403 naming the permission when the token has none, before looking at the input', async () => {
    const powerless = await api.token(org, { permissions: [] });
    for (const { method, path } of routes) {
      const response = await send(method, path, powerless);
      if (ANY_AUTHENTICATED.some((route) => route.test(`${method} ${path}`))) {
        expect([200, 404], `${method} ${path}`).toContain(response.status);
        continue;
      }
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(((await response.json()) as Json).requiredPermission, `${method} ${path}`).toMatch(/^[a-z-]+:[a-z-]+$/);
    }
  });
});
