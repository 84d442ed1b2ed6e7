import { awarenessRequested } from './events';
import { recordAutomationFailure, SYSTEM_ACTOR } from './steps/automation';
import { orgSettingsFor } from './steps/org-settings';
import { sendEmailOnce } from './steps/send-email-once';
import type { WorkflowClient } from './workflow-client';

/**
 * Detection is not awareness, but the decision cannot wait: a signal-opened incident whose awareness decision
 * is still pending at its SLA (hours, by the signal's level) is escalated to the DPO and the DP lead. The
 * decision cancels the run.
 */
export function createAwarenessSla(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'awareness-sla',
      triggers: [awarenessRequested],
      cancelOn: [{ event: 'breach/incident.awareness.decided', match: 'data.incidentId' }],
      retries: 5,
      onFailure: async ({ event, error, deps }) => recordAutomationFailure(deps, 'awareness-sla', { event, error }),
    },
    async ({ event, step, deps }) => {
      const { orgId, incidentId, dueAt, slaHours } = event.data;
      await step.sleepUntil('wait-decision-due', dueAt);
      return step.run('escalate-undecided', async () => {
        const incident = await deps.repos.incidents.get(orgId, incidentId);
        if (incident.awareness?.status !== 'pending') return { skipped: 'decided' };
        const settings = await orgSettingsFor(deps, orgId);
        const subject = `[AWARENESS OVERDUE] No awareness decision on breach ${incidentId} after ${slaHours} h`;
        const text = `A ${event.data.level} signal opened breach ${incidentId}; whether the organisation is aware of a personal data breach was due by ${dueAt} and is still undecided. Regulatory clocks (e.g. GDPR 72 hours) run from awareness: record the decision (POST /v1/breach-incidents/${incidentId}/awareness).`;
        const sent = await Promise.all(
          [settings.dpoEmail, settings.escalationEmail].map((to) =>
            sendEmailOnce(deps, { orgId, incidentId, purpose: 'awareness-overdue', to, subject, text }),
          ),
        );
        await deps.repos.incidents.recordChange(
          orgId,
          incidentId,
          () => ({ action: 'incident.awareness.overdue', details: { dueAt, escalatedTo: [settings.dpoEmail, settings.escalationEmail] } }),
          { actor: SYSTEM_ACTOR, onceKey: 'awareness-overdue', read: 'summary' },
        );
        return { escalated: sent.map((s) => s.status) };
      });
    },
  );
}
