import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../../domain/shared/clock';
import { problemResponse } from '../problem';
import type { AppEnv } from '../app-env';

const WINDOW_MS = 60_000;

/**
 * A simple per-token limit: a fixed one-minute window per (organisation, subject), kept in this process's
 * memory. On Lambda each instance counts for itself, so the effective limit scales with concurrency; it is
 * a guard against a runaway client, not a quota (API Gateway usage plans are the place for quotas).
 */
export function rateLimitPerToken(limitPerMinute: number, clock: Clock): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const principal = c.var.principal;
    if (!principal) return next();
    const now = clock.now().getTime();
    const key = `${principal.orgId}\n${principal.subject}`;
    let window = windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (windows.size > 10_000) windows.clear();
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > limitPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      c.header('Retry-After', String(retryAfter));
      return problemResponse(c, {
        type: 'rate-limited',
        title: 'Too Many Requests',
        status: 429,
        detail: `More than ${limitPerMinute} requests a minute with this token; retry after ${retryAfter} s`,
      });
    }
    await next();
  };
}
