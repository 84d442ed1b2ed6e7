import type { Actor } from '../../domain/audit/chain';
import { renderNotice, selectTemplate } from '../../domain/notice-templates';
import {
  acknowledgeNotification,
  approveNotification,
  incidentFacts,
  mergeFacts,
  notificationChange,
  type NotificationChangeDecision,
} from '../../domain/notifications/rules';
import { recordResponse } from '../../domain/notifications/responses';
import type { Notification, NotificationResponse, ResponseInput } from '../../domain/notifications/schema';
import type { Recipient } from '../../domain/regulations/schema';
import { InvalidError, NotFoundError } from '../../domain/shared/errors';
import { newId } from '../../domain/shared/ids';
import { notificationAcknowledged, notificationApproved, notificationResponded, outgoing, taskOpened } from '../../workflows/events';
import type { AppDeps } from '../api/app-deps';

/** Drafting, approving and acknowledging notifications; sending is the `send-notification` workflow's job. */
export function createNotificationService(deps: Pick<AppDeps, 'repos' | 'clock'>) {
  const { incidents, notifications } = deps.repos;

  /** Changes one notification on the latest record of its incident: `decide` returns its next state and the audit line. */
  async function change(
    org: string,
    notificationId: string,
    actor: Actor,
    decide: (current: Notification, now: Date) => NotificationChangeDecision,
  ) {
    const { incidentId } = await notifications.get(org, notificationId);
    let next: Notification | undefined;
    await incidents.recordChange(
      org,
      incidentId,
      (aggregate) =>
        notificationChange(aggregate, notificationId, (current) => {
          const decided = decide(current, deps.clock.now());
          next = decided.next;
          return decided;
        }),
      { actor },
    );
    return next!;
  }

  return {
    async draft(
      org: string,
      incidentId: string,
      input: { obligationId?: string; templateId?: string; recipients: { email: string; name?: string }[]; facts: Record<string, unknown> },
      actor: Actor,
    ) {
      const { incident, obligations } = await incidents.getAggregate(org, incidentId);
      const obligation = input.obligationId ? obligations.find((o) => o.id === input.obligationId) : undefined;
      if (input.obligationId && !obligation)
        throw new InvalidError(`Incident ${incident.id} has no obligation ${input.obligationId}`, [
          { path: 'body.obligationId', message: 'not an obligation of this incident' },
        ]);
      const templateId = input.templateId ?? (obligation && selectTemplate(obligation.regimeId, obligation.recipient as Recipient)?.id);
      if (!templateId)
        throw new InvalidError('No template applies; give a templateId', [
          { path: 'body.templateId', message: 'required when no template matches the obligation' },
        ]);
      const rendered = (() => {
        try {
          return renderNotice(templateId, mergeFacts(incidentFacts(incident, obligation), input.facts));
        } catch (error) {
          if (error instanceof NotFoundError)
            throw new InvalidError(error.message, [{ path: 'body.templateId', message: 'no such template' }]);
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
      await incidents.recordChange(
        org,
        incident.id,
        () => ({
          action: 'notification.drafted',
          details: {
            notificationId: notification.id,
            templateId: notification.templateId,
            recipients: input.recipients.map((r) => r.email),
            missing: rendered.missing,
          },
          children: [{ kind: 'notification', mode: 'create', value: notification }],
        }),
        { actor, read: 'summary' },
      );
      return notification;
    },
    approve(org: string, notificationId: string, actor: Actor) {
      return change(org, notificationId, actor, (current, now) => ({
        next: approveNotification(current, actor.id, now),
        action: 'notification.approved',
        details: { notificationId },
        events: [
          outgoing(
            notificationApproved,
            { orgId: org, incidentId: current.incidentId, notificationId },
            { id: `${notificationId}-approved`, ts: now.getTime() },
          ),
        ],
      }));
    },
    /** A reply received: on the notification, the audit chain and the timeline; a request for information opens a task. */
    async respond(org: string, notificationId: string, input: ResponseInput, actor: Actor) {
      let recorded: NotificationResponse | undefined;
      const responseId = newId('rsp', deps.clock.now());
      const next = await change(org, notificationId, actor, (current, now) => {
        const recipientName = current.recipients[0]?.name ?? current.recipients[0]?.email ?? 'the recipient';
        const { next, response, task } = recordResponse(current, input, { id: responseId, by: actor.id, now, recipientName });
        recorded = response;
        const ids = { orgId: org, incidentId: current.incidentId };
        return {
          next,
          action: 'notification.response.recorded',
          details: {
            responseId,
            kind: response.kind,
            reference: response.reference ?? null,
            dueAt: response.dueAt ?? null,
            taskId: response.taskId ?? null,
          },
          children: task ? [{ kind: 'task', mode: 'create', value: task }] : [],
          events: [
            outgoing(
              notificationResponded,
              { ...ids, notificationId, responseId, kind: response.kind },
              { id: `${responseId}-recorded`, ts: now.getTime() },
            ),
            ...(task
              ? [outgoing(taskOpened, { ...ids, taskId: task.id, dueAt: task.dueAt! }, { id: `${task.id}-opened`, ts: now.getTime() })]
              : []),
          ],
        };
      });
      return { notification: next, response: recorded! };
    },
    acknowledge(org: string, notificationId: string, input: { reference: string; acknowledgedAt?: string; note?: string }, actor: Actor) {
      return change(org, notificationId, actor, (current, now) => {
        const acknowledgedAt = input.acknowledgedAt ? new Date(input.acknowledgedAt).toISOString() : now.toISOString();
        return {
          next: acknowledgeNotification(current, { reference: input.reference, acknowledgedAt, note: input.note }, actor.id),
          action: 'notification.acknowledged',
          details: { notificationId, reference: input.reference, acknowledgedAt },
          events: [
            outgoing(
              notificationAcknowledged,
              { orgId: org, incidentId: current.incidentId, notificationId, reference: input.reference },
              { id: `${notificationId}-acknowledged`, ts: now.getTime() },
            ),
          ],
        };
      });
    },
  };
}
