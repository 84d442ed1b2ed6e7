import { createHash } from 'node:crypto';
import { signalLevels, type SignalAction, type SignalDraft, type SignalLevel, type SignalRules } from './schema';

const rank = (level: SignalLevel) => signalLevels.indexOf(level);

/**
 * Defaults when an organisation has not written its own: a Sentry issue, issue alert or critical
 * metric alert at error level or above, or an audit-log anomaly of high severity or above, opens an
 * incident; everything else is only recorded for a person to promote or dismiss.
 */
export const defaultSignalRules: SignalRules = {
  rules: [
    { source: 'sentry', resource: 'issue', minLevel: 'error', action: 'open-incident' },
    { source: 'sentry', resource: 'event_alert', minLevel: 'error', action: 'open-incident' },
    { source: 'sentry', resource: 'metric_alert', minLevel: 'critical', action: 'open-incident' },
    { source: 'audit-log', minLevel: 'error', action: 'open-incident' },
  ],
  defaultAction: 'record',
  attachWindowHours: 72,
};

/** The first rule that matches decides; lifecycle news (a resolved issue, say) is only ever recorded. */
export function decideSignalAction(
  signal: Pick<SignalDraft, 'source' | 'resource' | 'level' | 'actionable'>,
  rules: SignalRules,
): { action: SignalAction; rule: number | null } {
  if (!signal.actionable) return { action: 'record', rule: null };
  const index = rules.rules.findIndex(
    (rule) =>
      (rule.source === undefined || rule.source === signal.source) &&
      (rule.resource === undefined || rule.resource === signal.resource) &&
      (rule.minLevel === undefined || rank(signal.level) >= rank(rule.minLevel)),
  );
  return index >= 0 ? { action: rules.rules[index]!.action, rule: index } : { action: rules.defaultAction, rule: null };
}

/** The awareness decision's SLA: a critical-looking signal must be decided within hours. */
export function awarenessSlaHours(level: SignalLevel): number {
  if (rank(level) >= rank('critical')) return 4;
  if (level === 'error') return 12;
  return 24;
}

/** Fingerprints can be long and carry any characters; keys use their hash. */
export const fingerprintHash = (fingerprint: string) => createHash('sha256').update(fingerprint).digest('hex').slice(0, 40);

const EXCERPT_LIMIT = 4_000;

/** A bounded excerpt of what arrived, enough for a responder to recognise it without storing the whole payload. */
export function payloadExcerpt(payload: unknown): { excerpt: string; excerptTruncated: boolean } {
  const text = JSON.stringify(payload) ?? '';
  return text.length <= EXCERPT_LIMIT
    ? { excerpt: text, excerptTruncated: false }
    : { excerpt: text.slice(0, EXCERPT_LIMIT), excerptTruncated: true };
}

export const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
