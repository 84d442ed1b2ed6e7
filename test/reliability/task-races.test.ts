import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventRecorder } from '../support/event-recorder';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

describe('racing task completions and guarded transitions on one incident', () => {
  let api: TestApi;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let token: string;
  const org = uniqueOrg('races');

  beforeAll(async () => {
    recorder = await startEventRecorder();
    api = await startTestApi({ config: { INNGEST_BASE_URL: recorder.url } });
    token = await api.token(org);
  });
  afterAll(async () => {
    await api.stop();
    await recorder.stop();
  });

  it('lets exactly one completion win, and no transition pass its guard before the task is done', async () => {
    const created = await api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        responses: { description: 'x', data_categories: ['Contact details'], breach_type: 'type_phishing', jurisdictions: ['GB'] },
      },
    });
    const { id } = (await created.json()) as Json;
    for (const stage of ['TRIAGE', 'INVESTIGATING', 'CONTAINMENT'])
      expect((await api.call('POST', `/v1/breach-incidents/${id}/transitions`, { token, body: { targetStage: stage } })).status).toBe(200);
    const tasks = ((await (await api.call('GET', `/v1/breach-incidents/${id}/tasks`, { token })).json()) as Json).items as Json[];
    const contain = tasks.find((t) => t.stage === 'CONTAINMENT' && t.required)!;

    const operations = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0
        ? api
            .call('POST', `/v1/breach-incidents/${id}/tasks/${contain.id}/complete`, { token, body: { note: `attempt ${i}` } })
            .then((r) => ['complete', r.status] as const)
        : api
            .call('POST', `/v1/breach-incidents/${id}/transitions`, { token, body: { targetStage: 'NOTIFICATION' } })
            .then((r) => ['move', r.status] as const),
    );
    const results = await Promise.all(operations);
    const count = (kind: string, status: number) => results.filter(([k, s]) => k === kind && s === status).length;
    expect(count('complete', 200)).toBe(1);
    expect(count('complete', 409)).toBe(24);
    expect(count('move', 200)).toBeLessThanOrEqual(1);
    expect(count('move', 200) + count('move', 409)).toBe(25);

    const audit = ((await (await api.call('GET', `/v1/breach-incidents/${id}/audit`, { token })).json()) as Json).items.map(
      (e: Json) => e.action,
    );
    expect(audit.filter((a: string) => a === 'task.completed')).toHaveLength(1);
    const moved = audit.lastIndexOf('incident.stage.changed');
    if (count('move', 200) === 1) expect(audit.indexOf('task.completed')).toBeLessThan(moved);
    expect(await (await api.call('GET', `/v1/breach-incidents/${id}/audit/verify`, { token })).json()).toMatchObject({ valid: true });
  });
});
