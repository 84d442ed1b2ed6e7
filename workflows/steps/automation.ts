import type { WorkflowDeps } from '../workflow-deps';
import { automationFailed, outgoing } from '../events';
import { orgSettingsFor } from './org-settings';
import { sendEmailOnce } from './send-email-once';
import { SYSTEM_ACTOR } from './system-actor';

export { SYSTEM_ACTOR, SYSTEM_PERMISSIONS } from './system-actor';

/** What an `onFailure` handler receives of the failed run. */
interface FailedRun {
  event: { data: { event: { data?: Record<string, unknown> }; run_id?: string } };
  error: { message: string; name?: string };
}

/**
 * A workflow that owns a legal clock failed for good: the incident is flagged (`automation.status: failed`, with the
 * reason), the audit trail says so, and the DPO and the DP lead are told that a person must take over.
 */
export async function recordAutomationFailure(deps: WorkflowDeps, functionId: string, failed: FailedRun) {
  const { orgId, incidentId } = (failed.event.data.event.data ?? {}) as { orgId?: string; incidentId?: string };
  if (typeof orgId !== 'string' || typeof incidentId !== 'string') return { skipped: 'no incident in the event' };
  const runId = failed.event.data.run_id ?? 'unknown-run';
  const reason = `${failed.error.name ?? 'Error'}: ${failed.error.message}`.slice(0, 1_000);
  const now = deps.clock.now();
  await deps.repos.incidents.recordChange(
    orgId,
    incidentId,
    () => ({
      action: 'incident.automation.failed',
      details: { functionId, runId, reason },
      set: { automation: { status: 'failed', functionId, reason, failedAt: now.toISOString() } },
      events: [
        outgoing(
          automationFailed,
          { orgId, incidentId, functionId },
          { id: `${incidentId}-${functionId}-${runId}-failed`, ts: now.getTime() },
        ),
      ],
    }),
    { actor: SYSTEM_ACTOR, onceKey: `automation-failed:${functionId}:${runId}`, read: 'summary' },
  );
  const settings = await orgSettingsFor(deps, orgId);
  const subject = `[ACTION NEEDED] Automation failed on breach ${incidentId}: manual ${functionId === 'triage-incident' ? 'triage' : 'tracking'} needed`;
  const text = [
    `The ${functionId} workflow of breach ${incidentId} failed and will not retry:`,
    reason,
    '',
    functionId === 'triage-incident'
      ? 'The incident was not triaged automatically: no obligation, deadline or notification task was recorded by the system. Assess it by hand now — regulatory clocks (e.g. GDPR 72 hours) are running from awareness.'
      : 'A reminder, deadline or SLA of this incident is no longer watched by the system. Check its obligations and stage by hand.',
    `The incident is flagged (automation: failed) in the register: GET /v1/breach-incidents/${incidentId}.`,
  ].join('\n');
  const sent = await Promise.all(
    [settings.dpoEmail, settings.escalationEmail].map((to) =>
      sendEmailOnce(deps, { orgId, incidentId, purpose: `automation-failed:${functionId}:${runId}`, to, subject, text }, settings),
    ),
  );
  return { flagged: true, emails: sent.map((s) => s.status) };
}
