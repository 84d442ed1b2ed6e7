import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSentryBody, signStandardWebhook } from '../../functions/webhooks/signatures';
import { startEventRecorder } from '../support/event-recorder';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';
import { auditAnomaly, sentryEventAlert, sentryInstallation, sentryIssueCreated, sentryMetricAlert } from '../unit/signals/sentry-payloads';

type Json = Record<string, any>;

const SENTRY_SECRET = 'b6e7c1f0d5a94c28a1f3e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7';

describe('signal intake', () => {
  let api: TestApi;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let token: string;
  let auditSecret: string;
  const org = uniqueOrg('sig');
  const logLines: string[] = [];

  beforeAll(async () => {
    recorder = await startEventRecorder();
    api = await startTestApi({ config: { INNGEST_BASE_URL: recorder.url }, logLines });
    token = await api.token(org);
    const sentry = await api.call('POST', '/v1/webhook-secrets/sentry', { token, body: { secret: SENTRY_SECRET } });
    expect(sentry.status).toBe(201);
    expect(await sentry.json()).not.toHaveProperty('secret');
    const audit = await api.call('POST', '/v1/webhook-secrets/audit-log', { token });
    expect(audit.status).toBe(201);
    auditSecret = ((await audit.json()) as Json).secret;
    expect(auditSecret).toMatch(/^whsec_/);
  });
  afterAll(async () => {
    await api?.stop();
    await recorder?.stop();
  });

  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const sendSentry = (
    resource: string,
    payload: unknown,
    options: { requestId?: string; secret?: string; timestamp?: number; raw?: string; orgId?: string; signature?: string } = {},
  ) => {
    const body = options.raw ?? JSON.stringify(payload);
    return api.call('POST', `/v1/webhooks/sentry/${options.orgId ?? org}`, {
      body,
      headers: {
        'content-type': 'application/json',
        'request-id': options.requestId ?? randomUUID(),
        'sentry-hook-resource': resource,
        'sentry-hook-timestamp': String(options.timestamp ?? nowSeconds()),
        'sentry-hook-signature': options.signature ?? signSentryBody(body, options.secret ?? SENTRY_SECRET),
      },
    });
  };
  const sendAudit = (
    payload: unknown,
    options: { id?: string; secret?: string; timestamp?: number; raw?: string; orgId?: string } = {},
  ) => {
    const body = options.raw ?? JSON.stringify(payload);
    const id = options.id ?? `msg_${randomUUID()}`;
    const timestamp = options.timestamp ?? nowSeconds();
    return api.call('POST', `/v1/webhooks/audit-log/${options.orgId ?? org}`, {
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signStandardWebhook(options.secret ?? auditSecret, id, timestamp, body),
      },
    });
  };
  const listSignals = async (query = '') =>
    ((await (await api.call('GET', `/v1/signals?limit=100${query}`, { token })).json()) as Json).items as Json[];
  const getIncident = async (id: string) => (await (await api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
  const expectRefused = async (response: Response, status: number, type: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await response.json()) as Json).type).toMatch(new RegExp(`${type}$`));
  };

  it('turns a signed Sentry issue into a signal that opens an incident awaiting an awareness decision', async () => {
    const response = await sendSentry('issue', sentryIssueCreated('5001'));
    expect(response.status).toBe(202);
    const result = (await response.json()) as Json;
    expect(result).toMatchObject({ status: 'accepted', signalStatus: 'incident-opened', plannedAction: 'open-incident' });
    const signal = (await (await api.call('GET', `/v1/signals/${result.signalId}`, { token })).json()) as Json;
    expect(signal).toMatchObject({
      source: 'sentry',
      resource: 'issue',
      externalId: 'issue:5001:created',
      fingerprint: 'sentry:issue:5001',
      level: 'error',
      detectedAt: '2019-08-19T20:58:37.391Z',
      incidentId: result.incidentId,
      links: [{ label: 'issue', url: 'https://sentry.io/organizations/test-org/issues/5001/' }],
    });
    expect(signal.title).toContain('FRONT-END-9');
    expect(signal.excerpt.length).toBeLessThanOrEqual(4000);
    const incident = await getIncident(result.incidentId);
    expect(incident).toMatchObject({
      source: 'sentry',
      stage: 'REPORTED',
      formId: 'form_signal_intake',
      detectedAt: '2019-08-19T20:58:37.391Z',
      awareness: { status: 'pending', slaHours: 12, signalId: signal.id },
    });
    expect(Date.parse(incident.awareness.dueAt) - Date.parse(incident.awareness.requestedAt)).toBe(12 * 3600_000);
    expect(recorder.events.find((e) => e.name === 'breach/incident.created' && e.data.incidentId === result.incidentId)?.data.source).toBe(
      'sentry',
    );
    expect(
      recorder.events.find((e) => e.name === 'breach/incident.awareness.requested' && e.data.incidentId === result.incidentId),
    ).toBeDefined();
    expect(recorder.events.find((e) => e.name === 'breach/signal.received' && e.data.signalId === signal.id)).toBeDefined();
    const audit = (await (await api.call('GET', `/v1/signals/${signal.id}/audit`, { token })).json()) as Json;
    expect(audit.items.map((e: Json) => e.action)).toEqual(['signal.received', 'signal.incident-opened']);
  });

  it('never opens two incidents for one alert: a redelivery is a duplicate, later alerts attach', async () => {
    const requestId = randomUUID();
    const first = (await (await sendSentry('issue', sentryIssueCreated('5002'), { requestId })).json()) as Json;
    const again = await sendSentry('issue', sentryIssueCreated('5002'), { requestId });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate', signalId: first.signalId, incidentId: first.incidentId });
    const alert = (await (await sendSentry('event_alert', sentryEventAlert('5002', 'aa11'))).json()) as Json;
    expect(alert).toMatchObject({ signalStatus: 'attached', incidentId: first.incidentId });
    const signals = await listSignals('&fingerprint=sentry:issue:5002');
    expect(signals).toHaveLength(2);
    const audit = (await (await api.call('GET', `/v1/breach-incidents/${first.incidentId}/audit`, { token })).json()) as Json;
    expect(audit.items.filter((e: Json) => e.action === 'incident.signal.attached')).toHaveLength(1);
  });

  it('opens exactly one incident when deliveries of one alert race', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => sendSentry('event_alert', sentryEventAlert('5003', `race${i}`))),
    );
    const results = (await Promise.all(responses.map((r) => r.json()))) as Json[];
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(results.filter((r) => r.signalStatus === 'incident-opened')).toHaveLength(1);
    const incidentIds = new Set(results.map((r) => r.incidentId).filter(Boolean));
    expect(incidentIds.size).toBe(1);
    // The list shows summaries; the report's answers (the fingerprint among them) are on each incident.
    const register = ((await (await api.call('GET', '/v1/breach-incidents?limit=100', { token })).json()) as Json).items as Json[];
    const reports = await Promise.all(
      register.map(async (i) => (await (await api.call('GET', `/v1/breach-incidents/${i.id}`, { token })).json()) as Json),
    );
    expect(reports.filter((i) => i.responses.signal_fingerprint === 'sentry:issue:5003')).toHaveLength(1);
  });

  it('only records what the rules do not act on, and acknowledges installation without storing anything', async () => {
    const warning = (await (await sendSentry('metric_alert', sentryMetricAlert('warning', '70'))).json()) as Json;
    expect(warning).toMatchObject({ status: 'accepted', signalStatus: 'recorded', plannedAction: 'record', incidentId: null });
    const before = (await listSignals()).length;
    const install = await sendSentry('installation', sentryInstallation);
    expect(install.status).toBe(200);
    expect(await install.json()).toMatchObject({ status: 'acknowledged', signalId: null });
    expect(await listSignals()).toHaveLength(before);
  });

  it('refuses bad signature, stale timestamp, replay, unknown org, oversize and malformed JSON with problem+json, storing nothing', async () => {
    const before = (await listSignals()).length;
    await expectRefused(
      await sendSentry('issue', sentryIssueCreated('5100'), { secret: 'not-the-secret-at-all-0000' }),
      401,
      'webhook-bad-signature',
    );
    await expectRefused(await sendSentry('issue', sentryIssueCreated('5101'), { signature: 'zz' }), 401, 'webhook-bad-signature');
    await expectRefused(
      await sendSentry('issue', sentryIssueCreated('5102'), { timestamp: nowSeconds() - 3600 }),
      401,
      'webhook-stale-timestamp',
    );
    await expectRefused(await sendAudit(auditAnomaly('a-stale'), { timestamp: nowSeconds() - 600 }), 401, 'webhook-stale-timestamp');
    await expectRefused(
      await sendAudit(auditAnomaly('a-badsig'), { secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}` }),
      401,
      'webhook-bad-signature',
    );
    await expectRefused(
      await sendSentry('issue', sentryIssueCreated('5103'), { orgId: uniqueOrg('nobody') }),
      404,
      'webhook-unknown-organisation',
    );
    await expectRefused(await sendAudit(auditAnomaly('a-unknown'), { orgId: uniqueOrg('nobody') }), 404, 'webhook-unknown-organisation');
    await expectRefused(await sendSentry('issue', null, { raw: '{"action": "created", "data": ' }), 400, 'malformed-json');
    await expectRefused(await sendAudit(null, { raw: '{not json' }), 400, 'malformed-json');
    const huge = JSON.stringify({ ...sentryIssueCreated('5104'), padding: 'x'.repeat(300 * 1024) });
    const oversize = await postWithoutKeepAlive(`${api.url}/v1/webhooks/sentry/${org}`, huge, {
      'content-type': 'application/json',
      'sentry-hook-resource': 'issue',
      'sentry-hook-timestamp': String(nowSeconds()),
      'sentry-hook-signature': signSentryBody(huge, SENTRY_SECRET),
    });
    expect(oversize.status).toBe(413);
    expect(oversize.contentType).toMatch(/application\/problem\+json/);
    await expectRefused(await sendAudit({ type: 'audit.anomaly', data: {} }), 422, 'unprocessable');
    expect(await listSignals()).toHaveLength(before);

    const id = `msg_${randomUUID()}`;
    expect((await sendAudit(auditAnomaly('a-once', 'low'), { id })).status).toBe(202);
    await expectRefused(await sendAudit(auditAnomaly('a-once', 'low'), { id }), 409, 'webhook-replayed');
    expect(await listSignals()).toHaveLength(before + 1);
    expect(logLines.some((line) => line.includes('webhook refused') && line.includes('webhook-bad-signature'))).toBe(true);
    expect(logLines.some((line) => line.includes(SENTRY_SECRET) || line.includes(auditSecret))).toBe(false);
  });

  it('keeps the old secret valid during the rotation grace period, and not after', async () => {
    const oldSecret = auditSecret;
    const rotated = await api.call('POST', '/v1/webhook-secrets/audit-log/rotate', { token, body: { graceSeconds: 3600 } });
    expect(rotated.status).toBe(200);
    const issued = (await rotated.json()) as Json;
    expect(issued.secret).toMatch(/^whsec_/);
    expect(issued.secret).not.toBe(oldSecret);
    expect(issued.previousExpiresAt).not.toBeNull();
    auditSecret = issued.secret;
    expect((await sendAudit(auditAnomaly('grace-old', 'low'), { secret: oldSecret })).status).toBe(202);
    expect((await sendAudit(auditAnomaly('grace-new', 'low'))).status).toBe(202);
    const listed = JSON.stringify(await (await api.call('GET', '/v1/webhook-secrets', { token })).json());
    expect(listed).not.toContain(auditSecret);
    expect(listed).not.toContain(oldSecret);

    const second = (await (
      await api.call('POST', '/v1/webhook-secrets/audit-log/rotate', { token, body: { graceSeconds: 0 } })
    ).json()) as Json;
    await expectRefused(await sendAudit(auditAnomaly('grace-expired', 'low')), 401, 'webhook-bad-signature');
    auditSecret = second.secret;
    expect((await sendAudit(auditAnomaly('grace-newest', 'low'))).status).toBe(202);
    expect((await api.call('POST', '/v1/webhook-secrets/audit-log', { token })).status).toBe(409);
  });

  it('promotes and dismisses recorded signals, with permissions and audit', async () => {
    const dismissable = (await (await sendAudit(auditAnomaly('pd-1', 'medium', 'svc-a'))).json()) as Json;
    const promotable = (await (await sendAudit(auditAnomaly('pd-2', 'medium', 'svc-b'))).json()) as Json;
    expect([dismissable.signalStatus, promotable.signalStatus]).toEqual(['recorded', 'recorded']);
    const responder = await api.token(org, { roles: ['responder'] });
    expect((await api.call('POST', `/v1/signals/${promotable.signalId}/promote`, { token: responder, body: {} })).status).toBe(403);

    const dismissed = await api.call('POST', `/v1/signals/${dismissable.signalId}/dismiss`, {
      token,
      body: { reason: 'scheduled quarterly export' },
    });
    expect(dismissed.status).toBe(200);
    expect(await dismissed.json()).toMatchObject({ status: 'dismissed', dismissal: { reason: 'scheduled quarterly export' } });
    const refusedPromotion = await api.call('POST', `/v1/signals/${dismissable.signalId}/promote`, { token, body: {} });
    expect(refusedPromotion.status).toBe(409);
    expect(await refusedPromotion.json()).toMatchObject({ status: 409, currentStatus: 'dismissed' });
    expect((await api.call('POST', `/v1/signals/${dismissable.signalId}/dismiss`, { token, body: {} })).status).toBe(400);

    const promoted = (await (
      await api.call('POST', `/v1/signals/${promotable.signalId}/promote`, { token, body: { notes: 'export to unknown host' } })
    ).json()) as Json;
    expect(promoted).toMatchObject({ status: 'incident-opened' });
    expect((await getIncident(promoted.incidentId)).source).toBe('audit-log');
    const audit = (await (await api.call('GET', `/v1/signals/${promotable.signalId}/audit`, { token })).json()) as Json;
    expect(audit.items.map((e: Json) => [e.action, e.actor.type])).toEqual([
      ['signal.received', 'webhook'],
      ['signal.incident-opened', 'user'],
    ]);
    expect((await listSignals('&status=dismissed')).map((s) => s.id)).toEqual([dismissable.signalId]);
  });

  it('records the awareness decision: discoveredAt is set, detectedAt stays, the clocks are told', async () => {
    const opened = (await (await sendAudit(auditAnomaly('aw-1', 'critical', 'svc-aware'))).json()) as Json;
    expect(opened.signalStatus).toBe('incident-opened');
    const pending = await getIncident(opened.incidentId);
    expect(pending.awareness).toMatchObject({ status: 'pending', slaHours: 4 });
    const decidedAt = new Date(Date.now() - 60_000).toISOString();
    const decision = await api.call('POST', `/v1/breach-incidents/${opened.incidentId}/awareness`, {
      token,
      body: { aware: true, decidedAt, rationale: 'customer records left the network' },
    });
    expect(decision.status).toBe(200);
    const incident = await getIncident(opened.incidentId);
    expect(incident).toMatchObject({
      discoveredAt: decidedAt,
      discoveredAtSource: 'awareness-decision',
      detectedAt: '2026-03-10T09:29:12.000Z',
      awareness: { status: 'aware', decidedAt },
    });
    expect(
      recorder.events.find((e) => e.name === 'breach/incident.awareness.decided' && e.data.incidentId === opened.incidentId)?.data,
    ).toMatchObject({ aware: true, discoveredAt: decidedAt });
    expect(
      (await api.call('POST', `/v1/breach-incidents/${opened.incidentId}/awareness`, { token, body: { aware: true, rationale: 'again' } }))
        .status,
    ).toBe(409);
  });

  it('keeps signal and secret endpoints behind a token, while webhooks need none', async () => {
    expect((await api.call('GET', '/v1/signals')).status).toBe(401);
    expect((await api.call('POST', '/v1/webhook-secrets/sentry', { body: { secret: SENTRY_SECRET } })).status).toBe(401);
    const rules = (await (await api.call('GET', '/v1/signal-rules', { token })).json()) as Json;
    expect(rules).toMatchObject({ custom: false, defaultAction: 'record' });
    const saved = await api.call('PUT', '/v1/signal-rules', {
      token,
      body: { rules: [{ source: 'sentry', action: 'record' }], defaultAction: 'record', attachWindowHours: 24 },
    });
    expect(saved.status).toBe(200);
    const recorded = (await (await sendSentry('issue', sentryIssueCreated('5200', 'fatal'))).json()) as Json;
    expect(recorded).toMatchObject({ signalStatus: 'recorded', plannedAction: 'record' });
  });
});

/** The server answers 413 before the upload ends and drops the connection, so use one that is not pooled. */
function postWithoutKeepAlive(url: string, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; contentType: string }>((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']) }));
      },
    );
    req.on('error', (error) => (String(error).includes('EPIPE') || String(error).includes('ECONNRESET') ? undefined : reject(error)));
    req.end(body);
  });
}
