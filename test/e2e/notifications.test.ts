import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullStack, type FullStack } from '../support/full-stack';
import { factsFor } from '../support/notice-facts';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;
const DAY = 24 * 3_600_000;

describe('notification fan-out with acknowledgement tracking', () => {
  let stack: FullStack;
  let token: string;
  let incidentId: string;
  let authorityObligation: Json;
  const org = uniqueOrg('notify');

  beforeAll(async () => {
    stack = await startFullStack();
    token = await stack.api.token(org);
    const created = await stack.api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        discoveredAt: stack.clock.now().toISOString(),
        responses: {
          description: 'Payroll export sent to an external address.',
          estimated_affected: 900,
          data_categories: ['Financial', 'Employment'],
          breach_type: 'type_accidental_disclosure',
          jurisdictions: ['FR'],
          data_encrypted: 'Not encrypted',
          exfiltration: 'Suspected',
        },
      },
    });
    incidentId = ((await created.json()) as Json).id;
    await stack.idle();
    const incident = (await (await stack.api.call('GET', `/v1/breach-incidents/${incidentId}`, { token })).json()) as Json;
    authorityObligation = incident.obligations.find((o: Json) => o.recipient === 'supervisory-authority');
  });
  afterAll(() => stack.stop());

  const draft = async (recipients: string[], facts: Json = {}) => {
    const response = await stack.api.call('POST', `/v1/breach-incidents/${incidentId}/notifications`, {
      token,
      body: { obligationId: authorityObligation.id, recipients: recipients.map((email) => ({ email })), facts },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Json;
  };

  it('refuses to approve a notice with missing facts, naming them', async () => {
    const incomplete = await draft(['notifications@cnil.example']);
    expect(incomplete.templateId).toBe('gdpr-art33-authority');
    expect(incomplete.missing.length).toBeGreaterThan(0);
    expect(incomplete.body).toContain('[missing: ');
    expect(incomplete.subject).toContain(incidentId);
    const refused = await stack.api.call('POST', `/v1/notifications/${incomplete.id}/approve`, { token });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).missing).toEqual(incomplete.missing);
  });

  it('sends an approved notice once per recipient, files the obligation, and chases a missing acknowledgement', async () => {
    const probe = await draft(['notifications@cnil.example']);
    const complete = await draft(['notifications@cnil.example'], factsFor(probe.missing));
    expect(complete.missing).toEqual([]);
    expect((await stack.api.call('POST', `/v1/notifications/${complete.id}/approve`, { token })).status).toBe(200);
    await stack.idle();

    const sent = (await stack.emailsAbout(incidentId)).filter((e) => e.destination.to.includes('notifications@cnil.example'));
    expect(sent).toHaveLength(1);
    const notification = (await (await stack.api.call('GET', `/v1/notifications/${complete.id}`, { token })).json()) as Json;
    expect(notification).toMatchObject({
      status: 'sent',
      deliveries: [{ email: 'notifications@cnil.example', status: 'sent', messageId: sent[0]!.messageId }],
    });
    const incident = (await (await stack.api.call('GET', `/v1/breach-incidents/${incidentId}`, { token })).json()) as Json;
    expect(incident.obligations.find((o: Json) => o.id === authorityObligation.id)).toMatchObject({
      status: 'filed',
      filings: [{ phase: 'initial', reference: complete.id }],
    });

    await stack.advance(7 * DAY + 60_000);
    const chases = (await stack.emailsAbout(complete.id)).filter((e) => e.subject.startsWith('No acknowledgement yet'));
    expect(chases).toHaveLength(1);
    expect((await (await stack.api.call('GET', `/v1/notifications/${complete.id}`, { token })).json()) as Json).toMatchObject({
      chasedAt: expect.any(String),
    });
  });

  it('does not chase an acknowledged notice, and survives an executor crash without duplicate emails', async () => {
    const probe = await draft(['a@dpa.example']);
    const facts = factsFor(probe.missing);
    const n = await draft(['a@dpa.example', 'b@dpa.example', 'c@dpa.example'], facts);
    expect((await stack.api.call('POST', `/v1/notifications/${n.id}/approve`, { token })).status).toBe(200);
    await stack.restartExecutor();
    await stack.idle();
    for (const to of ['a@dpa.example', 'b@dpa.example', 'c@dpa.example']) {
      expect((await stack.emailsAbout(incidentId)).filter((e) => e.destination.to.includes(to) && e.subject === n.subject)).toHaveLength(1);
    }
    const ack = await stack.api.call('POST', `/v1/notifications/${n.id}/acknowledgements`, { token, body: { reference: 'DPA-2030-77' } });
    expect(ack.status).toBe(201);
    expect(await ack.json()).toMatchObject({ status: 'acknowledged', acknowledgement: { reference: 'DPA-2030-77' } });
    await stack.idle();
    await stack.advance(8 * DAY);
    expect((await stack.emailsAbout(n.id)).filter((e) => e.subject.startsWith('No acknowledgement yet'))).toHaveLength(0);
    const list = (await (await stack.api.call('GET', `/v1/breach-incidents/${incidentId}/notifications`, { token })).json()) as Json;
    expect(list.items.find((x: Json) => x.id === n.id).deliveries).toHaveLength(3);
    const again = await stack.api.call('POST', `/v1/notifications/${n.id}/acknowledgements`, { token, body: { reference: 'again' } });
    expect(again.status).toBe(409);
    expect(await (await stack.api.call('GET', `/v1/breach-incidents/${incidentId}/audit/verify`, { token })).json()).toMatchObject({
      valid: true,
    });
  });

  it('answers bad notification input with 400 naming the field', async () => {
    const bad = await stack.api.call('POST', `/v1/breach-incidents/${incidentId}/notifications`, {
      token,
      body: { recipients: [{ email: 'nope' }], obligationId: 'obl_missing' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).errors[0].path).toBe('body.recipients.0.email');
    const unknown = await stack.api.call('POST', `/v1/breach-incidents/${incidentId}/notifications`, {
      token,
      body: { recipients: [{ email: 'x@y.example' }], obligationId: 'obl_missing' },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Json).errors[0].path).toBe('body.obligationId');
    expect((await stack.api.call('POST', '/v1/notifications/ntf_nope/approve', { token })).status).toBe(404);
  });
});
