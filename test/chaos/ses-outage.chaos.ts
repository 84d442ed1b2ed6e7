// The SES endpoint down for a stretch (issue 18): connections refused, then 503s, then slow answers, while a legal
// notice is being sent and a regulatory reminder falls due. The whole system runs in-process on one virtual clock
// (as the e2e suites do) so that the 24-hour reminder falls inside the outage; the outage itself is a real proxy in
// front of the real local SES endpoint. Checked: every email goes out once the endpoint is back, none twice, the
// delay is on the incident, and the DP lead is told once the notice has been unsent longer than the org's setting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app';
import { buildAppDeps } from '../../functions/deps';
import { INNGEST_PATH, mountInngestEndpoint } from '../../functions/inngest-endpoint';
import { startNodeServer, type RunningServer } from '../../functions/node-server';
import { loadConfig } from '../../infra/config';
import { createDynamoClients } from '../../infra/dynamo/client';
import { ensureTable } from '../../infra/dynamo/ensure-table';
import { startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local';
import { startExecutor, VirtualClock, type RunningExecutor } from '../../infra/local/executor';
import { mintDevToken } from '../../infra/local/mint-token';
import { findFreePort } from '../../infra/local/ports';
import { startSesLocal, type RunningSes } from '../../infra/local/ses-local';
import { createLogger } from '../../infra/log';
import { createWorkflows } from '../../workflows';
import { startMailOutageProxy, type MailOutageProxy } from '../support/mail-outage-proxy';

type Json = Record<string, any>;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SECRET = 'chaos-ses-secret-0123456789abcdef';
const DPO = 'dpo@chaos.example';
const LEAD = 'dp-lead@chaos.example';
const REGULATOR = 'notifications@cnil.example';
const ALERT_AFTER_MINUTES = 30;
const log = (line: string) => process.stderr.write(`[chaos ses ${new Date().toISOString().slice(11, 23)}] ${line}\n`);

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
}

