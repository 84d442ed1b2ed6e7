import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The global API headers forbid framing; web-form pages are made to be framed and set their own CSP. */
export const isWebFormPath = (path: string) => path === '/forms' || path.startsWith('/forms/');

export const webFormSecureHeaders = secureHeaders({
  contentSecurityPolicy: undefined,
  xFrameOptions: false,
  crossOriginResourcePolicy: 'cross-origin',
  crossOriginOpenerPolicy: false,
  // With `no-referrer` a browser sends `Origin: null` on the form's own POST, and the origin check needs the real one.
  referrerPolicy: 'same-origin',
});

/**
 * The client address for rate limiting: the last X-Forwarded-For hop (added by the nearest proxy, e.g. the
 * Lambda function URL), else the socket's peer. Only its hash is stored.
 */
export function clientAddressHash(c: Context): string {
  const forwarded = c.req
    .header('x-forwarded-for')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  const address = forwarded?.at(-1) ?? socket ?? 'unknown';
  return createHash('sha256').update(address).digest('hex').slice(0, 32);
}

/** The origin this server is reached at: PUBLIC_BASE_URL when set (behind a proxy), else the request's own. */
export function serverOrigin(c: Context, publicBaseUrl: string | undefined): string {
  return new URL(publicBaseUrl ?? c.req.url).origin;
}

/**
 * A browser always names the page a POST came from; a cross-site or opaque (`null`) origin is refused.
 * Clients that send neither header (no ambient credentials to abuse) still need the signed page token.
 */
export function sameOriginPost(c: Context, expectedOrigin: string): boolean {
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin === expectedOrigin;
  const referer = c.req.header('referer');
  if (referer === undefined) return true;
  try {
    return new URL(referer).origin === expectedOrigin;
  } catch {
    return false;
  }
}
