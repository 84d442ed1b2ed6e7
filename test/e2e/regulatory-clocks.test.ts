import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;
const HOUR = 3_600_000;

describe('regulatory clocks, stage SLAs and escalation on the virtual clock', () => {
  let stack: FullStack;
  let token: string;
  const org = uniqueOrg('clocks');

  beforeAll(async () => {
    stack = await startFullStack();
    token = await stack.api.token(org);
  });
  afterAll(() => stack.stop());

  async function report(responses: Json): Promise<string> {
    const response = await stack.api.call('POST', '/v1/breach-incidents', {
      token,
      body: { formId: 'form_standard_breach_report', discoveredAt: stack.clock.now().toISOString(), responses },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as Json;
    await stack.idle();
    return id;
  }
  const frenchHealthLeak = {
    description: 'Patient list emailed to the wrong recipient list.',
    estimated_affected: 300,
    data_categories: ['Health'],
    breach_type: 'type_accidental_disclosure',
    jurisdictions: ['FR'],
    data_encrypted: 'Not encrypted',
    exfiltration: 'Suspected',
  };
  const get = async (id: string) => (await (await stack.api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
  const authorityOf = (incident: Json) => incident.obligations.find((o: Json) => o.recipient === 'supervisory-authority' && o.dueAt);
  const subjects = async (id: string, text: string) => (await stack.emailsAbout(id)).map((e) => e.subject).filter((s) => s.includes(text));
  const actions = async (id: string) =>
    ((await (await stack.api.call('GET', `/v1/breach-incidents/${id}/audit`, { token })).json()) as Json).items.map((e: Json) => e.action);

  it('reminds at 24 h and 48 h, and escalates an unfiled 72-hour obligation at the deadline', async () => {
    const id = await report(frenchHealthLeak);
    const authority = authorityOf(await get(id));
    expect(authority).toBeDefined();

    await stack.advance(24 * HOUR + 60_000);
    expect(await subjects(id, 'Reminder 1')).toHaveLength(1);
    expect(await subjects(id, 'Reminder 2')).toHaveLength(0);
    await stack.advance(24 * HOUR);
    expect(await subjects(id, 'Reminder 2')).toHaveLength(1);
    expect(await subjects(id, '[OVERDUE]')).toHaveLength(0);

    await stack.advance(24 * HOUR);
    const overdue = (await stack.emailsAbout(id)).filter((e) => e.subject.includes('[OVERDUE]'));
    expect(overdue.map((e) => e.destination.to[0]).sort()).toEqual(['dp-lead@localhost.localdomain', 'dpo@localhost.localdomain']);
    expect(authorityOf(await get(id)).overdueAt).toBeDefined();
    const trail = await actions(id);
    expect(trail.filter((a: string) => a === 'obligation.overdue')).toHaveLength(1);
    expect(trail.filter((a: string) => a === 'obligation.reminder.sent')).toHaveLength(4);
    expect(await (await stack.api.call('GET', `/v1/breach-incidents/${id}/audit/verify`, { token })).json()).toMatchObject({ valid: true });
  });

  it('stops the clock when the authority report is filed at 30 h', async () => {
    const id = await report(frenchHealthLeak);
    const authority = authorityOf(await get(id));
    await stack.advance(30 * HOUR);
    expect(await subjects(id, 'Reminder 1')).toHaveLength(1);
    const filed = await stack.api.call('POST', `/v1/breach-incidents/${id}/obligations/${encodeURIComponent(authority.id)}/filings`, {
      token,
      body: { phase: 'initial', reference: 'CNIL-2030-0042' },
    });
    expect(filed.status).toBe(201);
    expect(await filed.json()).toMatchObject({
      status: 'filed',
      filings: [{ phase: 'initial', reference: 'CNIL-2030-0042', late: false }],
    });
    await stack.idle();
    await stack.advance(60 * HOUR);
    expect(await subjects(id, 'Reminder 2')).toHaveLength(0);
    expect(await subjects(id, '[OVERDUE]')).toHaveLength(0);
    const supplementary = await stack.api.call(
      'POST',
      `/v1/breach-incidents/${id}/obligations/${encodeURIComponent(authority.id)}/filings`,
      {
        token,
        body: { phase: 'supplementary', summary: 'Root cause confirmed.' },
      },
    );
    expect(supplementary.status).toBe(201);
  });

  it('requires the reasons for a late filing, and records a documented decision not to notify', async () => {
    const id = await report(frenchHealthLeak);
    const authority = authorityOf(await get(id));
    await stack.advance(73 * HOUR);
    const path = `/v1/breach-incidents/${id}/obligations/${encodeURIComponent(authority.id)}`;
    const late = await stack.api.call('POST', `${path}/filings`, { token, body: { phase: 'initial' } });
    expect(late.status).toBe(400);
    expect(((await late.json()) as Json).errors[0].path).toBe('body.delayReason');
    const withReason = await stack.api.call('POST', `${path}/filings`, {
      token,
      body: { phase: 'initial', delayReason: 'Forensics could not confirm scope earlier.' },
    });
    expect(await withReason.json()).toMatchObject({
      status: 'filed',
      filings: [{ late: true, delayReason: 'Forensics could not confirm scope earlier.' }],
    });

    const other = await report(frenchHealthLeak);
    const otherAuthority = authorityOf(await get(other));
    const decisionPath = `/v1/breach-incidents/${other}/obligations/${encodeURIComponent(otherAuthority.id)}/decision`;
    const missing = await stack.api.call('POST', decisionPath, {
      token,
      body: { decision: 'not-notifying', rationale: '', approvedBy: 'dpo' },
    });
    expect(missing.status).toBe(400);
    const decided = await stack.api.call('POST', decisionPath, {
      token,
      body: {
        decision: 'not-notifying',
        rationale: 'Recipient confirmed deletion within the hour; no risk remains.',
        approvedBy: 'Jane Doe, DPO',
      },
    });
    expect(decided.status).toBe(200);
    await stack.idle();
    await stack.advance(80 * HOUR);
    expect(await subjects(other, 'Reminder')).toHaveLength(0);
    expect(await subjects(other, '[OVERDUE]')).toHaveLength(0);
  });

  it('escalates a stage that outlives its SLA, and not one the incident has left', async () => {
    const stays = await report(frenchHealthLeak);
    const leaves = await report(frenchHealthLeak);
    const level = (await get(stays)).severity.level as string;
    expect(['high', 'medium', 'low', 'critical']).toContain(level);
    const moved = await stack.api.call('POST', `/v1/breach-incidents/${leaves}/transitions`, {
      token,
      body: { targetStage: 'INVESTIGATING' },
    });
    expect(moved.status).toBe(200);
    await stack.idle();
    await stack.advance(49 * HOUR);
    expect(await subjects(stays, '[SLA BREACHED] TRIAGE')).toHaveLength(1);
    expect(await subjects(leaves, '[SLA BREACHED] TRIAGE')).toHaveLength(0);
    expect((await actions(stays)).filter((a: string) => a === 'incident.sla.breached')).toHaveLength(1);
  });

  it('escalates a Critical incident at once', async () => {
    const id = await report({
      description: 'Biometric templates and payment cards of customers exfiltrated.',
      estimated_affected: 250000,
      data_categories: ['Biometric', 'Payment card', 'Children'],
      breach_type: 'type_data_theft',
      jurisdictions: ['DE', 'FR', 'GB', 'US-CA'],
      data_encrypted: 'Not encrypted',
      exfiltration: 'Confirmed',
    });
    expect((await get(id)).severity.level).toBe('critical');
    const escalations = (await stack.emailsAbout(id)).filter((e) => e.subject.startsWith('[CRITICAL]') && e.subject.includes('escalated'));
    expect(escalations.map((e) => e.destination.to[0])).toEqual(['dp-lead@localhost.localdomain']);
    expect((await actions(id)).filter((a: string) => a === 'incident.escalated')).toHaveLength(1);
  });

  it('completes triage after the executor crashes mid-run, without a duplicate email', async () => {
    const response = await stack.api.call('POST', '/v1/breach-incidents', {
      token,
      body: { formId: 'form_standard_breach_report', discoveredAt: stack.clock.now().toISOString(), responses: frenchHealthLeak },
    });
    const { id } = (await response.json()) as Json;
    await stack.restartExecutor();
    await stack.idle();
    const incident = await get(id);
    expect(incident.stage).toBe('TRIAGE');
    expect((await stack.emailsAbout(id)).filter((e) => e.subject.includes('triaged'))).toHaveLength(1);
    const trail = await actions(id);
    expect(trail.filter((a: string) => a === 'incident.triaged')).toHaveLength(1);
    expect(await (await stack.api.call('GET', `/v1/breach-incidents/${id}/audit/verify`, { token })).json()).toMatchObject({ valid: true });
  });
});
