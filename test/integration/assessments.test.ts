import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

describe('assessment endpoints', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.token(uniqueOrg('dina'));
  });
  afterAll(() => api.stop());

  const assess = (body: unknown) => api.call('POST', '/v1/assessments', { token, body });

  it('gives a GDPR controller a 72-hour authority deadline counted from awareness', async () => {
    const response = await assess({
      awareAt: '2026-06-01T10:00:00Z',
      personalDataInvolved: true,
      nature: ['confidentiality'],
      cause: 'cyber-attack',
      dataCategories: ['health'],
      affected: [{ jurisdiction: 'DE', count: 4000 }],
      encryption: { state: 'none', keyCompromised: false },
      exfiltration: 'confirmed',
      role: 'controller',
      mainEstablishment: 'DE',
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as Json;
    expect(result.riskLevel.level ?? result.riskLevel).toBe('high-risk');
    const authority = result.obligations.find((o: Json) => o.recipient === 'supervisory-authority' && o.required === 'yes');
    expect(authority).toBeDefined();
    expect(authority.deadline.dueAt).toBe('2026-06-04T10:00:00.000Z');
    expect(result.obligations.some((o: Json) => o.recipient === 'individuals' && o.required !== 'no')).toBe(true);
  });

  it('names each bad field in the body', async () => {
    const response = await assess({ awareAt: 'yesterday', personalDataInvolved: 'yes', affected: [{ jurisdiction: 'XX', count: -1 }] });
    expect(response.status).toBe(400);
    const paths = ((await response.json()) as Json).errors.map((e: Json) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.awareAt', 'body.personalDataInvolved', 'body.affected.0.jurisdiction', 'body.affected.0.count']),
    );
    const unknownCategory = await assess({ awareAt: '2026-06-01T10:00:00Z', personalDataInvolved: true, dataCategories: ['gossip'] });
    expect(unknownCategory.status).toBe(400);
    expect(((await unknownCategory.json()) as Json).errors[0].path).toBe('body.dataCategories.0');
  });

  it('lists regimes for a jurisdiction and returns one by id', async () => {
    const list = (await (await api.call('GET', '/v1/regulations?jurisdiction=US-CA', { token })).json()) as Json;
    const ids = list.items.map((r: Json) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id: string) => !id.startsWith('eu-'))).toBe(true);
    const gdpr = await api.call('GET', '/v1/regulations/eu-gdpr', { token });
    expect(gdpr.status).toBe(200);
    expect(((await gdpr.json()) as Json).rules.every((r: Json) => typeof r.sourceUrl === 'string')).toBe(true);
    expect((await api.call('GET', '/v1/regulations/atlantis', { token })).status).toBe(404);
    expect((await api.call('GET', '/v1/regulations?at=soon', { token })).status).toBe(400);
  });

  it('renders a notice and flags missing facts instead of leaving blanks', async () => {
    const templates = (await (await api.call('GET', '/v1/assessments/templates', { token })).json()) as Json;
    const templateId = templates.items[0].id as string;
    const response = await api.call('POST', '/v1/assessments/render', { token, body: { templateId, facts: {} } });
    expect(response.status).toBe(200);
    const rendered = (await response.json()) as Json;
    expect(rendered.complete).toBe(false);
    expect(rendered.missing.length).toBeGreaterThan(0);
    expect(rendered.body).toContain('[missing: ');
    expect((await api.call('POST', '/v1/assessments/render', { token, body: { facts: {} } })).status).toBe(400);
  });

  it('requires assessments:run', async () => {
    const reporter = await api.token(uniqueOrg('dina'), { roles: ['reporter'] });
    expect((await api.call('POST', '/v1/assessments', { token: reporter, body: {} })).status).toBe(403);
  });
});
