import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullStack, type FullStack } from '../support/full-stack';
import { factsFor } from '../support/notice-facts';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the people around an incident: in-app inbox, replies and their clocks', () => {
  let stack: FullStack;
  let admin: string;
  let dana: string;
  let incidentId: string;
  const org = uniqueOrg('people');

  const call = (method: string, path: string, token: string, body?: unknown) => stack.api.call(method, path, { token, body });
  const inboxOf = async (token: string, query = '') => {
    const response = await call('GET', `/v1/me/notifications${query}`, token);
    expect(response.status).toBe(200);
    return (await response.json()) as Json;
  };

  beforeAll(async () => {
    stack = await startFullStack();
    admin = await stack.api.token(org);
    dana = await stack.api.token(org, { roles: ['dpo'], sub: 'dana' });
    const created = await call('POST', '/v1/breach-incidents', admin, {
      formId: 'form_standard_breach_report',
      discoveredAt: stack.clock.now().toISOString(),
      responses: {
        description: 'Customer list emailed to the wrong partner.',
        estimated_affected: 300,
        data_categories: ['Personal'],
        breach_type: 'type_accidental_disclosure',
        jurisdictions: ['FR'],
      },
    });
    incidentId = ((await created.json()) as Json).id;
    await stack.idle();
  });
  afterAll(() => stack.stop());

  it('puts what the workflows email to the DPO into the inbox of the dpo role, with unread counts, read marks and pagination', async () => {
    const first = await inboxOf(dana);
    const triage = first.items.find((m: Json) => m.incidentId === incidentId && m.purpose === 'triage:dpo');
    expect(triage).toMatchObject({ audience: { type: 'role', id: 'dpo' }, read: false });
    expect(first.unread.count).toBeGreaterThanOrEqual(1);
    expect((await stack.emailsAbout(incidentId)).some((e) => e.subject === triage.subject)).toBe(true);

    const reporter = await stack.api.token(org, { roles: ['reporter'], sub: 'rory' });
    expect((await inboxOf(reporter)).items).toEqual([]);
    expect((await call('POST', `/v1/me/notifications/${triage.id}/read`, reporter)).status).toBe(404);

    const marked = await call('POST', `/v1/me/notifications/${triage.id}/read`, dana);
    expect(marked.status).toBe(200);
    expect(((await marked.json()) as Json).unread.count).toBe(first.unread.count - 1);
    expect((await inboxOf(dana)).items.find((m: Json) => m.id === triage.id).read).toBe(true);
    // Read state is per person: another DPO still sees it unread.
    const other = await stack.api.token(org, { roles: ['dpo'], sub: 'olga' });
    expect((await inboxOf(other)).items.find((m: Json) => m.id === triage.id).read).toBe(false);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await inboxOf(dana, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((m: Json) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(first.items.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await call('GET', '/v1/me/notifications?cursor=bogus', dana)).status).toBe(400);
    const badLimit = await call('GET', '/v1/me/notifications?limit=0', dana);
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as Json).errors[0].path).toBe('query.limit');

    const all = await call('POST', '/v1/me/notifications/read-all', dana);
    expect(((await all.json()) as Json).unread).toEqual({ count: 0, capped: false });
  });

  it('shows a task assigned to a user in that user’s inbox', async () => {
    const tasks = ((await (await call('GET', `/v1/breach-incidents/${incidentId}/tasks`, admin)).json()) as Json).items as Json[];
    const task = tasks.find((t) => t.status === 'open')!;
    const assigned = await call('POST', `/v1/breach-incidents/${incidentId}/tasks/${encodeURIComponent(task.id)}/assign`, admin, {
      assignee: { type: 'user', id: 'sam' },
    });
    expect(assigned.status).toBe(200);
    const sam = await stack.api.token(org, { roles: ['responder'], sub: 'sam' });
    const inbox = await inboxOf(sam);
    expect(inbox.items).toEqual([
      expect.objectContaining({ audience: { type: 'user', id: 'sam' }, subject: `Task assigned: ${task.title}`, read: false }),
    ]);
    expect(inbox.unread.count).toBe(1);
  });

  it('records a regulator’s replies: the case reference, and a request for information whose task is reminded and escalated on its own clock', async () => {
    const incident = (await (await call('GET', `/v1/breach-incidents/${incidentId}`, admin)).json()) as Json;
    const obligation = incident.obligations.find((o: Json) => o.recipient === 'supervisory-authority');
    const draft = async (facts: Json = {}) =>
      (await (
        await call('POST', `/v1/breach-incidents/${incidentId}/notifications`, admin, {
          obligationId: obligation.id,
          recipients: [{ email: 'plaintes@cnil.example', name: 'CNIL' }],
          facts,
        })
      ).json()) as Json;
    const probe = await draft();
    const notice = await draft(factsFor(probe.missing));
    expect((await call('POST', `/v1/notifications/${notice.id}/responses`, admin, { kind: 'note', text: 'too early' })).status).toBe(409);
    expect((await call('POST', `/v1/notifications/${notice.id}/approve`, admin)).status).toBe(200);
    await stack.idle();

    const reference = await call('POST', `/v1/notifications/${notice.id}/responses`, admin, {
      kind: 'case-reference',
      reference: 'CNIL-2030-0042',
    });
    expect(reference.status).toBe(201);
    expect(((await reference.json()) as Json).response).toMatchObject({ kind: 'case-reference', reference: 'CNIL-2030-0042' });

    const dueAt = new Date(stack.clock.now().getTime() + 4 * DAY).toISOString();
    const rfi = await call('POST', `/v1/notifications/${notice.id}/responses`, admin, {
      kind: 'information-request',
      request: 'Send the list of affected partners.',
      dueAt,
      reference: 'CNIL-2030-0042',
    });
    expect(rfi.status).toBe(201);
    const { response, notification } = (await rfi.json()) as Json;
    expect(notification.responses.map((r: Json) => r.kind)).toEqual(['case-reference', 'information-request']);
    await stack.idle();
    const task = ((await (await call('GET', `/v1/breach-incidents/${incidentId}/tasks`, admin)).json()) as Json).items.find(
      (t: Json) => t.id === response.taskId,
    );
    expect(task).toMatchObject({
      purpose: 'information-request',
      status: 'open',
      required: true,
      dueAt: new Date(dueAt).toISOString(),
      assignee: { type: 'role', id: 'dpo' },
    });
    const timeline = ((await (await call('GET', `/v1/breach-incidents/${incidentId}`, admin)).json()) as Json).timeline as Json[];
    expect(timeline.filter((e) => e.action === 'notification.response.recorded').map((e) => e.details.kind)).toEqual([
      'case-reference',
      'information-request',
    ]);

    await stack.advance(3 * DAY + HOUR);
    expect((await stack.emailsAbout(task.title)).filter((e) => e.subject.startsWith('Due '))).toHaveLength(1);
    expect((await inboxOf(dana)).items.some((m: Json) => m.purpose === `task-reminder:${task.id}` && !m.read)).toBe(true);
    expect((await stack.emailsAbout(task.title)).filter((e) => e.subject.startsWith('[OVERDUE]'))).toHaveLength(0);

    await stack.advance(DAY);
    expect((await stack.emailsAbout(task.title)).filter((e) => e.subject.startsWith('[OVERDUE]'))).toHaveLength(1);
    const audit = ((await (await call('GET', `/v1/breach-incidents/${incidentId}/audit`, admin)).json()) as Json).items as Json[];
    expect(audit.find((e) => e.action === 'task.overdue')?.details).toMatchObject({
      taskId: task.id,
      dueAt: new Date(dueAt).toISOString(),
    });
    expect(await (await call('GET', `/v1/breach-incidents/${incidentId}/audit/verify`, admin)).json()).toMatchObject({ valid: true });
  });

  it('lets a request answered in time end quietly, and refuses bad replies naming the field', async () => {
    const notice = ((await (await call('GET', `/v1/breach-incidents/${incidentId}/notifications`, admin)).json()) as Json).items.find(
      (n: Json) => n.status === 'sent',
    );
    const dueAt = new Date(stack.clock.now().getTime() + 2 * DAY).toISOString();
    const { response } = (await (
      await call('POST', `/v1/notifications/${notice.id}/responses`, admin, {
        kind: 'information-request',
        request: 'Confirm the partner deleted the file.',
        dueAt,
      })
    ).json()) as Json;
    await stack.idle();
    expect(
      (await call('POST', `/v1/breach-incidents/${incidentId}/tasks/${response.taskId}/complete`, admin, { note: 'Answered by letter.' }))
        .status,
    ).toBe(200);
    await stack.advance(3 * DAY);
    const audit = ((await (await call('GET', `/v1/breach-incidents/${incidentId}/audit`, admin)).json()) as Json).items as Json[];
    expect(audit.some((e) => e.action === 'task.overdue' && e.details.taskId === response.taskId)).toBe(false);

    const badKind = await call('POST', `/v1/notifications/${notice.id}/responses`, admin, { kind: 'telegram', text: 'x' });
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(((await badKind.json()) as Json).errors)).toContain('kind');
    const badDue = await call('POST', `/v1/notifications/${notice.id}/responses`, admin, {
      kind: 'information-request',
      request: 'x',
      dueAt: '2001-01-01T00:00:00Z',
    });
    expect(badDue.status).toBe(400);
    expect(((await badDue.json()) as Json).errors[0].path).toBe('body.dueAt');
    expect((await call('POST', `/v1/notifications/ntf_missing/responses`, admin, { kind: 'note', text: 'x' })).status).toBe(404);
  });

  it('informs the organisation’s stakeholders by its rule: a task on its own clock and a briefing drafted from the template, delivered to their inbox too', async () => {
    const sponsorOrg = uniqueOrg('sponsor');
    const token = await stack.api.token(sponsorOrg);
    const stakeholders = [
      {
        id: 'sponsor',
        role: 'executive-sponsor',
        name: 'Erin Exec',
        email: 'erin@sponsor.example',
        sub: 'erin',
        inform: { severityAtLeast: 'low', within: 'escalation-sla' },
      },
      {
        id: 'insurer',
        role: 'insurer',
        name: 'Cover Ltd',
        email: 'claims@insurer.example',
        inform: { severityAtLeast: 'critical', within: { hours: 24 } },
      },
    ];
    const bad = await call('PUT', '/v1/settings', token, {
      stakeholders: [{ ...stakeholders[0], inform: { severityAtLeast: 'low', within: 'escalation-sla', when: 'always' } }],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(((await bad.json()) as Json).errors)).toContain('stakeholders');
    expect((await call('PUT', '/v1/settings', token, { stakeholders: [stakeholders[0], stakeholders[0]] })).status).toBe(400);
    expect((await call('PUT', '/v1/settings', token, { stakeholders })).status).toBe(200);

    const created = await call('POST', '/v1/breach-incidents', token, {
      formId: 'form_standard_breach_report',
      discoveredAt: stack.clock.now().toISOString(),
      responses: {
        description: 'A backup tape went missing in transit.',
        estimated_affected: 20,
        data_categories: ['Personal'],
        breach_type: 'type_lost_device',
        jurisdictions: ['FR'],
      },
    });
    const id = ((await created.json()) as Json).id;
    await stack.idle();
    const incident = (await (await call('GET', `/v1/breach-incidents/${id}`, token)).json()) as Json;
    const sponsorTask = incident.tasks.find((t: Json) => t.id === 'task_stakeholder_sponsor');
    expect(sponsorTask).toMatchObject({ purpose: 'stakeholder', status: 'open', required: true, assignee: { type: 'role', id: 'dpo' } });
    expect(Date.parse(sponsorTask.dueAt)).toBeGreaterThan(stack.clock.now().getTime());
    expect(incident.tasks.some((t: Json) => t.id === 'task_stakeholder_insurer')).toBe(incident.severity.level === 'critical');
    const briefing = incident.notifications.find((n: Json) => n.recipients[0].email === 'erin@sponsor.example');
    expect(briefing).toMatchObject({ templateId: 'stakeholder-briefing', status: 'draft', missing: [] });
    expect(briefing.body).toContain('executive sponsor');
    expect(briefing.body).toContain('A backup tape went missing in transit.');

    expect((await call('POST', `/v1/notifications/${briefing.id}/approve`, token)).status).toBe(200);
    await stack.idle();
    expect((await stack.emailsAbout(id)).filter((e) => e.destination.to.includes('erin@sponsor.example'))).toHaveLength(1);
    const erin = await stack.api.token(sponsorOrg, { roles: ['reporter'], sub: 'erin' });
    expect((await inboxOf(erin)).items).toEqual([
      expect.objectContaining({ audience: { type: 'user', id: 'erin' }, subject: briefing.subject }),
    ]);

    // Left open past its due time, the task is escalated like any other on its clock.
    await stack.advance(Date.parse(sponsorTask.dueAt) - stack.clock.now().getTime() + 60_000);
    const audit = ((await (await call('GET', `/v1/breach-incidents/${id}/audit`, token)).json()) as Json).items as Json[];
    expect(audit.some((e) => e.action === 'task.overdue' && e.details.taskId === 'task_stakeholder_sponsor')).toBe(true);
  });
});
