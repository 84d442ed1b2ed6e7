import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { mintDevToken } from '../../infra/local/mint-token';
import { uniqueOrg } from '../support/test-app';

/** The Lambda entrypoint, invoked with API Gateway HTTP API (v2) events as AWS would deliver them. */
describe('Lambda handler', () => {
  const secret = 'lambda-test-secret-0123456789';
  let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

  beforeAll(async () => {
    Object.assign(process.env, {
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      SES_ENDPOINT: inject('sesEndpoint'),
      TABLE_NAME: inject('tableName'),
      AUTH_JWT_SECRET: secret,
      LOG_LEVEL: 'silent',
      INNGEST_BASE_URL: 'http://127.0.0.1:9',
    });
    handler = (await import('../../functions/lambda')).handler as never;
  });
  afterAll(() => undefined);

  const event = (method: string, path: string, token?: string, body?: unknown) => ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'api.example.com',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'req-lambda-1',
      routeKey: '$default',
      stage: '$default',
      time: '25/Nov/2026:12:00:00 +0000',
      timeEpoch: Date.now(),
    },
    body: body ? JSON.stringify(body) : undefined,
    isBase64Encoded: false,
  });

  it('answers /v1/me with 401 problem+json without a token and 200 with one', async () => {
    const denied = await handler(event('GET', '/v1/me'), {});
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['content-type']).toMatch(/problem\+json/);
    const org = uniqueOrg('lambda');
    const ok = await handler(event('GET', '/v1/me', await mintDevToken(secret, { org, roles: ['admin'] })), {});
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).org).toBe(org);
  });

  it('records an incident through the same app factory', async () => {
    const token = await mintDevToken(secret, { org: uniqueOrg('lambda'), roles: ['admin'] });
    const created = await handler(
      event('POST', '/v1/breach-incidents', token, {
        formId: 'form_standard_breach_report',
        responses: {
          description: 'Laptop lost on a train',
          data_categories: ['Contact details'],
          breach_type: 'type_lost_device',
          jurisdictions: ['GB'],
        },
      }),
      {},
    );
    expect(created.statusCode).toBe(201);
    const id = JSON.parse(created.body).id as string;
    const read = await handler(event('GET', `/v1/breach-incidents/${id}`, token), {});
    expect(JSON.parse(read.body)).toMatchObject({ id, breachTypeId: 'type_lost_device', stage: 'REPORTED' });
  });
});
