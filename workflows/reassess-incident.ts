import { mergeReassessment } from '../domain/obligations/rules';
import { notificationTasks } from '../domain/tasks/notification-tasks';
import { awarenessDecided, clockKeyOf, reassessmentRequested } from './events';
import { formatTriageEmail } from './notices/triage-email';
import { assessIncident, triageRecord } from './steps/assess-incident';
import { recordIncidentChange } from './steps/record-incident-change';
import { orgSettingsFor } from './steps/org-settings';
import { sendEmailOnce } from './steps/send-email-once';
import type { WorkflowClient } from './workflow-client';

/**
 * When the facts change — responders supplied categories or per-jurisdiction counts, or a signal-opened
 * incident's awareness was decided (which moves `discoveredAt`, where the legal clocks start) — assess again,
 * keep what is already filed or decided, move open deadlines and restart their clocks, and tell the DPO.
 */
export function createReassessIncident(client: WorkflowClient) {
  return client.createFunction({ id: 'reassess-incident', triggers: [reassessmentRequested, awarenessDecided], retries: 5 }, async ({ event, step, deps }) => {
    const { orgId, incidentId } = event.data;
    if (event.name === 'breach/incident.awareness.decided' && !event.data.aware) return { skipped: 'not a personal data breach' };
    const onceKey = `reassess:${event.id ?? `${event.name}:${event.ts}`}`;

    const outcome = await step.run('reassess-and-record', async () => {
      const current = await deps.repos.incidents.get(orgId, incidentId);
      const assessment = await assessIncident(deps, orgId, current);
      const now = deps.clock.now().toISOString();
      let clocks = { stop: [] as { obligationId: string; generation: number }[], start: [] as { obligationId: string; generation: number; dueAt: string }[] };
      const { incident } = await recordIncidentChange(deps, orgId, incidentId, onceKey, (latest) => {
        const merged = mergeReassessment(latest.obligations ?? [], assessment.obligations);
        clocks = { stop: merged.stop, start: merged.start };
        return {
          set: {
            severity: { level: assessment.result.severity.level, score: assessment.result.severity.score },
            triage: triageRecord(assessment, now),
            obligations: merged.obligations,
          },
          action: 'incident.reassessed',
          details: {
            reason: event.name,
            discoveredAt: latest.discoveredAt,
            severity: assessment.result.severity.level,
            clocksStopped: merged.stop.map((c) => c.obligationId),
            clocksStarted: merged.start.map((c) => ({ id: c.obligationId, dueAt: c.dueAt })),
          },
          extra: notificationTasks(incidentId, merged.added, now).map((t) => deps.repos.incidents.taskPut(orgId, t)),
        };
      });
      return { ...clocks, awareAt: incident.discoveredAt };
    });

    if (outcome.stop.length + outcome.start.length > 0) {
      await step.sendEvent('move-clocks', [
        ...outcome.stop.map((c) => ({
          id: `${incidentId}-${c.obligationId}-g${c.generation}-superseded`,
          name: 'breach/obligation.closed' as const,
          data: { orgId, incidentId, obligationId: c.obligationId, clockKey: clockKeyOf(incidentId, c.obligationId, c.generation), status: 'superseded' },
        })),
        ...outcome.start.map((c) => ({
          id: `${incidentId}-${c.obligationId}-g${c.generation}-opened`,
          name: 'breach/obligation.opened' as const,
          data: { orgId, incidentId, obligationId: c.obligationId, clockKey: clockKeyOf(incidentId, c.obligationId, c.generation), awareAt: outcome.awareAt, dueAt: c.dueAt },
        })),
      ]);
    }

    await step.run('email-dpo', async () => {
      const settings = await orgSettingsFor(deps, orgId);
      const incident = await deps.repos.incidents.get(orgId, incidentId);
      const email = formatTriageEmail(incident, deps.clock.now());
      return sendEmailOnce(deps, { orgId, incidentId, purpose: onceKey, to: settings.dpoEmail, subject: `Reassessed: ${email.subject}`, text: email.text });
    });
    return outcome;
  });
}
