import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { isDeliverableAddress } from '../../domain/webhooks/rules';

const TIMEOUT_MS = 10_000;

export interface DeliveryOutcome {
  status: number | null;
  latencyMs: number;
  error: string | null;
}

/** Checks every address the name resolves to at connect time, so a DNS answer cannot steer a delivery elsewhere. */
function guardedLookup(stage: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const refused = list.find((a) => !isDeliverableAddress(a.address, stage));
      if (refused || list.length === 0)
        return callback(
          Object.assign(new Error(`refused address ${refused?.address ?? '(none)'} for ${hostname}`), { code: 'EADDRREFUSED' }),
          '',
          0,
        );
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * Signs a CloudEvent per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`, one signature
 * per live secret so a rotation overlaps) and POSTs it. Redirects are not followed: a 3xx is a failed attempt.
 */
export function deliverWebhook(
  target: { url: string; secrets: string[]; stage: string },
  message: { id: string; body: string },
  now: Date,
): Promise<DeliveryOutcome> {
  const signature = target.secrets.map((secret) => new Webhook(secret).sign(message.id, now, message.body)).join(' ');
  const url = new URL(target.url);
  // A literal address is never looked up, so it is checked here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !isDeliverableAddress(literal, target.stage))
    return Promise.resolve({ status: null, latencyMs: 0, error: `refused address ${literal}` });
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number | null, error: string | null) =>
      resolve({ status, latencyMs: Math.round(performance.now() - started), error });
    const req = request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(target.stage),
        timeout: TIMEOUT_MS,
        headers: {
          'content-type': 'application/cloudevents+json',
          'webhook-id': message.id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
          'user-agent': 'breach-response-webhooks/1',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          done(
            status,
            status >= 200 && status < 300
              ? null
              : status >= 300 && status < 400
                ? `redirect to ${res.headers.location ?? '?'} not followed`
                : `HTTP ${status}`,
          );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (error) => done(null, error.message));
    req.end(message.body);
  });
}
