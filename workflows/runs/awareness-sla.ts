import type { awarenessRequested } from '../events';
import { SYSTEM_ACTOR } from '../steps/automation';
import { orgSettingsFor } from '../steps/org-settings';
import { sendEmailOnce } from '../steps/send-email-once';
import type { WorkflowInput } from '../run-lazily';

/** The steps of `awareness-sla` (workflows/awareness-sla.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof awarenessRequested]>) {
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
        sendEmailOnce(deps, { orgId, incidentId, purpose: 'awareness-overdue', to, subject, text }, settings),
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
}
