import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { sendEmailOnce } from '../../workflows/steps/send-email-once';
import { startEventRecorder } from '../support/event-recorder';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

/** The delivery ledger against the real local SES store: at most once per recipient and purpose. */
describe('sending an email at most once', () => {
  let api: TestApi;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let token: string;
  let incidentId: string;
  const org = uniqueOrg('mail');

  beforeAll(async () => {
    recorder = await startEventRecorder();
    api = await startTestApi({ config: { INNGEST_BASE_URL: recorder.url } });
    token = await api.token(org);
    const created = await api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        responses: { description: 'x', data_categories: ['Contact details'], breach_type: 'type_phishing', jurisdictions: ['GB'] },
      },
    });
    incidentId = ((await created.json()) as Json).id;
  });
  afterAll(async () => {
    await api.stop();
    await recorder.stop();
  });

  const stored = async (subject: string) => {
    const { emails } = (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as { emails: { subject: string }[] };
    return emails.filter((e) => e.subject === subject);
  };

  it('sends once however often the step is retried', async () => {
    const email = { orgId: org, incidentId, purpose: 'test:once', to: 'someone@example.org', subject: `Once ${incidentId}`, text: 'hello' };
    const first = await sendEmailOnce(api.deps, email);
    const second = await sendEmailOnce(api.deps, email);
    expect(first.status).toBe('sent');
    expect(second.status).toBe('already-sent');
    expect(await stored(email.subject)).toHaveLength(1);
  });

  it('does not resend a delivery left in doubt by a crash, and asks a person to confirm it', async () => {
    const email = { orgId: org, incidentId, purpose: 'test:doubt', to: 'dpo@example.org', subject: `Doubt ${incidentId}`, text: 'hello' };
    // A crash after the claim and before the ledger recorded SES's answer.
    await api.deps.repos.deliveries.claim({ org, incidentId }, `${email.purpose}:${email.to}`, new Date());
    expect((await sendEmailOnce(api.deps, email)).status).toBe('in-doubt');
    expect((await sendEmailOnce(api.deps, email)).status).toBe('in-doubt');
    expect(await stored(email.subject)).toHaveLength(0);
    expect(await stored(`Delivery unconfirmed: "${email.subject}" to ${email.to}`)).toHaveLength(1);
    const incident = (await (await api.call('GET', `/v1/breach-incidents/${incidentId}`, { token })).json()) as Json;
    expect(incident.tasks.filter((t: Json) => t.purpose === 'review' && t.title.includes(email.subject))).toHaveLength(1);
    expect(incident.timeline.filter((e: Json) => e.action === 'email.delivery.in-doubt')).toHaveLength(1);
  });
});
