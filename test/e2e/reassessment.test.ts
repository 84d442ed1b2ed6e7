import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSentryBody } from '../../functions/webhooks/signatures';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';
import { sentryIssueCreated } from '../unit/signals/sentry-payloads';

type Json = Record<string, any>;
const HOUR = 3_600_000;
const SENTRY_SECRET = `${'c0ffee'.repeat(10)}abcd`;

describe('detection, awareness and reassessment move the legal clocks', () => {
  let stack: FullStack;
  let token: string;
  const org = uniqueOrg('aware');

  beforeAll(async () => {
    stack = await startFullStack();
    token = await stack.api.token(org);
    expect((await stack.api.call('POST', '/v1/webhook-secrets/sentry', { token, body: { secret: SENTRY_SECRET } })).status).toBe(201);
  });
  afterAll(() => stack.stop());

  async function deliverSentryIssue(): Promise<string> {
    const body = JSON.stringify(sentryIssueCreated(String(Date.now() + Math.floor(Math.random() * 1e6)), 'error'));
    const delivered = await stack.api.call('POST', `/v1/webhooks/sentry/${org}`, {
      body,
      headers: {
        'content-type': 'application/json',
        'request-id': randomUUID(),
        'sentry-hook-resource': 'issue',
        'sentry-hook-timestamp': String(Math.floor(stack.clock.now().getTime() / 1000)),
        'sentry-hook-signature': signSentryBody(body, SENTRY_SECRET),
      },
    });
    expect(delivered.status).toBe(202);
    await stack.idle();
    return ((await delivered.json()) as Json).incidentId;
  }
  const get = async (id: string) => (await (await stack.api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
  const cnil = (incident: Json) =>
    incident.obligations.find((o: Json) => o.recipient === 'supervisory-authority' && o.jurisdiction === 'FR');
  const subjects = async (id: string, text: string) => (await stack.emailsAbout(id)).map((e) => e.subject).filter((s) => s.includes(text));

  it('starts the clock at the awareness decision, not at detection, and restarts it when the decision moves it', async () => {
    const detectedAt = stack.clock.now();
    const body = JSON.stringify(sentryIssueCreated(String(Date.now()), 'error'));
    const delivered = await stack.api.call('POST', `/v1/webhooks/sentry/${org}`, {
      body,
      headers: {
        'content-type': 'application/json',
        'request-id': randomUUID(),
        'sentry-hook-resource': 'issue',
        'sentry-hook-timestamp': String(Math.floor(detectedAt.getTime() / 1000)),
        'sentry-hook-signature': signSentryBody(body, SENTRY_SECRET),
      },
    });
    expect(delivered.status).toBe(202);
    const { incidentId } = (await delivered.json()) as Json;
    expect(incidentId).toMatch(/^inc_/);
    await stack.idle();
    expect((await get(incidentId)).obligations).toEqual([]);

    // Investigation establishes what was exposed and whose data it was.
    await stack.advance(2 * HOUR);
    const facts = await stack.api.call('POST', `/v1/breach-incidents/${incidentId}/reassessments`, {
      token,
      body: {
        reason: 'Scope established by the investigation',
        facts: { dataCategories: ['health'], affected: [{ jurisdiction: 'FR', count: 1200 }], exfiltration: 'confirmed' },
      },
    });
    expect(facts.status).toBe(202);
    await stack.idle();
    const provisional = cnil(await get(incidentId));
    expect(provisional).toBeDefined();

    // The DPO decides the organisation became aware at 6 h: the legal clock starts there.
    await stack.advance(4 * HOUR);
    const awareAt = stack.clock.now().toISOString();
    const decision = await stack.api.call('POST', `/v1/breach-incidents/${incidentId}/awareness`, {
      token,
      body: { aware: true, decidedAt: awareAt, rationale: 'Health records confirmed in the leaked bucket' },
    });
    expect(decision.status).toBe(200);
    await stack.idle();
    const moved = cnil(await get(incidentId));
    expect(moved.dueAt).toBe(new Date(Date.parse(awareAt) + 72 * HOUR).toISOString());
    expect(provisional.dueAt).toBe(new Date(detectedAt.getTime() + 72 * HOUR).toISOString());
    expect(moved.clockGeneration).toBe(2);

    // The superseded clock's reminder (24 h after the provisional start) never fires; the new one does, at 30 h.
    await stack.advance(20 * HOUR);
    expect(await subjects(incidentId, 'Reminder 1')).toHaveLength(0);
    await stack.advance(5 * HOUR);
    expect(await subjects(incidentId, 'Reminder 1')).toHaveLength(1);
    // No overdue at the provisional deadline; one at the real one.
    await stack.advance(46 * HOUR);
    expect(await subjects(incidentId, '[OVERDUE]')).toHaveLength(0);
    await stack.advance(2 * HOUR);
    expect((await subjects(incidentId, '[OVERDUE]')).length).toBe(2);

    const trail = ((await (await stack.api.call('GET', `/v1/breach-incidents/${incidentId}/audit`, { token })).json()) as Json).items.map(
      (e: Json) => e.action,
    );
    expect(trail.filter((a: string) => a === 'incident.reassessed')).toHaveLength(2);
    expect(await subjects(incidentId, '[AWARENESS OVERDUE]')).toHaveLength(0);
    expect(await (await stack.api.call('GET', `/v1/breach-incidents/${incidentId}/audit/verify`, { token })).json()).toMatchObject({
      valid: true,
    });
  });

  it('escalates an awareness decision still pending at its SLA', async () => {
    const incidentId = await deliverSentryIssue();
    const pending = (await get(incidentId)).awareness;
    expect(pending).toMatchObject({ status: 'pending', slaHours: 12 });
    await stack.advance(11 * HOUR);
    expect(await subjects(incidentId, '[AWARENESS OVERDUE]')).toHaveLength(0);
    await stack.advance(HOUR + 60_000);
    const escalations = (await stack.emailsAbout(incidentId)).filter((e) => e.subject.startsWith('[AWARENESS OVERDUE]'));
    expect(escalations.map((e) => e.destination.to[0]).sort()).toEqual(['dp-lead@localhost.localdomain', 'dpo@localhost.localdomain']);
    const trail = ((await (await stack.api.call('GET', `/v1/breach-incidents/${incidentId}/audit`, { token })).json()) as Json).items.map(
      (e: Json) => e.action,
    );
    expect(trail.filter((a: string) => a === 'incident.awareness.overdue')).toHaveLength(1);
  });

  it('answers bad reassessment input with 400 naming the field', async () => {
    const incidents = (await (await stack.api.call('GET', '/v1/breach-incidents?limit=1', { token })).json()) as Json;
    const id = incidents.items[0].id;
    const bad = await stack.api.call('POST', `/v1/breach-incidents/${id}/reassessments`, {
      token,
      body: { reason: 'x', facts: { affected: [{ jurisdiction: 'Atlantis', count: -1 }] } },
    });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as Json).errors.map((e: Json) => e.path).sort();
    expect(paths).toEqual(['body.facts.affected.0.count', 'body.facts.affected.0.jurisdiction']);
  });
});