describe('SES outage: refused, then 5xx, then slow, while a notice and a reminder fall due', () => {
  let dynamo: RunningDynamo;
  let ses: RunningSes;
  let mail: MailOutageProxy;
  let executor: RunningExecutor;
  let server: RunningServer;
  let destroy: () => void;
  const clock = new VirtualClock(Date.UTC(2030, 2, 4, 9));
  const org = `ses-outage-${Date.now().toString(36)}`;
  let token: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const advance = async (ms: number) => {
    await clock.advance(ms);
    await executor.idle();
  };
  const emails = async () => ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: StoredEmail[] }).emails;

  beforeAll(async () => {
    dynamo = await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
    ses = await startSesLocal(await findFreePort());
    mail = await startMailOutageProxy(ses.endpoint);
    const tableName = 'breach-response-ses-outage';
    const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
    await ensureTable(raw, tableName);
    raw.destroy();
    const logger = createLogger('silent');
    executor = await startExecutor({
      port: 0,
      dynamo: { region: 'us-east-1', endpoint: dynamo.endpoint },
      tableName: `${tableName}-executor`,
      clock,
      logger,
    });
    const config = loadConfig({
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SES_ENDPOINT: mail.url,
      TABLE_NAME: tableName,
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '1000000',
      INNGEST_BASE_URL: executor.url,
      INNGEST_DEV: '1',
    });
    const deps = buildAppDeps(config, { clock });
    destroy = () => deps.dynamo.raw.destroy();
    const app = createApp(deps);
    server = await startNodeServer(app, 0);
    mountInngestEndpoint(app, createWorkflows(deps, { isDev: true, baseUrl: executor.url }));
    await executor.registerApp(`${server.url}${INNGEST_PATH}`);
    token = await mintDevToken(SECRET, { org, roles: ['admin'] });
    const settings = await call('PUT', '/v1/settings', {
      dpoEmail: DPO,
      escalationEmail: LEAD,
      noticeOutageAlertMinutes: ALERT_AFTER_MINUTES,
    });
    expect(settings.status).toBe(200);
  });

  afterAll(async () => {
    await executor?.stop();
    await server?.stop();
    destroy?.();
    await mail?.stop();
    await ses?.stop();
    await dynamo?.stop();
  });

  it('sends every email once the endpoint is back, none twice, with the delay on the incident and the DP lead told', async () => {
    const created = await call('POST', '/v1/breach-incidents', {
      formId: 'form_standard_breach_report',
      discoveredAt: clock.now().toISOString(),
      responses: {
        description: 'Payroll export sent to an external address.',
        estimated_affected: 900,
        data_categories: ['Financial', 'Employment'],
        breach_type: 'type_accidental_disclosure',
        jurisdictions: ['FR'],
        data_encrypted: 'Not encrypted',
        exfiltration: 'Suspected',
      },
    });
    expect(created.status).toBe(201);
    const incidentId = created.body.id as string;
    await executor.idle();
    const triaged = (await call('GET', `/v1/breach-incidents/${incidentId}`)).body;
    const obligation = (triaged.obligations as Json[]).find((o) => o.recipient === 'supervisory-authority')!;
    expect(obligation.dueAt).toBeDefined();

    // A complete notice to the regulator, approved just as the mail service goes away.
    const probe = (
      await call('POST', `/v1/breach-incidents/${incidentId}/notifications`, {
        obligationId: obligation.id,
        recipients: [{ email: REGULATOR }],
        facts: {},
      })
    ).body;
    const facts: Json = {};
    for (const path of probe.missing as string[]) {
      const parts = path.split('.');
      let node = facts;
      for (const part of parts.slice(0, -1)) node = node[part] ??= {};
      node[parts.at(-1)!] = `value of ${path}`;
    }
    const notice = (
      await call('POST', `/v1/breach-incidents/${incidentId}/notifications`, {
        obligationId: obligation.id,
        recipients: [{ email: REGULATOR }],
        facts,
      })
    ).body;
    await advance(23 * HOUR + 30 * MINUTE);
    const before = await emails();

    // The outage: 20 min refused, 20 min of 503s (the 24 h reminder falls due here), 10 min of slow answers.
    await mail.set({ kind: 'refuse' });
    const outageStarted = clock.now().getTime();
    expect((await call('POST', `/v1/notifications/${notice.id}/approve`)).status).toBe(200);
    await advance(20 * MINUTE);
    await mail.set({ kind: 'error' });
    await advance(20 * MINUTE);
    await mail.set({ kind: 'slow', delayMs: 1500 });
    await advance(10 * MINUTE);
    await mail.set({ kind: 'up' });
    const outageEnded = clock.now().getTime();
    await advance(30 * MINUTE);
    log(`proxy requests by mode: ${JSON.stringify(mail.counts())}`);

    const sent = (await emails()).filter((e) => !before.some((b) => b.messageId === e.messageId));
    const to = (address: string) => sent.filter((e) => e.destination.to.includes(address));
    log(`emails during and after the outage: ${sent.map((e) => `${e.destination.to.join(',')}: ${e.subject}`).join(' | ')}`);

    const incident = (await call('GET', `/v1/breach-incidents/${incidentId}`)).body;
    const timeline = incident.timeline as Json[];
    const delivered = timeline.find((e) => e.action === 'notification.delivered' && e.details.email === REGULATOR);
    const stalled = timeline.find((e) => e.action === 'notification.delivery.stalled');
    const runs = (await executor.listRuns({ status: 'failed' })).map((r) => r.functionId);
    log(
      `delivered: ${JSON.stringify(delivered?.details)}; stalled: ${JSON.stringify(stalled?.details)}; failed runs: ${JSON.stringify(runs)}`,
    );

    // Each phase of the outage was really met by a send.
    expect.soft(mail.counts().error ?? 0).toBeGreaterThan(0);
    expect.soft(mail.counts().slow ?? 0).toBeGreaterThan(0);
    // The notice went out once, after the outage, and the delay is on the incident.
    expect.soft(to(REGULATOR).filter((e) => e.subject === notice.subject)).toHaveLength(1);
    expect
      .soft((await call('GET', `/v1/notifications/${notice.id}`)).body)
      .toMatchObject({ status: 'sent', deliveries: [{ email: REGULATOR, status: 'sent' }] });
    expect.soft(Date.parse(delivered?.at ?? '')).toBeGreaterThanOrEqual(outageEnded - 10 * MINUTE);
    expect.soft(delivered?.details.delaySeconds).toBeGreaterThanOrEqual(40 * 60);
    expect.soft(delivered?.details.delayedSince).toBe(new Date(outageStarted).toISOString());
    // The DP lead: the incident says so at once (audit entry and a task), and one email once mail flowed again.
    expect.soft(Date.parse(stalled?.at ?? '')).toBeGreaterThanOrEqual(outageStarted + ALERT_AFTER_MINUTES * MINUTE);
    expect.soft(Date.parse(stalled?.at ?? '')).toBeLessThan(outageEnded);
    expect.soft((incident.tasks as Json[]).filter((t) => t.id.startsWith('task_unsent_'))).toHaveLength(1);
    expect.soft(to(LEAD).filter((e) => e.subject.startsWith('[ACTION NEEDED] Legal notice not sent'))).toHaveLength(1);
    // The reminder that fell due in the outage went out once it was over.
    expect.soft(to(DPO).filter((e) => e.subject.startsWith('Reminder 1:'))).toHaveLength(1);
    // Nothing twice, no run given up, the chain intact.
    const seen = new Map<string, number>();
    for (const e of await emails())
      seen.set(`${e.destination.to.join(',')}\n${e.subject}`, (seen.get(`${e.destination.to.join(',')}\n${e.subject}`) ?? 0) + 1);
    expect.soft([...seen].filter(([, n]) => n > 1)).toEqual([]);
    expect.soft(runs).toEqual([]);
    expect.soft(incident.automation).toBeUndefined();
    expect.soft((await call('GET', `/v1/breach-incidents/${incidentId}/audit/verify`)).body).toMatchObject({ valid: true });
  });
});
