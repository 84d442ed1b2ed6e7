import { createHmac } from 'node:crypto';

/** RFC 8785-style canonical JSON: the SDK re-canonicalizes the parsed body before checking the HMAC. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The `X-Inngest-Signature` header value: `t=<unix s>&s=<hex HMAC-SHA256 of body + t>`; the key loses its `signkey-*-` prefix. */
export function signBody(body: string, signingKey: string, unixSeconds = Math.round(Date.now() / 1000)): string {
  const key = signingKey.replace(/^signkey-[\w]+-/, '');
  const signature = createHmac('sha256', key)
    .update(body + String(unixSeconds))
    .digest('hex');
  return `t=${unixSeconds}&s=${signature}`;
}
