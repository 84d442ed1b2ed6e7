import { notificationChange } from '../../domain/notifications/rules';
import { clockKeyOf, type notificationApproved, obligationClosed, outgoing } from '../events';
import { orgSettingsFor } from '../steps/org-settings';
import { sendEmailOnce } from '../steps/send-email-once';
import { SYSTEM_ACTOR } from '../steps/system-actor';
import { emailStalledNotice, mailRetryDelayMs, recordStalledNotice, sendUnlessMailDown } from '../send-notification-outage';
import type { WorkflowDeps } from '../workflow-deps';
import type { WorkflowInput } from '../run-lazily';

const ACKNOWLEDGEMENT_WAIT = '7d';

/** The steps of `send-notification` (workflows/send-notification.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof notificationApproved]>) {
  const { orgId, notificationId } = event.data;
  // Step outputs are kept in the engine's run history: the count of recipients, never their addresses.
  const recipientCount = await step.run(
    'load-recipients',
    async () => (await deps.repos.notifications.get(orgId, notificationId)).recipients.length,
  );

  for (let index = 0; index < recipientCount; index++) {
    // A mail outage is waited out with sleeps (each try its own step); past the organisation's limit the DP lead is told.
    const target = { orgId, notificationId, index };
    let outage: { since: string; stalled: boolean; emailed: boolean } | undefined;
    for (let attempt = 1; ; attempt++) {
      const delayed = outage && { delayedSince: outage.since, failedTries: attempt - 1 };
      const tried = await step.run(attempt === 1 ? `send-${index + 1}` : `send-${index + 1}-try-${attempt}`, () =>
        sendUnlessMailDown(deps, orgId, async () => {
          const notification = await deps.repos.notifications.get(orgId, notificationId);
          const { email } = notification.recipients[index]!;
          const outcome = await sendEmailOnce(deps, {
            orgId,
            incidentId: notification.incidentId,
            purpose: `notification:${notificationId}`,
            to: email,
            subject: notification.subject,
            text: notification.body,
          });
          await changeNotification(
            deps,
            orgId,
            notification.incidentId,
            notificationId,
            `delivery:${notificationId}:${email}`,
            (current) =>
              current.deliveries.some((d) => d.email === email)
                ? undefined
                : {
                    next: {
                      ...current,
                      deliveries: [
                        ...current.deliveries,
                        {
                          email,
                          status: outcome.status === 'in-doubt' ? 'in-doubt' : 'sent',
                          messageId: outcome.status === 'sent' ? outcome.messageId : null,
                          at: deps.clock.now().toISOString(),
                        },
                      ],
                      version: current.version + 1,
                    },
                    action: 'notification.delivered',
                    details: {
                      email,
                      status: outcome.status,
                      messageId: outcome.status === 'sent' ? outcome.messageId : null,
                      ...(delayed && {
                        ...delayed,
                        delaySeconds: Math.round((deps.clock.now().getTime() - Date.parse(delayed.delayedSince)) / 1000),
                      }),
                    },
                  },
          );
          return outcome;
        }),
      );
      if (tried.status !== 'mail-unavailable') break;
      outage ??= { since: tried.at, stalled: false, emailed: false };
      const alertAt = Date.parse(outage.since) + tried.alertAfterMinutes * 60_000;
      if (!outage.stalled && Date.parse(tried.at) >= alertAt) {
        const { emailed } = await step.run(`notice-stalled-${index + 1}`, () =>
          recordStalledNotice(deps, { ...target, since: outage!.since, reason: tried.reason }),
        );
        outage = { ...outage, stalled: true, emailed };
      }
      const untilAlert = outage.stalled ? Number.POSITIVE_INFINITY : alertAt - Date.parse(tried.at);
      await step.sleep(`mail-wait-${index + 1}-${attempt}`, Math.max(1000, Math.min(mailRetryDelayMs(attempt), untilAlert)));
    }
    if (outage?.stalled && !outage.emailed)
      await step.run(`notice-stalled-${index + 1}-email`, () => emailStalledNotice(deps, { ...target, since: outage!.since }));
  }

  await step.run('mark-sent', async () => {
    const now = deps.clock.now();
    const { incidentId } = await deps.repos.notifications.get(orgId, notificationId);
    await changeNotification(deps, orgId, incidentId, notificationId, `sent:${notificationId}`, (current, aggregate) => {
      if (current.status !== 'approved') return undefined;
      const obligation = current.obligationId
        ? aggregate.obligations.find((o) => o.id === current.obligationId && o.status === 'open')
        : undefined;
      const late = Boolean(obligation?.dueAt && now.getTime() > Date.parse(obligation.dueAt));
      return {
        next: { ...current, status: 'sent', sentAt: now.toISOString(), version: current.version + 1 },
        children: obligation
          ? [
              {
                kind: 'obligation',
                mode: 'replace',
                value: {
                  ...obligation,
                  status: 'filed',
                  filings: [
                    ...obligation.filings,
                    { phase: 'initial', filedAt: now.toISOString(), reference: notificationId, recordedBy: 'workflow', late },
                  ],
                },
              },
            ]
          : [],
        action: 'notification.sent',
        details: { recipients: current.recipients.length, obligationId: obligation?.id ?? null },
        events: obligation
          ? [
              outgoing(
                obligationClosed,
                {
                  orgId,
                  incidentId,
                  obligationId: obligation.id,
                  clockKey: clockKeyOf(incidentId, obligation.id, obligation.clockGeneration),
                  status: 'filed',
                },
                { id: `${incidentId}-${obligation.id}-closed`, ts: now.getTime() },
              ),
            ]
          : [],
      };
    });
  });

  const acknowledgement = await step.waitForEvent('wait-acknowledgement', {
    event: 'breach/notification.acknowledged',
    match: 'data.notificationId',
    timeout: ACKNOWLEDGEMENT_WAIT,
  });
  if (acknowledgement) return { acknowledged: true };

  return step.run('chase', async () => {
    const settings = await orgSettingsFor(deps, orgId);
    const notification = await deps.repos.notifications.get(orgId, notificationId);
    if (notification.acknowledgement) return { acknowledged: true };
    const outcome = await sendEmailOnce(
      deps,
      {
        orgId,
        incidentId: notification.incidentId,
        purpose: `chase:${notificationId}`,
        to: settings.dpoEmail,
        subject: `No acknowledgement yet: "${notification.subject}" (breach ${notification.incidentId})`,
        text: `Notification ${notificationId} was sent at ${notification.sentAt} to ${notification.recipients.map((r) => r.email).join(', ')} and has not been acknowledged. Follow up and record the acknowledgement (POST /v1/notifications/${notificationId}/acknowledgements).`,
      },
      settings,
    );
    await changeNotification(deps, orgId, notification.incidentId, notificationId, `chase:${notificationId}`, (current) => ({
      next: { ...current, chasedAt: deps.clock.now().toISOString(), version: current.version + 1 },
      action: 'notification.chased',
      details: { email: outcome.status },
    }));
    return { acknowledged: false, chased: outcome.status };
  });
}

/** A change of one notification (and of whatever else `decide` adds), audited on its incident's chain, applied once. */
function changeNotification(
  deps: WorkflowDeps,
  orgId: string,
  incidentId: string,
  notificationId: string,
  onceKey: string,
  decide: Parameters<typeof notificationChange>[2],
) {
  return deps.repos.incidents.recordChange(orgId, incidentId, (aggregate) => notificationChange(aggregate, notificationId, decide), {
    actor: SYSTEM_ACTOR,
    onceKey,
  });
}
