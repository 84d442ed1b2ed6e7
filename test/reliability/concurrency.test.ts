import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;
// The default breach workflow's moves out of the two stages this test can reach.
const legal: Record<string, string[]> = { REPORTED: ['TRIAGE', 'DISMISSED'], TRIAGE: ['INVESTIGATING', 'DISMISSED'], DISMISSED: [] };

describe('reliability: 50 simultaneous writes on one incident', () => {
  let api: TestApi;
  let token: string;
  const org = uniqueOrg('conc');

  beforeAll(async () => {
    // No executor: event delivery fails fast and stays in the outbox, which is not under test here.
    api = await startTestApi({ config: { INNGEST_BASE_URL: 'http://127.0.0.1:9' } });
    token = await api.token(org);
  });
  afterAll(() => api.stop());

  it('exactly the legal transitions win, the rest get 409, every accepted change is audited once and the chain verifies', async () => {
    const created = await api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        responses: {
          description: 'Concurrency target',
          data_categories: ['Contact details'],
          breach_type: 'type_system_misconfiguration',
          jurisdictions: ['DE'],
        },
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as Json;

    // 20 want TRIAGE, 10 want DISMISSED (both legal from REPORTED, only one can happen), 20 comment.
    const ops = [
      ...Array.from({ length: 20 }, () => ({ kind: 'transition', body: { targetStage: 'TRIAGE' } })),
      ...Array.from({ length: 10 }, () => ({ kind: 'transition', body: { targetStage: 'DISMISSED' } })),
      ...Array.from({ length: 20 }, (_, i) => ({ kind: 'comment', body: { body: `comment ${i}` } })),
    ];
    const results = await Promise.all(
      ops.map(async (op) => {
        const response = await api.call('POST', `/v1/breach-incidents/${id}/${op.kind === 'transition' ? 'transitions' : 'comments'}`, {
          token,
          body: op.body,
        });
        return { ...op, status: response.status, type: response.headers.get('content-type') ?? '' };
      }),
    );
    for (const r of results) expect([200, 201, 409]).toContain(r.status);
    for (const r of results.filter((r) => r.status === 409)) expect(r.type).toContain('application/problem+json');
    const wonTransitions = results.filter((r) => r.kind === 'transition' && r.status === 200);
    const wonComments = results.filter((r) => r.kind === 'comment' && r.status === 201);
    // Winners must form a legal path: REPORTED→TRIAGE, REPORTED→DISMISSED, or REPORTED→TRIAGE→DISMISSED.
    expect(wonTransitions.length).toBeGreaterThanOrEqual(1);
    expect(wonTransitions.length).toBeLessThanOrEqual(2);
    expect(results.filter((r) => r.status === 409).length).toBe(50 - wonTransitions.length - wonComments.length);
    expect(wonComments.length).toBeGreaterThanOrEqual(1);

    const detail = (await (await api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
    expect(detail.stage).toBe(wonTransitions.length === 2 ? 'DISMISSED' : (wonTransitions[0]!.body as { targetStage: string }).targetStage);
    expect(detail.comments).toHaveLength(wonComments.length);
    const audit = (await (await api.call('GET', `/v1/breach-incidents/${id}/audit?limit=100`, { token })).json()) as Json;
    const actions = audit.items.map((e: Json) => e.action);
    const moves = audit.items.filter((e: Json) => e.action === 'incident.stage.changed').map((e: Json) => e.details);
    expect(moves).toHaveLength(wonTransitions.length);
    let stage = 'REPORTED';
    for (const move of moves) {
      expect(move.from).toBe(stage);
      expect(legal[stage]).toContain(move.to);
      stage = move.to;
    }
    expect(stage).toBe(detail.stage);
    expect(actions.filter((a: string) => a === 'incident.commented')).toHaveLength(wonComments.length);
    expect(detail.version).toBe(1 + wonTransitions.length + wonComments.length);
    expect(await (await api.call('GET', `/v1/breach-incidents/${id}/audit/verify`, { token })).json()).toMatchObject({ valid: true });

    // A second transition out of a final stage, or a stale If-Match, is refused too.
    const stale = await api.call('POST', `/v1/breach-incidents/${id}/transitions`, {
      token,
      body: { targetStage: 'INVESTIGATING' },
      headers: { 'if-match': '"1"' },
    });
    expect([409, 412]).toContain(stale.status);
  });
});
