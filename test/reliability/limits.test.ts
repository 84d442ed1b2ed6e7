import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventRecorder } from '../support/event-recorder';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

describe('limits: hostile shapes and a runaway client are refused cleanly', () => {
  let api: TestApi;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let token: string;
  const org = uniqueOrg('limits');

  beforeAll(async () => {
    recorder = await startEventRecorder();
    api = await startTestApi({ config: { INNGEST_BASE_URL: recorder.url, RATE_LIMIT_PER_MINUTE: '40' } });
    token = await api.token(org);
  });
  afterAll(async () => {
    await api.stop();
    await recorder.stop();
  });

  const post = (body: string) => api.call('POST', '/v1/breach-incidents', { token, body, headers: { 'content-type': 'application/json' } });
  const expectProblem = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return (await response.json()) as Json;
  };

  it('refuses deeply nested JSON, huge arrays and long strings with a 4xx naming the field', async () => {
    const depth = 60_000;
    const nested = `{"formId":"form_standard_breach_report","responses":{"description":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const deep = await post(nested);
    expect(deep.status).toBeGreaterThanOrEqual(400);
    expect(deep.status).toBeLessThan(500);
    expect(deep.headers.get('content-type')).toMatch(/problem\+json/);

    const manyCategories = JSON.stringify({
      formId: 'form_standard_breach_report',
      responses: {
        description: 'x',
        data_categories: Array.from({ length: 20_000 }, () => 'Health'),
        breach_type: 'type_phishing',
        jurisdictions: ['GB'],
      },
    });
    const huge = await expectProblem(await post(manyCategories), 400);
    expect(huge.errors.map((e: Json) => e.path)).toContain('body.responses.data_categories');

    const longText = JSON.stringify({
      formId: 'form_standard_breach_report',
      responses: { description: 'a'.repeat(200_000), data_categories: ['Health'], breach_type: 'type_phishing', jurisdictions: ['GB'] },
    });
    const long = await expectProblem(await post(longText), 400);
    expect(long.errors).toEqual([
      expect.objectContaining({ path: 'body.responses.description', message: expect.stringContaining('at most') }),
    ]);

    // Bodies over MAX_BODY_BYTES are refused with 413 before they are read (test/integration/platform.test.ts).
  });

  it('answers a runaway token 429 with Retry-After, and other tokens keep working', async () => {
    const runaway = await api.token(org, { sub: 'runaway-script' });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 45; i++) {
      const response = await api.call('GET', '/v1/me', { token: runaway });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
      else await response.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const body = await expectProblem(limited!, 429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.detail).toMatch(/40 requests a minute/);
    expect((await api.call('GET', '/v1/me', { token: await api.token(org, { sub: 'someone-else' }) })).status).toBe(200);
  });
});
