import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;
const HOUR = 3_600_000;

/** A team's receiver: verifies every delivery with the official Standard Webhooks library; can be told to fail. */
async function startReceiver() {
  const received: { id: string; type: string; incidentId?: string; verified: boolean }[] = [];
  let failuresLeft = 0;
  let secret = '';
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503).end();
        return;
      }
      let verified = true;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      const event = JSON.parse(body) as Json;
      received.push({ id: String(req.headers['webhook-id']), type: event.type, incidentId: event.data?.incidentId, verified });
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    failNext: (n: number) => (failuresLeft = n),
    useSecret: (s: string) => (secret = s),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('outbound webhooks: signed CloudEvents, retried, logged, SSRF-safe', () => {
  let stack: FullStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let token: string;
  const org = uniqueOrg('hooks');

  beforeAll(async () => {
    // The receiver's real clock checks the signature timestamp: the stack's virtual clock starts now.
    stack = await startFullStack(Date.now());
    receiver = await startReceiver();
    token = await stack.api.token(org);
  });
  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
  });

  it('delivers a subscribed event signed per Standard Webhooks, retries a failing receiver until it recovers, and logs each attempt', async () => {
    const created = await stack.api.call('POST', '/v1/webhook-subscriptions', {
      token,
      body: { url: receiver.url, eventTypes: ['breach/incident.created', 'breach/incident.triaged'], description: 'SIEM' },
    });
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as Json;
    expect(subscription.secret).toMatch(/^whsec_/);
    receiver.useSecret(subscription.secret);
    const listed = (await (await stack.api.call('GET', `/v1/webhook-subscriptions/${subscription.id}`, { token })).json()) as Json;
    expect(listed).not.toHaveProperty('secret');

    receiver.failNext(2);
    const incident = (await (
      await stack.api.call('POST', '/v1/breach-incidents', {
        token,
        body: {
          formId: 'form_standard_breach_report',
          responses: { description: 'x', data_categories: ['Contact details'], breach_type: 'type_phishing', jurisdictions: ['GB'] },
        },
      })
    ).json()) as Json;
    await stack.idle();
    await stack.advance(HOUR);
    await stack.advance(HOUR);

    const mine = receiver.received.filter((r) => r.incidentId === incident.id);
    expect(mine.map((r) => r.type).sort()).toEqual(['breach/incident.created', 'breach/incident.triaged']);
    expect(mine.every((r) => r.verified)).toBe(true);

    const log = (await (await stack.api.call('GET', `/v1/webhook-subscriptions/${subscription.id}/deliveries`, { token })).json()) as Json;
    expect(log.items).toHaveLength(2);
    expect(log.items.every((d: Json) => d.status === 'delivered')).toBe(true);
    const attempts = log.items.flatMap((d: Json) => d.attempts);
    expect(attempts.filter((a: Json) => a.status === 503)).toHaveLength(2);
    expect(attempts.filter((a: Json) => a.status === 204)).toHaveLength(2);
    expect(attempts.every((a: Json) => typeof a.latencyMs === 'number')).toBe(true);

    const redelivered = await stack.api.call(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/deliveries/${log.items[0].id}/redeliveries`,
      { token },
    );
    expect(redelivered.status).toBe(202);
    await stack.idle();
    expect(receiver.received.filter((r) => r.incidentId === incident.id)).toHaveLength(3);
  }, 120_000);

  it('disables a subscription after five deliveries failed for good, and tells the DP lead once, through the delivery ledger', async () => {
    const otherOrg = uniqueOrg('hooks-down');
    const otherToken = await stack.api.token(otherOrg);
    const created = await stack.api.call('POST', '/v1/webhook-subscriptions', {
      token: otherToken,
      body: { url: receiver.url, eventTypes: ['breach/incident.created'] },
    });
    const subscription = (await created.json()) as Json;
    receiver.failNext(10_000);
    try {
      for (let i = 0; i < 5; i++) {
        const response = await stack.api.call('POST', '/v1/breach-incidents', {
          token: otherToken,
          body: {
            formId: 'form_standard_breach_report',
            responses: {
              description: `down ${i}`,
              data_categories: ['Contact details'],
              breach_type: 'type_phishing',
              jurisdictions: ['GB'],
            },
          },
        });
        expect(response.status).toBe(201);
      }
      await stack.idle();
      // Each delivery retries after 1 min, 5 min, 30 min, 2 h, 6 h, 12 h and 24 h: walk the clock past the last.
      for (let step = 0; step < 8; step++) await stack.advance(25 * HOUR);
    } finally {
      receiver.failNext(0);
    }
    const after = (await (
      await stack.api.call('GET', `/v1/webhook-subscriptions/${subscription.id}`, { token: otherToken })
    ).json()) as Json;
    expect(after).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('5 deliveries in a row failed') });
    expect((await stack.emailsAbout(subscription.id)).filter((e) => e.subject.includes('disabled after sustained failure'))).toHaveLength(
      1,
    );
  }, 240_000);

  it('refuses link-local and cloud metadata addresses, and credentials in the URL, naming the field', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/x', 'http://user:pw@127.0.0.1/x']) {
      const response = await stack.api.call('POST', '/v1/webhook-subscriptions', {
        token,
        body: { url, eventTypes: ['breach/incident.created'] },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as Json).errors[0].path).toBe('body.url');
    }
  });
});
