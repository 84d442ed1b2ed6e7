import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Jwt } from 'hono/utils/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

/** A real JWKS endpoint over HTTP, as an OIDC provider publishes one. */
describe('JWKS (RS256) authentication', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256' };
  let jwks: Server;
  let api: TestApi;
  const org = uniqueOrg('oidc');

  beforeAll(async () => {
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as { port: number }).port;
    api = await startTestApi({
      config: { AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'breach-response' },
    });
  });
  afterAll(async () => {
    await api.stop();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const sign = (claims: Record<string, unknown>) =>
    Jwt.sign(
      {
        sub: 'oidc-user',
        org,
        roles: ['dpo'],
        iss: 'https://idp.example',
        aud: 'breach-response',
        exp: Math.floor(Date.now() / 1000) + 600,
        ...claims,
      },
      privateJwk,
      'RS256',
    );

  it('accepts a token signed by a key in the JWKS with the right issuer and audience', async () => {
    const response = await api.call('GET', '/v1/me', { token: await sign({}) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ org, subject: 'oidc-user' });
  });

  it('refuses the wrong issuer, the wrong audience and an HS256 token', async () => {
    expect((await api.call('GET', '/v1/me', { token: await sign({ iss: 'https://evil.example' }) })).status).toBe(401);
    expect((await api.call('GET', '/v1/me', { token: await sign({ aud: 'someone-else' }) })).status).toBe(401);
    const hs = await api.token(org);
    expect((await api.call('GET', '/v1/me', { token: hs })).status).toBe(401);
  });
});
