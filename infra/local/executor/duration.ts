const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses an Inngest time string ("1h30m", "300ms", "2d"); undefined when it is not one. */
export function parseTimeString(value: string): number | undefined {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value.trim()) return undefined;
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * (unitMs[unit!] ?? 0), 0);
}

/** A sleep op's name is either a time string (relative) or an ISO instant (sleepUntil). */
export function resolveDueTime(value: string, now: number): number {
  const relative = parseTimeString(value);
  if (relative !== undefined) return now + relative;
  const absolute = Date.parse(value);
  if (Number.isNaN(absolute)) throw new Error(`Unreadable time "${value}"`);
  return absolute;
}
