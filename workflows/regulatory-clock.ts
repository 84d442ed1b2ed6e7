import { reminderTimes } from '../domain/obligations/rules';
import type { TrackedObligation } from '../domain/obligations/schema';
import { obligationOpened } from './events';
import { recordIncidentChange } from './steps/record-incident-change';
import { orgSettingsFor } from './steps/org-settings';
import { sendEmailOnce } from './steps/send-email-once';
import type { WorkflowClient } from './workflow-client';

/** Open, and still on this clock: a reassessment that moved the deadline started a newer generation. */
const stillOpen = (obligations: TrackedObligation[] | undefined, id: string, generation: number) =>
  obligations?.find((o) => o.id === id && o.status === 'open' && (o.clockGeneration ?? 1) === generation);

/**
 * One run per obligation with a fixed deadline: reminders through the window (a 72-hour clock reminds at
 * 24 h, 48 h, 60 h and 70 h after awareness) and an overdue escalation at the deadline. Filing or a
 * recorded decision not to notify sends `breach/obligation.closed`, which cancels the run.
 */
export function createRegulatoryClock(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'regulatory-clock',
      triggers: [obligationOpened],
      cancelOn: [{ event: 'breach/obligation.closed', match: 'data.clockKey' }],
      retries: 5,
    },
    async ({ event, step, deps }) => {
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
          const incident = await deps.repos.incidents.get(orgId, incidentId);
          const obligation = stillOpen(incident.obligations, obligationId, generation);
          if (!obligation) return { skipped: 'obligation closed' };
          const hoursLeft = Math.max(0, Math.round((Date.parse(dueAt) - deps.clock.now().getTime()) / 3_600_000));
          const settings = await orgSettingsFor(deps, orgId);
          const outcome = await sendEmailOnce(deps, {
            orgId,
            incidentId,
            purpose: `reminder:${obligationId}:${reminder.index}`,
            to: settings.dpoEmail,
            subject: `Reminder ${reminder.index}: ${hoursLeft} h left to notify ${obligation.recipientName} — breach ${incidentId}`,
            text: `${obligation.recipientName} (${obligation.regimeName}, ${obligation.jurisdiction}) must be notified by ${dueAt} (${obligation.legalReference}).\nRecord the filing (POST /v1/breach-incidents/${incidentId}/obligations/${obligationId}/filings) or a documented decision not to notify.`,
          });
          await recordIncidentChange(deps, orgId, incidentId, `reminder:${obligationId}:${reminder.index}`, () => ({
            set: {},
            action: 'obligation.reminder.sent',
            details: { obligationId, reminder: reminder.index, dueAt, email: outcome.status },
          }));
          return outcome;
        });
      }

      await step.sleepUntil('wait-deadline', dueAt);
      return step.run('overdue', async () => {
        const settings = await orgSettingsFor(deps, orgId);
        const incident = await deps.repos.incidents.get(orgId, incidentId);
        if (!stillOpen(incident.obligations, obligationId, generation)) return { skipped: 'obligation closed' };
        const now = deps.clock.now().toISOString();
        const { applied, incident: updated } = await recordIncidentChange(deps, orgId, incidentId, `overdue:${obligationId}`, (current) => {
          const obligation = stillOpen(current.obligations, obligationId, generation);
          if (!obligation) return undefined;
          return {
            set: { obligations: current.obligations!.map((o) => (o.id === obligationId ? { ...o, overdueAt: now } : o)) },
            action: 'obligation.overdue',
            details: { obligationId, dueAt, escalatedTo: settings.escalationEmail },
            event: { id: `${incidentId}-${obligationId}-overdue`, name: 'breach/obligation.overdue', data: { orgId, incidentId, obligationId, dueAt }, ts: Date.parse(now) },
          };
        });
        const obligation = updated.obligations?.find((o) => o.id === obligationId);
        const text = `The deadline to notify ${obligation?.recipientName} (${obligation?.regimeName}) passed at ${dueAt} without a filing.\nA late filing must give the reasons for the delay (e.g. GDPR Art. 33(1)).`;
        const sent = await Promise.all(
          [settings.escalationEmail, settings.dpoEmail].map((to) =>
            sendEmailOnce(deps, { orgId, incidentId, purpose: `overdue:${obligationId}`, to, subject: `[OVERDUE] Notification deadline missed — breach ${incidentId}`, text }),
          ),
        );
        return { applied, emails: sent.map((s) => s.status) };
      });
    },
  );
}
