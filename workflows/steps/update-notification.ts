import { appendAuditEntry } from '../../domain/audit/chain';
import type { Notification } from '../../domain/notifications/schema';
import { ConflictError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { keys } from '../../infra/dynamo/keys';
import type { TransactItem } from '../../infra/dynamo/transactions';
import type { Incident } from '../../domain/incidents/schema';
import type { WorkflowDeps } from '../workflow-deps';

const SYSTEM = { type: 'system' as const, id: 'workflow' };

/**
 * Changes a notification (and optionally its incident) once, audited on the incident's chain; like
 * recordIncidentChange, a lost race re-reads and a retried step finds its marker and does nothing.
 */
export async function updateNotificationOnce(
  deps: WorkflowDeps,
  orgId: string,
  notificationId: string,
  onceKey: string,
  decide: (notification: Notification, incident: Incident) => { next: Notification; incidentSet?: Record<string, unknown>; action: string; details: Record<string, unknown>; event?: OutgoingEvent } | undefined,
): Promise<Notification> {
  for (let attempt = 1; ; attempt++) {
    const notification = await deps.repos.notifications.get(orgId, notificationId);
    const incident = await deps.repos.incidents.get(orgId, notification.incidentId);
    const change = decide(notification, incident);
    if (!change) return notification;
    const now = deps.clock.now();
    const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor: SYSTEM, action: change.action, details: { notificationId, ...change.details } });
    const extra: TransactItem[] = [deps.repos.notifications.replaceItem(orgId, notification, change.next)];
    try {
      const applied = await deps.repos.incidents.applyChange(orgId, incident, { set: change.incidentSet ?? {}, entry, audit: chain, now, extra, event: change.event, onceKey });
      if (applied && change.event) await deps.outbox.deliver(keys.incidentPartition(orgId, incident.id), [change.event]).catch(() => false);
      return deps.repos.notifications.get(orgId, notificationId);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error;
    }
  }
}
