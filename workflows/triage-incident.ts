import { notificationTasks } from '../domain/tasks/notification-tasks';
import { assessIncident, triageRecord } from './steps/assess-incident';
import { clockKeyOf, incidentCreated } from './events';
import { formatTriageEmail } from './notices/triage-email';
import { recordIncidentChange } from './steps/record-incident-change';
import { orgSettingsFor } from './steps/org-settings';
import { sendEmailOnce } from './steps/send-email-once';
import type { WorkflowClient } from './workflow-client';

/**
 * The runbook's automation hook, extended. On `breach/incident.created`:
 * 1. assess the incident (severity, risk, every obligation and deadline) and put it on the record with a
 *    notification task per obligation;
 * 2. email the DPO the summary and every deadline;
 * 3. a Critical incident is escalated to the DP lead at once;
 * 4. move REPORTED → TRIAGE;
 * 5. announce `breach/incident.triaged` and start a regulatory clock per fixed deadline.
 */
export function createTriageIncident(client: WorkflowClient) {
  return client.createFunction({ id: 'triage-incident', triggers: [incidentCreated], retries: 5 }, async ({ event, step, deps }) => {
    const { orgId, incidentId } = event.data;

    const triage = await step.run('assess-and-record', async () => {
      const existing = await deps.repos.incidents.get(orgId, incidentId);
      const assessment = await assessIncident(deps, orgId, existing);
      const { result, obligations } = assessment;
      const now = deps.clock.now().toISOString();
      const tasks = notificationTasks(incidentId, obligations, now);
      const { incident } = await recordIncidentChange(deps, orgId, incidentId, 'triage', (current) =>
        current.triage
          ? undefined
          : {
              set: {
                severity: { level: result.severity.level, score: result.severity.score },
                triage: triageRecord(assessment, now),
                obligations,
              },
              action: 'incident.triaged',
              details: {
                severity: result.severity.level,
                score: result.severity.score,
                riskLevel: result.riskLevel.level,
                obligations: obligations.map((o) => ({ id: o.id, recipient: o.recipient, jurisdiction: o.jurisdiction, dueAt: o.dueAt })),
              },
              extra: tasks.map((t) => deps.repos.incidents.taskPut(orgId, t)),
            },
      );
      return {
        severity: incident.severity!.level,
        riskLevel: incident.triage!.riskLevel,
        awareAt: incident.discoveredAt,
        clocks: (incident.obligations ?? []).filter((o) => o.dueAt && o.status === 'open').map((o) => ({ obligationId: o.id, dueAt: o.dueAt! })),
        obligationCount: incident.obligations?.length ?? 0,
      };
    });

    await step.run('email-dpo', async () => {
      const settings = await orgSettingsFor(deps, orgId);
      const incident = await deps.repos.incidents.get(orgId, incidentId);
      const email = formatTriageEmail(incident, deps.clock.now());
      return sendEmailOnce(deps, { orgId, incidentId, purpose: 'triage:dpo', to: settings.dpoEmail, ...email });
    });

    if (triage.severity === 'critical') {
      await step.run('escalate-critical', async () => {
        const settings = await orgSettingsFor(deps, orgId);
        const incident = await deps.repos.incidents.get(orgId, incidentId);
        const outcome = await sendEmailOnce(deps, {
          orgId,
          incidentId,
          purpose: 'escalation:critical',
          to: settings.escalationEmail,
          subject: `[CRITICAL] Breach ${incidentId} escalated to the DP lead`,
          text: `A Critical breach was triaged; the seed's escalation SLA for Critical incidents is immediate.\n\n${formatTriageEmail(incident, deps.clock.now()).text}`,
        });
        await recordIncidentChange(deps, orgId, incidentId, 'escalation:critical', () => ({
          set: {},
          action: 'incident.escalated',
          details: { reason: 'critical severity: immediate escalation to the DP lead', to: settings.escalationEmail, email: outcome.status },
        }));
        return outcome;
      });
    }

    await step.run('move-to-triage', async () => {
      const { applied } = await recordIncidentChange(deps, orgId, incidentId, 'triage:stage', (incident) =>
        incident.stage !== 'REPORTED'
          ? undefined
          : {
              set: { stage: 'TRIAGE' },
              action: 'incident.stage.changed',
              details: { from: 'REPORTED', to: 'TRIAGE', notes: 'Automated triage complete' },
              event: {
                id: `${incidentId}-v${incident.version + 1}`,
                name: 'breach/incident.stage.changed',
                data: { orgId, incidentId, from: 'REPORTED', to: 'TRIAGE', version: incident.version + 1 },
                ts: deps.clock.now().getTime(),
              },
            },
      );
      return { moved: applied };
    });

    await step.sendEvent('announce', [
      { id: `${incidentId}-triaged`, name: 'breach/incident.triaged', data: { orgId, incidentId, severity: triage.severity, riskLevel: triage.riskLevel, obligations: triage.obligationCount } },
      ...triage.clocks.map((clock) => ({
        id: `${incidentId}-${clock.obligationId}-opened`,
        name: 'breach/obligation.opened' as const,
        data: { orgId, incidentId, obligationId: clock.obligationId, clockKey: clockKeyOf(incidentId, clock.obligationId, 1), awareAt: triage.awareAt, dueAt: clock.dueAt },
      })),
    ]);
    return triage;
  });
}
