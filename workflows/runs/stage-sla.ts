import { computeSlaDueAt, slaForLevel } from '../../domain/severity/rules';
import { SLA_REMINDER_FRACTION, stageSlaPeriod } from '../../domain/workflow/stage-sla';
import { type incidentStageChanged, outgoing, slaBreached } from '../events';
import { SYSTEM_ACTOR } from '../steps/automation';
import { orgSettingsFor } from '../steps/org-settings';
import { sendEmailOnce } from '../steps/send-email-once';
import type { WorkflowInput } from '../run-lazily';

/** The steps of `stage-sla` (workflows/stage-sla.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof incidentStageChanged]>) {
  const { orgId, incidentId, to: stage, version } = event.data;
  const planned = await step.run('plan', async () => {
    const incident = await deps.repos.incidents.get(orgId, incidentId);
    const flow = await deps.repos.workflows.getVersion(orgId, incident.workflow.id, incident.workflow.version);
    const period = stageSlaPeriod(
      flow.definition.stages.find((s) => s.key === stage)?.sla ?? null,
      incident.severity ? slaForLevel(incident.severity.level) : undefined,
    );
    const workflow = incident.workflow;
    if (!period || period.unit === 'immediate') return { workflow, sla: null };
    const enteredAt = new Date(event.ts ?? deps.clock.now().getTime());
    const dueAt = computeSlaDueAt(period, enteredAt);
    const reminderAt = new Date(enteredAt.getTime() + (dueAt.getTime() - enteredAt.getTime()) * SLA_REMINDER_FRACTION);
    return { workflow, sla: { dueAt: dueAt.toISOString(), reminderAt: reminderAt.toISOString(), label: period.label } };
  });
  await step.run('notify-on-enter', async () => {
    const flow = await deps.repos.workflows.getVersion(orgId, planned.workflow.id, planned.workflow.version);
    const notices = flow.definition.stages.find((s) => s.key === stage)?.notifyOnEnter ?? [];
    if (notices.length === 0) return [];
    const settings = await orgSettingsFor(deps, orgId);
    const recipients = { dpo: settings.dpoEmail, escalation: settings.escalationEmail } as Record<string, string>;
    return Promise.all(
      notices.map((notice, i) =>
        sendEmailOnce(
          deps,
          {
            orgId,
            incidentId,
            purpose: `stage-enter:${stage}:${version}:${i}`,
            to: recipients[notice.to] ?? notice.to,
            subject: `${notice.subject} — breach ${incidentId}`,
            text: `Breach ${incidentId} entered ${stage}.`,
          },
          settings,
        ),
      ),
    );
  });
  const plan = planned.sla;
  if (!plan) return { sla: 'none' };

  const stillInStage = async () => {
    const incident = await deps.repos.incidents.get(orgId, incidentId);
    return incident.stage === stage ? incident : undefined;
  };

  await step.sleepUntil('wait-reminder', plan.reminderAt);
  await step.run('remind', async () => {
    const settings = await orgSettingsFor(deps, orgId);
    if (!(await stillInStage())) return { skipped: 'left the stage' };
    return sendEmailOnce(
      deps,
      {
        orgId,
        incidentId,
        purpose: `sla-reminder:${stage}:${version}`,
        to: settings.dpoEmail,
        subject: `SLA reminder: ${stage} of breach ${incidentId} is due ${plan.dueAt}`,
        text: `Breach ${incidentId} entered ${stage}; its SLA (${plan.label}) falls due at ${plan.dueAt}.`,
      },
      settings,
    );
  });

  await step.sleepUntil('wait-due', plan.dueAt);
  return step.run('escalate', async () => {
    const settings = await orgSettingsFor(deps, orgId);
    if (!(await stillInStage())) return { skipped: 'left the stage' };
    const outcome = await sendEmailOnce(
      deps,
      {
        orgId,
        incidentId,
        purpose: `sla-breach:${stage}:${version}`,
        to: settings.escalationEmail,
        subject: `[SLA BREACHED] ${stage} of breach ${incidentId} passed its SLA`,
        text: `Breach ${incidentId} has been in ${stage} past its SLA (${plan.label}, due ${plan.dueAt}). It is escalated to you as the DP lead.`,
      },
      settings,
    );
    await deps.repos.incidents.recordChange(
      orgId,
      incidentId,
      () => ({
        action: 'incident.sla.breached',
        details: { stage, dueAt: plan.dueAt, escalatedTo: settings.escalationEmail, email: outcome.status },
        events: [
          outgoing(
            slaBreached,
            { orgId, incidentId, stage, dueAt: plan.dueAt },
            { id: `${incidentId}-sla-${stage}-${version}`, ts: deps.clock.now().getTime() },
          ),
        ],
      }),
      { actor: SYSTEM_ACTOR, onceKey: `sla-breach:${stage}:${version}`, read: 'summary' },
    );
    return outcome;
  });
}
