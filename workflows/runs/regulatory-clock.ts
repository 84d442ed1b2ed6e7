import { reminderTimes } from '../../domain/obligations/rules';
import type { TrackedObligation } from '../../domain/obligations/schema';
import { obligationDueSoon, type obligationOpened, obligationOverdue, outgoing } from '../events';
import { SYSTEM_ACTOR } from '../steps/automation';
import { orgSettingsFor } from '../steps/org-settings';
import { sendEmailOnce } from '../steps/send-email-once';
import type { WorkflowInput } from '../run-lazily';

/** Open, and still on this clock: a reassessment that moved the deadline started a newer generation. */
const stillOpen = (obligation: TrackedObligation | undefined, generation: number) =>
  obligation?.status === 'open' && (obligation.clockGeneration ?? 1) === generation ? obligation : undefined;

/** The steps of `regulatory-clock` (workflows/regulatory-clock.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof obligationOpened]>) {
  const { orgId, incidentId, obligationId, awareAt, dueAt, clockKey } = event.data;
  const generation = Number(clockKey.split(':').at(-1)) || 1;
  const plan = await step.run('plan', async () => {
    const now = deps.clock.now().getTime();
    const { reminderFractions } = await orgSettingsFor(deps, orgId);
    // Reminders already in the past when the clock starts (a late report) are not sent in a burst.
    return reminderTimes(new Date(awareAt), new Date(dueAt), reminderFractions)
      .map((at, index) => ({ at: at.toISOString(), index: index + 1 }))
      .filter((r) => Date.parse(r.at) > now);
  });

  for (const reminder of plan) {
    await step.sleepUntil(`wait-reminder-${reminder.index}`, reminder.at);
    await step.run(`remind-${reminder.index}`, async () => {
      const obligation = stillOpen(await deps.repos.incidents.findObligation(orgId, incidentId, obligationId), generation);
      if (!obligation) return { skipped: 'obligation closed' };
      const hoursLeft = Math.max(0, Math.round((Date.parse(dueAt) - deps.clock.now().getTime()) / 3_600_000));
      const settings = await orgSettingsFor(deps, orgId);
      const outcome = await sendEmailOnce(
        deps,
        {
          orgId,
          incidentId,
          purpose: `reminder:${obligationId}:${reminder.index}`,
          to: settings.dpoEmail,
          subject: `Reminder ${reminder.index}: ${hoursLeft} h left to notify ${obligation.recipientName} — breach ${incidentId}`,
          text: `${obligation.recipientName} (${obligation.regimeName}, ${obligation.jurisdiction}) must be notified by ${dueAt} (${obligation.legalReference}).\nRecord the filing (POST /v1/breach-incidents/${incidentId}/obligations/${obligationId}/filings) or a documented decision not to notify.`,
        },
        settings,
      );
      await deps.repos.incidents.recordChange(
        orgId,
        incidentId,
        () => ({
          action: 'obligation.reminder.sent',
          details: { obligationId, reminder: reminder.index, dueAt, email: outcome.status },
          events: [
            outgoing(
              obligationDueSoon,
              { orgId, incidentId, obligationId, dueAt, reminder: reminder.index },
              { id: `${clockKey}-reminder-${reminder.index}`, ts: deps.clock.now().getTime() },
            ),
          ],
        }),
        { actor: SYSTEM_ACTOR, onceKey: `reminder:${obligationId}:${reminder.index}`, read: 'summary' },
      );
      return outcome;
    });
  }

  await step.sleepUntil('wait-deadline', dueAt);
  return step.run('overdue', async () => {
    const settings = await orgSettingsFor(deps, orgId);
    if (!stillOpen(await deps.repos.incidents.findObligation(orgId, incidentId, obligationId), generation))
      return { skipped: 'obligation closed' };
    const now = deps.clock.now();
    const { applied, aggregate } = await deps.repos.incidents.recordChange(
      orgId,
      incidentId,
      (current) => {
        const obligation = stillOpen(
          current.obligations.find((o) => o.id === obligationId),
          generation,
        );
        if (!obligation) return undefined;
        return {
          action: 'obligation.overdue',
          details: { obligationId, dueAt, escalatedTo: settings.escalationEmail },
          children: [{ kind: 'obligation', value: { ...obligation, overdueAt: now.toISOString() }, mode: 'replace' }],
          events: [
            outgoing(
              obligationOverdue,
              { orgId, incidentId, obligationId, dueAt },
              { id: `${incidentId}-${obligationId}-overdue`, ts: now.getTime() },
            ),
          ],
        };
      },
      { actor: SYSTEM_ACTOR, onceKey: `overdue:${obligationId}` },
    );
    const obligation = aggregate.obligations.find((o) => o.id === obligationId);
    const text = `The deadline to notify ${obligation?.recipientName} (${obligation?.regimeName}) passed at ${dueAt} without a filing.\nA late filing must give the reasons for the delay (e.g. GDPR Art. 33(1)).`;
    const sent = await Promise.all(
      [settings.escalationEmail, settings.dpoEmail].map((to) =>
        sendEmailOnce(
          deps,
          {
            orgId,
            incidentId,
            purpose: `overdue:${obligationId}`,
            to,
            subject: `[OVERDUE] Notification deadline missed — breach ${incidentId}`,
            text,
          },
          settings,
        ),
      ),
    );
    return { applied, emails: sent.map((s) => s.status) };
  });
}
