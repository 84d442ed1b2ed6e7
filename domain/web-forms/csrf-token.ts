import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a rendered page may be submitted: long enough to write a careful report. */
export const CSRF_TOKEN_TTL_S = 4 * 3600;

export interface CsrfScope {
  orgId: string;
  formId: string;
  keyId: string;
}

const payload = (scope: CsrfScope, issuedAt: number, nonce: string) => `${scope.orgId}|${scope.formId}|${scope.keyId}|${issuedAt}|${nonce}`;
const sign = (secret: string, text: string) => createHmac('sha256', secret).update(text, 'utf8').digest('base64url');

/**
 * A token bound to the form, the key and the time the page was rendered, signed with the key's
 * server-side secret: stateless (works on Lambda) and valid in third-party iframes, where cookies are not.
 */
export function issueCsrfToken(secret: string, scope: CsrfScope, now: Date, nonce: string): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return `${issuedAt}.${nonce}.${sign(secret, payload(scope, issuedAt, nonce))}`;
}

export type CsrfVerdict = { ok: true; nonce: string } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyCsrfToken(
  secret: string,
  scope: CsrfScope,
  token: string | undefined,
  now: Date,
  ttlSeconds = CSRF_TOKEN_TTL_S,
): CsrfVerdict {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
  if (!m) return { ok: false, reason: 'malformed' };
  const issuedAt = Number(m[1]);
  const expected = Buffer.from(sign(secret, payload(scope, issuedAt, m[2]!)));
  const given = Buffer.from(m[3]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  const age = now.getTime() / 1000 - issuedAt;
  if (age > ttlSeconds || age < -300) return { ok: false, reason: 'expired' };
  return { ok: true, nonce: m[2]! };
}
