import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Senders and receivers disagree about the time by a little; more than this and a delivery is refused as stale. */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;

export type VerificationFailure = 'missing-headers' | 'bad-timestamp' | 'stale' | 'bad-signature';

/** Constant-time comparison; a length difference is not secret, so it may return early. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Sentry: `Sentry-Hook-Signature` is the hex HMAC-SHA256 of the raw body keyed by the integration's client secret. */
export function verifySentrySignature(rawBody: Buffer, signature: string | undefined, secrets: string[]): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature.trim())) return false;
  const given = Buffer.from(signature.trim().toLowerCase(), 'hex');
  return secrets.some((secret) => sameBytes(createHmac('sha256', secret).update(rawBody).digest(), given));
}

export const signSentryBody = (rawBody: string | Buffer, secret: string) => createHmac('sha256', secret).update(rawBody).digest('hex');

/** Checks a Unix-seconds timestamp header against the clock. */
export function checkTimestamp(header: string | undefined, now: Date, toleranceS = TIMESTAMP_TOLERANCE_S): VerificationFailure | undefined {
  if (header === undefined) return 'missing-headers';
  if (!/^\d{1,12}(\.\d+)?$/.test(header.trim())) return 'bad-timestamp';
  return Math.abs(now.getTime() / 1000 - Number(header)) > toleranceS ? 'stale' : undefined;
}

const WHSEC_PREFIX = 'whsec_';

/** Standard Webhooks secrets are base64 key bytes, usually prefixed `whsec_`. */
export function standardWebhookKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(WHSEC_PREFIX) ? secret.slice(WHSEC_PREFIX.length) : secret, 'base64');
}

export const isStandardWebhookSecret = (secret: string) =>
  /^whsec_[A-Za-z0-9+/]{22,}={0,2}$/.test(secret) && standardWebhookKey(secret).length >= 16;

export const generateStandardWebhookSecret = () => WHSEC_PREFIX + randomBytes(24).toString('base64');

export function signStandardWebhook(secret: string, id: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', standardWebhookKey(secret)).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
  return `v1,${mac}`;
}

/**
 * Standard Webhooks: `webhook-signature` holds space-separated `v1,<base64 HMAC-SHA256>` of
 * `{webhook-id}.{webhook-timestamp}.{body}`; any one matching a valid secret passes.
 */
export function verifyStandardWebhook(
  headers: { id?: string; timestamp?: string; signature?: string },
  rawBody: Buffer,
  secrets: string[],
  now: Date,
): VerificationFailure | undefined {
  if (!headers.id || !headers.timestamp || !headers.signature) return 'missing-headers';
  const timing = checkTimestamp(headers.timestamp, now);
  if (timing) return timing;
  const given = headers.signature
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  const timestamp = headers.timestamp.trim();
  for (const secret of secrets) {
    const expected = createHmac('sha256', standardWebhookKey(secret)).update(`${headers.id}.${timestamp}.`).update(rawBody).digest();
    if (given.some((candidate) => sameBytes(expected, candidate))) return undefined;
  }
  return 'bad-signature';
}
