import { mergeReassessment } from '../../domain/obligations/rules';
import { notificationTasks } from '../../domain/tasks/notification-tasks';
import { type awarenessDecided, clockKeyOf, obligationClosed, obligationOpened, type reassessmentRequested } from '../events';
import { formatTriageEmail } from '../notices/triage-email';
import { assessIncident, triageRecord } from '../steps/assess-incident';
import { SYSTEM_ACTOR } from '../steps/automation';
import { orgSettingsFor } from '../steps/org-settings';
import { sendEmailOnce } from '../steps/send-email-once';
import type { WorkflowInput } from '../run-lazily';

/** The steps of `reassess-incident` (workflows/reassess-incident.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof reassessmentRequested, typeof awarenessDecided]>) {
  const { orgId, incidentId } = event.data;
  if (event.name === 'breach/incident.awareness.decided' && !event.data.aware) return { skipped: 'not a personal data breach' };
  const onceKey = `reassess:${event.id ?? `${event.name}:${event.ts}`}`;

  const outcome = await step.run('reassess-and-record', async () => {
    const assessment = await assessIncident(deps, orgId, await deps.repos.incidents.get(orgId, incidentId));
    const now = deps.clock.now().toISOString();
    const record = triageRecord(assessment, now);
    let clocks = {
      stop: [] as { obligationId: string; generation: number }[],
      start: [] as { obligationId: string; generation: number; dueAt: string }[],
    };
    const { aggregate } = await deps.repos.incidents.recordChange(
      orgId,
      incidentId,
      (latest) => {
        const merged = mergeReassessment(latest.obligations, assessment.obligations);
        clocks = { stop: merged.stop, start: merged.start };
        const taskIds = new Set(latest.tasks.map((t) => t.id));
        // Only what differs is written: a reassessment of a large incident stays as small as its effect.
        const stored = new Map(latest.obligations.map((o) => [o.id, JSON.stringify(o)]));
        const changed = merged.obligations.filter((o) => stored.get(o.id) !== JSON.stringify(o));
        const tasks = notificationTasks(incidentId, merged.added, now).filter((t) => !taskIds.has(t.id));
        return {
          action: 'incident.reassessed',
          details: {
            reason: event.name,
            discoveredAt: latest.incident.discoveredAt,
            severity: assessment.result.severity.level,
            clocksStopped: merged.stop.map((c) => c.obligationId),
            clocksStarted: merged.start.map((c) => ({ id: c.obligationId, dueAt: c.dueAt })),
          },
          set: record.set,
          children: [
            record.assessment,
            ...changed.map((value) => ({ kind: 'obligation' as const, value, mode: 'replace' as const })),
            ...tasks.map((value) => ({ kind: 'task' as const, value, mode: 'create' as const })),
          ],
        };
      },
      { actor: SYSTEM_ACTOR, onceKey },
    );
    return { ...clocks, awareAt: aggregate.incident.discoveredAt };
  });

  if (outcome.stop.length + outcome.start.length > 0) {
    await step.sendEvent('move-clocks', [
      ...outcome.stop.map((c) =>
        obligationClosed.create(
          {
            orgId,
            incidentId,
            obligationId: c.obligationId,
            clockKey: clockKeyOf(incidentId, c.obligationId, c.generation),
            status: 'superseded',
          },
          { id: `${incidentId}-${c.obligationId}-g${c.generation}-superseded` },
        ),
      ),
      ...outcome.start.map((c) =>
        obligationOpened.create(
          {
            orgId,
            incidentId,
            obligationId: c.obligationId,
            clockKey: clockKeyOf(incidentId, c.obligationId, c.generation),
            awareAt: outcome.awareAt,
            dueAt: c.dueAt,
          },
          { id: `${incidentId}-${c.obligationId}-g${c.generation}-opened` },
        ),
      ),
    ]);
  }

  await step.run('email-dpo', async () => {
    const settings = await orgSettingsFor(deps, orgId);
    const email = formatTriageEmail(await deps.repos.incidents.getAggregate(orgId, incidentId), deps.clock.now());
    return sendEmailOnce(
      deps,
      {
        orgId,
        incidentId,
        purpose: onceKey,
        to: settings.dpoEmail,
        subject: `Reassessed: ${email.subject}`,
        text: email.text,
      },
      settings,
    );
  });
  return outcome;
}
