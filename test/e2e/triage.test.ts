import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;

describe('automated triage on the virtual clock', () => {
  let stack: FullStack;
  let token: string;
  const org = uniqueOrg('triage');

  beforeAll(async () => {
    stack = await startFullStack();
    token = await stack.api.token(org);
  });
  afterAll(() => stack.stop());

  it('triages a new incident: severity, obligations with deadlines, tasks, DPO email, REPORTED → TRIAGE', async () => {
    const now = stack.clock.now();
    const response = await stack.api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        discoveredAt: now.toISOString(),
        responses: {
          description: 'Customer database exposed through a misconfigured bucket.',
          estimated_affected: 20000,
          data_categories: ['Health', 'Contact details'],
          breach_type: 'type_system_misconfiguration',
          jurisdictions: ['FR'],
          data_encrypted: 'Not encrypted',
          exfiltration: 'Confirmed',
        },
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as Json;
    await stack.idle();

    const incident = (await (await stack.api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
    expect(incident.stage).toBe('TRIAGE');
    expect(['critical', 'high']).toContain(incident.severity.level);
    const authority = incident.obligations.find((o: Json) => o.recipient === 'supervisory-authority');
    expect(authority).toMatchObject({ jurisdiction: 'FR', status: 'open', dueAt: new Date(now.getTime() + 72 * 3600_000).toISOString() });

    expect(authority.timeLeftMs).toBe(72 * 3600_000);
    expect(incident.tasks.find((t: Json) => t.obligationId === authority.id)).toMatchObject({
      purpose: 'notification',
      status: 'open',
      dueAt: authority.dueAt,
    });
    expect(incident.timeline.map((e: Json) => e.action)).toEqual(
      expect.arrayContaining(['incident.created', 'incident.triaged', 'incident.stage.changed']),
    );
    expect(incident.triage).toMatchObject({ riskLevel: 'high-risk' });

    const emails = await stack.emailsAbout(id);
    const dpo = emails.filter((e) => e.destination.to.includes('dpo@localhost.localdomain'));
    expect(dpo).toHaveLength(1);
    expect(dpo[0]!.body.text).toContain(authority.dueAt);

    const audit = (await (await stack.api.call('GET', `/v1/breach-incidents/${id}/audit`, { token })).json()) as Json;
    const actions = audit.items.map((e: Json) => e.action);
    expect(actions.filter((a: string) => a === 'incident.triaged')).toHaveLength(1);
    expect(actions.filter((a: string) => a === 'incident.stage.changed')).toHaveLength(1);
    // Triage and the move to TRIAGE are one write of the summary: its two entries follow each other, before any later change.
    const triaged = actions.indexOf('incident.triaged');
    expect(actions.slice(triaged, triaged + 2)).toEqual(['incident.triaged', 'incident.stage.changed']);
    expect(audit.items[triaged + 1].at).toBe(audit.items[triaged].at);
    expect(await (await stack.api.call('GET', `/v1/breach-incidents/${id}/audit/verify`, { token })).json()).toMatchObject({ valid: true });
  });

  it("alerts the organisation's own DPO", async () => {
    const own = uniqueOrg('own-dpo');
    const ownToken = await stack.api.token(own);
    expect((await stack.api.call('PUT', '/v1/settings', { token: ownToken, body: { dpoEmail: 'privacy@own.example' } })).status).toBe(200);
    const response = await stack.api.call('POST', '/v1/breach-incidents', {
      token: ownToken,
      body: {
        formId: 'form_standard_breach_report',
        responses: { description: 'x', data_categories: ['Contact details'], breach_type: 'type_phishing', jurisdictions: ['GB'] },
      },
    });
    const { id } = (await response.json()) as Json;
    await stack.idle();
    const emails = await stack.emailsAbout(id);
    expect(emails.filter((e) => e.subject.includes('triaged')).map((e) => e.destination.to[0])).toEqual(['privacy@own.example']);
  });
});
