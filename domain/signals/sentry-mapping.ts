import { InvalidError, type FieldIssue } from '../shared/errors';
import { clip, payloadExcerpt } from './rules';
import type { SignalDraft, SignalLevel } from './schema';

/** Resources that become signals; `installation` is acknowledged; anything else Sentry may add is ignored. */
export const sentrySignalResources = ['issue', 'event_alert', 'metric_alert'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

function sentryLevel(value: unknown): SignalLevel {
  return value === 'fatal' || value === 'error' || value === 'warning' || value === 'info' || value === 'debug' ? value : 'error';
}

function instantOr(value: unknown, fallback: Date): string {
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  return fallback.toISOString();
}

function links(...candidates: [string, unknown][]) {
  return candidates.flatMap(([label, url]) =>
    typeof url === 'string' && /^https?:\/\//.test(url) ? [{ label, url: clip(url, 2_000) }] : [],
  );
}

function need(issues: FieldIssue[], path: string, value: unknown): string {
  const found = text(value);
  if (found === undefined) issues.push({ path: `body.${path}`, message: 'required by the Sentry webhook format' });
  return found ?? '';
}

/**
 * Maps one verified Sentry integration-platform delivery to a signal. Issue and event alerts on the
 * same Sentry issue share a fingerprint, so they land on the same incident.
 */
export function mapSentryDelivery(resource: string, payload: unknown, receivedAt: Date): SignalDraft {
  const issues: FieldIssue[] = [];
  const body = isObject(payload) ? payload : {};
  const data = isObject(body.data) ? body.data : {};
  const action = need(issues, 'action', body.action);
  const { excerpt, excerptTruncated } = payloadExcerpt(data);
  const fail = () => new InvalidError(`The Sentry ${resource} payload is not in the documented shape`, issues, true);

  if (resource === 'issue') {
    const issue = isObject(data.issue) ? data.issue : {};
    const id = need(issues, 'data.issue.id', issue.id);
    if (issues.length) throw fail();
    const project = isObject(issue.project) ? issue.project : {};
    return {
      source: 'sentry',
      resource,
      externalId: `issue:${id}:${action}`,
      fingerprint: `sentry:issue:${id}`,
      title: clip(
        `${text(issue.shortId) ?? id}: ${text(issue.title) ?? 'Sentry issue'}${text(project.slug) ? ` (${text(project.slug)})` : ''}`,
        300,
      ),
      level: sentryLevel(issue.level),
      actionable: action === 'created' || action === 'unresolved',
      links: links(['issue', issue.web_url ?? issue.permalink], ['api', issue.url]),
      excerpt,
      excerptTruncated,
      detectedAt: instantOr(issue.firstSeen, receivedAt),
    };
  }
  if (resource === 'event_alert') {
    const event = isObject(data.event) ? data.event : {};
    const issueId = need(issues, 'data.event.issue_id', event.issue_id);
    const eventId = need(issues, 'data.event.event_id', event.event_id);
    if (issues.length) throw fail();
    return {
      source: 'sentry',
      resource,
      externalId: `event:${eventId}`,
      fingerprint: `sentry:issue:${issueId}`,
      title: clip(`${text(data.triggered_rule) ?? 'Issue alert'}: ${text(event.title) ?? eventId}`, 300),
      level: sentryLevel(event.level),
      actionable: action === 'triggered',
      links: links(['event', event.web_url], ['issue', event.issue_url]),
      excerpt,
      excerptTruncated,
      detectedAt: instantOr(event.datetime ?? event.timestamp, receivedAt),
    };
  }
  if (resource === 'metric_alert') {
    const alert = isObject(data.metric_alert) ? data.metric_alert : {};
    const rule = isObject(alert.alert_rule) ? alert.alert_rule : {};
    const incidentId = need(issues, 'data.metric_alert.id', alert.id);
    const ruleId = need(issues, 'data.metric_alert.alert_rule.id', rule.id);
    if (issues.length) throw fail();
    const level: SignalLevel = action === 'critical' ? 'critical' : action === 'warning' ? 'warning' : 'info';
    return {
      source: 'sentry',
      resource,
      externalId: `metric-alert:${incidentId}:${action}`,
      fingerprint: `sentry:metric-alert:${ruleId}`,
      title: clip(text(data.description_title) ?? `Metric alert ${text(rule.name) ?? ruleId}: ${action}`, 300),
      level,
      actionable: action === 'critical' || action === 'warning',
      links: links(['alert', data.web_url]),
      excerpt,
      excerptTruncated,
      detectedAt: instantOr(alert.date_detected ?? alert.date_started, receivedAt),
    };
  }
  throw new InvalidError(`Sentry resource ${resource} does not produce signals`);
}
