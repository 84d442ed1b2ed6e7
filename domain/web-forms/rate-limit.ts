/** Fixed-window limits for anonymous submissions: per client address (per form) and per key. */
export interface RateRule {
  scope: 'ip' | 'key';
  limit: number;
  windowSeconds: number;
}

export const WEB_FORM_RATE_RULES: readonly RateRule[] = [
  { scope: 'ip', limit: 20, windowSeconds: 600 },
  { scope: 'key', limit: 300, windowSeconds: 3600 },
];

export function rateWindow(rule: RateRule, now: Date): { start: number; end: number; expiresAt: number } {
  const seconds = Math.floor(now.getTime() / 1000);
  const start = seconds - (seconds % rule.windowSeconds);
  const end = start + rule.windowSeconds;
  // Kept a window longer than needed; TTL deletion is lazy and counting never depends on it.
  return { start, end, expiresAt: end + rule.windowSeconds };
}

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** `count` includes the attempt being decided. */
export function decideRate(count: number, rule: RateRule, now: Date): RateVerdict {
  if (count <= rule.limit) return { allowed: true };
  const { end } = rateWindow(rule, now);
  return { allowed: false, retryAfterSeconds: Math.max(1, end - Math.floor(now.getTime() / 1000)) };
}
