import { appendAuditEntry, type Actor } from '../../domain/audit/chain';
import type { Incident } from '../../domain/incidents/schema';
import { renderNotice, selectTemplate } from '../../domain/notice-templates';
import { acknowledgeNotification, approveNotification, incidentFacts, mergeFacts } from '../../domain/notifications/rules';
import type { Notification } from '../../domain/notifications/schema';
import type { Recipient } from '../../domain/regulations/schema';
import { InvalidError, NotFoundError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { newId } from '../../domain/shared/ids';
import { keys } from '../../infra/dynamo/keys';
import type { TransactItem } from '../../infra/dynamo/transactions';
import type { AppDeps } from '../api/app-deps';

/** Drafting, approving and acknowledging notifications; sending is the `send-notification` workflow's job. */
export function createNotificationService(deps: Pick<AppDeps, 'repos' | 'clock' | 'outbox'>) {
  const { incidents, notifications } = deps.repos;

  async function commit(org: string, incident: Incident, action: string, details: Record<string, unknown>, actor: Actor, extra: TransactItem[], event?: OutgoingEvent) {
    const now = deps.clock.now();
    const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor, action, details });
    await incidents.applyChange(org, incident, { set: {}, entry, audit: chain, now, extra, event });
    if (event) await deps.outbox.deliver(keys.incidentPartition(org, incident.id), [event]).catch(() => false);
  }

  return {
    async draft(org: string, incident: Incident, input: { obligationId?: string; templateId?: string; recipients: { email: string; name?: string }[]; facts: Record<string, unknown> }, actor: Actor) {
      const obligation = input.obligationId ? incident.obligations?.find((o) => o.id === input.obligationId) : undefined;
      if (input.obligationId && !obligation) throw new InvalidError(`Incident ${incident.id} has no obligation ${input.obligationId}`, [{ path: 'body.obligationId', message: 'not an obligation of this incident' }]);
      const templateId = input.templateId ?? (obligation && selectTemplate(obligation.regimeId, obligation.recipient as Recipient)?.id);
      if (!templateId) throw new InvalidError('No template applies; give a templateId', [{ path: 'body.templateId', message: 'required when no template matches the obligation' }]);
      const rendered = (() => {
        try {
          return renderNotice(templateId, mergeFacts(incidentFacts(incident, obligation), input.facts));
        } catch (error) {
          if (error instanceof NotFoundError) throw new InvalidError(error.message, [{ path: 'body.templateId', message: 'no such template' }]);
          throw error;
        }
      })();
      const now = deps.clock.now().toISOString();
      const notification: Notification = {
        id: newId('ntf', deps.clock.now()),
        incidentId: incident.id,
        obligationId: obligation?.id ?? null,
        templateId: rendered.templateId,
        subject: rendered.subject,
        body: rendered.body,
        missing: rendered.missing,
        recipients: input.recipients,
        status: 'draft',
        deliveries: [],
        acknowledgement: null,
        createdAt: now,
        createdBy: actor.id,
        approvedAt: null,
        approvedBy: null,
        sentAt: null,
        chasedAt: null,
        version: 1,
      };
      await commit(org, incident, 'notification.drafted', { notificationId: notification.id, templateId: notification.templateId, recipients: input.recipients.map((r) => r.email), missing: rendered.missing }, actor, notifications.createItems(org, notification));
      return notification;
    },
    async approve(org: string, notificationId: string, actor: Actor) {
      const current = await notifications.get(org, notificationId);
      const incident = await incidents.get(org, current.incidentId);
      const next = approveNotification(current, actor.id, deps.clock.now());
      await commit(org, incident, 'notification.approved', { notificationId }, actor, [notifications.replaceItem(org, current, next)], {
        id: `${notificationId}-approved`,
        name: 'breach/notification.approved',
        data: { orgId: org, incidentId: incident.id, notificationId },
        ts: deps.clock.now().getTime(),
      });
      return next;
    },
    async acknowledge(org: string, notificationId: string, input: { reference: string; acknowledgedAt?: string; note?: string }, actor: Actor) {
      const current = await notifications.get(org, notificationId);
      const incident = await incidents.get(org, current.incidentId);
      const acknowledgedAt = input.acknowledgedAt ? new Date(input.acknowledgedAt).toISOString() : deps.clock.now().toISOString();
      const next = acknowledgeNotification(current, { reference: input.reference, acknowledgedAt, note: input.note }, actor.id);
      await commit(org, incident, 'notification.acknowledged', { notificationId, reference: input.reference, acknowledgedAt }, actor, [notifications.replaceItem(org, current, next)], {
        id: `${notificationId}-acknowledged`,
        name: 'breach/notification.acknowledged',
        data: { orgId: org, incidentId: incident.id, notificationId, reference: input.reference },
        ts: deps.clock.now().getTime(),
      });
      return next;
    },
  };
}
