import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../domain/incidents/schema';
import { ConflictError, InvalidError } from '../../../domain/shared/errors';
import { mapAuditLogAlert } from '../../../domain/signals/audit-log-mapping';
import { planAwarenessDecision, planAwarenessRequest } from '../../../domain/signals/awareness';
import { decideSignalAction, defaultSignalRules, payloadExcerpt } from '../../../domain/signals/rules';
import { planSecretRotation, validSecrets } from '../../../domain/signals/secrets';
import { mapSentryDelivery } from '../../../domain/signals/sentry-mapping';
import { auditAnomaly, sentryEventAlert, sentryIssueCreated, sentryMetricAlert } from './sentry-payloads';

const now = new Date('2026-03-10T10:00:00Z');

describe('signal mapping', () => {
  it('gives an issue and its alerts one fingerprint, so they share an incident', () => {
    const issue = mapSentryDelivery('issue', sentryIssueCreated('42'), now);
    const alert = mapSentryDelivery('event_alert', sentryEventAlert('42'), now);
    expect(issue.fingerprint).toBe('sentry:issue:42');
    expect(alert.fingerprint).toBe(issue.fingerprint);
    expect(alert).toMatchObject({
      level: 'error',
      actionable: true,
      detectedAt: '2019-08-19T21:06:17.677Z',
      title: 'Very Important Alert Rule!: ReferenceError: heck is not defined',
    });
  });

  it('maps metric alert actions to levels and treats resolved as news only', () => {
    expect(mapSentryDelivery('metric_alert', sentryMetricAlert('critical'), now)).toMatchObject({
      level: 'critical',
      actionable: true,
      fingerprint: 'sentry:metric-alert:7',
    });
    expect(mapSentryDelivery('metric_alert', sentryMetricAlert('resolved'), now)).toMatchObject({ level: 'info', actionable: false });
    expect(mapSentryDelivery('issue', { ...sentryIssueCreated('1'), action: 'resolved' }, now).actionable).toBe(false);
  });

  it('names the missing fields of a payload that is not in the documented shape', () => {
    const error = (() => {
      try {
        mapSentryDelivery('event_alert', { action: 'triggered', data: { event: {} } }, now);
      } catch (e) {
        return e as InvalidError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidError);
    expect(error!.issues.map((i) => i.path)).toEqual(['body.data.event.issue_id', 'body.data.event.event_id']);
    expect(() => mapAuditLogAlert({ type: 'audit.anomaly', data: {} })).toThrow(InvalidError);
  });

  it('derives an audit-log fingerprint from the kind and subject, and bounds the excerpt', () => {
    expect(mapAuditLogAlert(auditAnomaly('a1', 'critical'))).toMatchObject({
      fingerprint: 'audit-log:unusual-export-volume:service-account:svc-reporting',
      level: 'critical',
      externalId: 'a1',
    });
    const { excerpt, excerptTruncated } = payloadExcerpt({ text: 'y'.repeat(10_000) });
    expect([excerpt.length, excerptTruncated]).toEqual([4000, true]);
  });
});

describe('signal rules', () => {
  it('opens incidents by default only for error-or-worse actionable signals', () => {
    const decide = (
      source: 'sentry' | 'audit-log',
      resource: string,
      level: 'info' | 'warning' | 'error' | 'critical' | 'fatal',
      actionable = true,
    ) => decideSignalAction({ source, resource, level, actionable }, defaultSignalRules).action;
    expect(decide('sentry', 'issue', 'fatal')).toBe('open-incident');
    expect(decide('sentry', 'issue', 'warning')).toBe('record');
    expect(decide('sentry', 'metric_alert', 'error')).toBe('record');
    expect(decide('sentry', 'metric_alert', 'critical')).toBe('open-incident');
    expect(decide('audit-log', 'bulk-data-access', 'error')).toBe('open-incident');
    expect(decide('sentry', 'issue', 'fatal', false)).toBe('record');
  });

  it('lets the first matching rule win, then the default', () => {
    const rules = {
      rules: [{ source: 'sentry' as const, minLevel: 'fatal' as const, action: 'open-incident' as const }, { action: 'attach' as const }],
      defaultAction: 'record' as const,
      attachWindowHours: 1,
    };
    expect(decideSignalAction({ source: 'sentry', resource: 'issue', level: 'fatal', actionable: true }, rules)).toEqual({
      action: 'open-incident',
      rule: 0,
    });
    expect(decideSignalAction({ source: 'sentry', resource: 'issue', level: 'error', actionable: true }, rules)).toEqual({
      action: 'attach',
      rule: 1,
    });
  });
});

describe('awareness and secrets', () => {
  const incident = {
    id: 'inc_1',
    occurredAt: '2026-03-09T00:00:00.000Z',
    discoveredAt: '2026-03-10T09:00:00.000Z',
    ...planAwarenessRequest({ id: 'sig_1', level: 'critical', detectedAt: '2026-03-10T08:00:00.000Z' }, now),
  } as unknown as Incident;

  it('gives critical-looking signals an SLA of hours', () => {
    expect(incident.awareness).toMatchObject({ status: 'pending', slaHours: 4, dueAt: '2026-03-10T14:00:00.000Z' });
  });

  it('sets discoveredAt only when aware, refuses the future, and decides once', () => {
    expect(
      planAwarenessDecision(incident, { aware: true, rationale: 'r', decidedAt: '2026-03-10T09:45:00+00:00' }, 'dpo', now).set,
    ).toMatchObject({ discoveredAt: '2026-03-10T09:45:00.000Z', discoveredAtSource: 'awareness-decision' });
    expect(planAwarenessDecision(incident, { aware: false, rationale: 'r' }, 'dpo', now).set).not.toHaveProperty('discoveredAt');
    expect(() => planAwarenessDecision(incident, { aware: true, rationale: 'r', decidedAt: '2026-03-11T00:00:00Z' }, 'dpo', now)).toThrow(
      InvalidError,
    );
    expect(() => planAwarenessDecision(incident, { aware: true, rationale: 'r', decidedAt: '2026-03-01T00:00:00Z' }, 'dpo', now)).toThrow(
      InvalidError,
    );
    const decided = { ...incident, awareness: { ...incident.awareness!, status: 'aware' as const } };
    expect(() => planAwarenessDecision(decided, { aware: true, rationale: 'r' }, 'dpo', now)).toThrow(ConflictError);
  });

  it('keeps a rotated secret valid only during its grace period', () => {
    const record = {
      source: 'audit-log' as const,
      current: { id: 'a', secret: 'old', createdAt: '' },
      previous: null,
      version: 1,
      createdAt: '',
      updatedAt: '',
    };
    const rotated = planSecretRotation(record, { id: 'b', secret: 'new', createdAt: '' }, 60, now);
    expect(validSecrets(rotated, new Date(now.getTime() + 59_000))).toEqual(['new', 'old']);
    expect(validSecrets(rotated, new Date(now.getTime() + 60_000))).toEqual(['new']);
    expect(planSecretRotation(record, { id: 'b', secret: 'new', createdAt: '' }, 0, now).previous).toBeNull();
  });
});
