import { z } from 'zod';
import { InvalidError } from '../shared/errors';
import { clip, payloadExcerpt } from './rules';
import type { SignalDraft, SignalLevel } from './schema';

export const auditAnomalyKindSchema = z.enum(['unusual-export-volume', 'repeated-failed-access', 'bulk-data-access']);

const instant = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time with a time zone' });

/** The audit-log pipeline's alert, in the Standard Webhooks envelope `{type, timestamp, data}`. */
export const auditAnomalyAlertSchema = z.object({
  type: z.literal('audit.anomaly', { error: 'audit.anomaly' }),
  timestamp: instant,
  data: z.object({
    alertId: z.string().min(1).max(200),
    kind: auditAnomalyKindSchema,
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    title: z.string().min(1).max(300).optional(),
    description: z.string().max(5_000).optional(),
    subject: z.object({ type: z.string().min(1).max(60), id: z.string().min(1).max(200) }),
    /** Same fingerprint, same underlying problem: repeated alerts attach to one incident. */
    fingerprint: z.string().min(1).max(500).optional(),
    detectedAt: instant,
    metrics: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
    links: z
      .array(z.object({ label: z.string().max(100), url: z.url() }))
      .max(10)
      .optional(),
  }),
});

const levels: Record<string, SignalLevel> = { low: 'info', medium: 'warning', high: 'error', critical: 'critical' };

export function mapAuditLogAlert(payload: unknown): SignalDraft {
  const parsed = auditAnomalyAlertSchema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidError(
      'The audit-log alert is not in the expected shape',
      parsed.error.issues.map((issue) => ({ path: ['body', ...issue.path.map(String)].join('.'), message: issue.message })),
      true,
    );
  }
  const { data } = parsed.data;
  return {
    source: 'audit-log',
    resource: data.kind,
    externalId: data.alertId,
    fingerprint: data.fingerprint ?? `audit-log:${data.kind}:${data.subject.type}:${data.subject.id}`,
    title: clip(data.title ?? `${data.kind.replaceAll('-', ' ')} by ${data.subject.type} ${data.subject.id}`, 300),
    level: levels[data.severity]!,
    actionable: true,
    links: data.links ?? [],
    ...payloadExcerpt(data),
    detectedAt: new Date(data.detectedAt).toISOString(),
  };
}
