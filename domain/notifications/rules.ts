import type { IncidentChange } from '../incidents/changes';
import type { Incident, IncidentAggregate } from '../incidents/schema';
import type { TrackedObligation } from '../obligations/schema';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { Notification } from './schema';

/** What the register already knows, in the shape the notice templates read; the caller's facts win. */
export function incidentFacts(incident: Incident, obligation: TrackedObligation | undefined): Record<string, unknown> {
  const answer = (key: string) => incident.responses[key];
  const categories = answer('data_categories');
  return {
    reference: incident.id,
    breach: {
      occurredAt: incident.occurredAt ?? undefined,
      awareAt: incident.discoveredAt,
      description: typeof answer('description') === 'string' ? answer('description') : undefined,
    },
    dataCategories: Array.isArray(categories) ? categories : undefined,
    approximateDataSubjects: typeof answer('estimated_affected') === 'number' ? answer('estimated_affected') : undefined,
    ...(obligation
      ? { authority: { name: obligation.recipientName }, regulation: obligation.regimeName, legalReference: obligation.legalReference }
      : {}),
  };
}

/** Deep merge where the caller's facts override the register's. */
export function mergeFacts(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? mergeFacts(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** A notice with facts still missing is never sent; approving it is refused with the list. */
export function approveNotification(notification: Notification, by: string, now: Date): Notification {
  if (notification.status !== 'draft') throw new ConflictError(`Notification ${notification.id} is already ${notification.status}`);
  if (notification.missing.length > 0) {
    throw new ConflictError(
      `Notification ${notification.id} lacks facts: ${notification.missing.join(', ')}; recreate it with them before approving`,
      {
        missing: notification.missing,
      },
    );
  }
  return { ...notification, status: 'approved', approvedAt: now.toISOString(), approvedBy: by, version: notification.version + 1 };
}

export function acknowledgeNotification(
  notification: Notification,
  ack: { reference: string; acknowledgedAt: string; note?: string },
  by: string,
): Notification {
  if (notification.status === 'draft' || notification.status === 'approved')
    throw new ConflictError(`Notification ${notification.id} has not been sent yet`);
  if (notification.acknowledgement) throw new ConflictError(`Notification ${notification.id} was already acknowledged`);
  return { ...notification, status: 'acknowledged', acknowledgement: { ...ack, recordedBy: by }, version: notification.version + 1 };
}

/** A change decided for one notification of an incident: its next state, the audit line, and whatever else goes with it. */
export type NotificationChangeDecision = Omit<IncidentChange, 'children'> & { next: Notification; children?: IncidentChange['children'] };

/** The incident change that replaces one notification with what `decide` makes of it (nothing when it decides nothing). */
export function notificationChange(
  aggregate: IncidentAggregate,
  notificationId: string,
  decide: (current: Notification, aggregate: IncidentAggregate) => NotificationChangeDecision | undefined,
): IncidentChange | undefined {
  const current = aggregate.notifications.find((n) => n.id === notificationId);
  if (!current) throw new NotFoundError(`Notification ${notificationId} not found on incident ${aggregate.incident.id}`);
  const decided = decide(current, aggregate);
  if (!decided) return undefined;
  const { next, children = [], details, ...rest } = decided;
  return {
    ...rest,
    details: { notificationId, ...details },
    children: [{ kind: 'notification', mode: 'replace', value: next }, ...children],
  };
}
