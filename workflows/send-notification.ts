import { clockKeyOf, notificationApproved } from './events';
import { orgSettingsFor } from './steps/org-settings';
import { sendEmailOnce } from './steps/send-email-once';
import { updateNotificationOnce } from './steps/update-notification';
import type { WorkflowClient } from './workflow-client';

const ACKNOWLEDGEMENT_WAIT = '7d';

/**
 * Fan-out of an approved notification: one step per recipient (a retried step never emails a recipient
 * twice), each delivery recorded with its SES message id; the linked obligation is marked filed, which
 * stops its clock; then wait for the acknowledgement and chase the DPO if none arrives.
 */
export function createSendNotification(client: WorkflowClient) {
  return client.createFunction({ id: 'send-notification', triggers: [notificationApproved], retries: 5 }, async ({ event, step, deps }) => {
    const { orgId, notificationId } = event.data;
    const recipients = await step.run('load-recipients', async () => (await deps.repos.notifications.get(orgId, notificationId)).recipients.map((r) => r.email));

    for (const [index, email] of recipients.entries()) {
      await step.run(`send-${index + 1}`, async () => {
        const notification = await deps.repos.notifications.get(orgId, notificationId);
        const outcome = await sendEmailOnce(deps, { orgId, incidentId: notification.incidentId, purpose: `notification:${notificationId}`, to: email, subject: notification.subject, text: notification.body });
        await updateNotificationOnce(deps, orgId, notificationId, `delivery:${notificationId}:${email}`, (current) =>
          current.deliveries.some((d) => d.email === email)
            ? undefined
            : {
                next: {
                  ...current,
                  deliveries: [...current.deliveries, { email, status: outcome.status === 'in-doubt' ? 'in-doubt' : 'sent', messageId: outcome.status === 'sent' ? outcome.messageId : null, at: deps.clock.now().toISOString() }],
                  version: current.version + 1,
                },
                action: 'notification.delivered',
                details: { email, status: outcome.status, messageId: outcome.status === 'sent' ? outcome.messageId : null },
              },
        );
        return outcome;
      });
    }

    await step.run('mark-sent', async () => {
      const now = deps.clock.now().toISOString();
      await updateNotificationOnce(deps, orgId, notificationId, `sent:${notificationId}`, (current, incident) => {
        if (current.status !== 'approved') return undefined;
        const obligation = current.obligationId ? incident.obligations?.find((o) => o.id === current.obligationId && o.status === 'open') : undefined;
        const late = Boolean(obligation?.dueAt && Date.parse(now) > Date.parse(obligation.dueAt));
        return {
          next: { ...current, status: 'sent', sentAt: now, version: current.version + 1 },
          incidentSet: obligation
            ? {
                obligations: incident.obligations!.map((o) =>
                  o === obligation ? { ...o, status: 'filed', filings: [...o.filings, { phase: 'initial', filedAt: now, reference: notificationId, recordedBy: 'workflow', late }] } : o,
                ),
              }
            : undefined,
          action: 'notification.sent',
          details: { recipients: current.recipients.length, obligationId: obligation?.id ?? null },
          event: obligation
            ? {
                id: `${incident.id}-${obligation.id}-closed`,
                name: 'breach/obligation.closed',
                data: { orgId, incidentId: incident.id, obligationId: obligation.id, clockKey: clockKeyOf(incident.id, obligation.id, obligation.clockGeneration), status: 'filed' },
                ts: Date.parse(now),
              }
            : undefined,
        };
      });
    });

    const acknowledgement = await step.waitForEvent('wait-acknowledgement', { event: 'breach/notification.acknowledged', match: 'data.notificationId', timeout: ACKNOWLEDGEMENT_WAIT });
    if (acknowledgement) return { acknowledged: true };

    return step.run('chase', async () => {
      const settings = await orgSettingsFor(deps, orgId);
      const notification = await deps.repos.notifications.get(orgId, notificationId);
      if (notification.acknowledgement) return { acknowledged: true };
      const outcome = await sendEmailOnce(deps, {
        orgId,
        incidentId: notification.incidentId,
        purpose: `chase:${notificationId}`,
        to: settings.dpoEmail,
        subject: `No acknowledgement yet: "${notification.subject}" (breach ${notification.incidentId})`,
        text: `Notification ${notificationId} was sent at ${notification.sentAt} to ${notification.recipients.map((r) => r.email).join(', ')} and has not been acknowledged. Follow up and record the acknowledgement (POST /v1/notifications/${notificationId}/acknowledgements).`,
      });
      await updateNotificationOnce(deps, orgId, notificationId, `chase:${notificationId}`, (current) => ({
        next: { ...current, chasedAt: deps.clock.now().toISOString(), version: current.version + 1 },
        action: 'notification.chased',
        details: { email: outcome.status },
      }));
      return { acknowledged: false, chased: outcome.status };
    });
  });
}
