import { notificationTasks } from '../../domain/tasks/notification-tasks';
import { assessIncident, triagedChange, triageRecord } from '../steps/assess-incident';
import { incidentFacts } from '../../domain/notifications/rules';
import { stakeholderNotices } from '../../domain/stakeholders/rules';
import { clockKeyOf, type incidentCreated, incidentTriaged, obligationOpened, outgoing, taskOpened } from '../events';
import { formatTriageEmail } from '../notices/triage-email';
import { SYSTEM_ACTOR, SYSTEM_PERMISSIONS } from '../steps/automation';
import { orgSettingsFor } from '../steps/org-settings';
import { sendEmailOnce } from '../steps/send-email-once';
import { stageTransitionChange, withStageMove } from '../steps/stage-transition';
import type { WorkflowInput } from '../run-lazily';

const TRIAGE_STAGE = 'TRIAGE';

/** The steps of `triage-incident` (workflows/triage-incident.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof incidentCreated]>) {
  const { orgId, incidentId } = event.data;
  const { incidents } = deps.repos;

  const triage = await step.run('assess-and-record', async () => {
    // One read serves the assessment and the change's first attempt.
    const [read, settings] = await Promise.all([incidents.getAggregate(orgId, incidentId), orgSettingsFor(deps, orgId)]);
    const { incident } = read;
    const assessment = await assessIncident(deps, orgId, incident, settings);
    const { result, obligations } = assessment;
    const clock = deps.clock.now();
    const now = clock.toISOString();
    const tasks = notificationTasks(incidentId, obligations, now);
    const record = triageRecord(assessment, now);
    const nextDueAt = obligations.flatMap((o) => (o.dueAt ? [o.dueAt] : [])).sort()[0];
    const briefings = stakeholderNotices(settings.stakeholders, {
      incidentId,
      severity: result.severity.level,
      riskLevel: result.riskLevel.level,
      escalationSla: result.severity.sla?.escalationToDpLead,
      facts: {
        ...incidentFacts(incident, undefined),
        obligations: { total: obligations.length, nextDueAt },
        dpo: { email: settings.dpoEmail },
      },
      now: clock,
    });
    const flow = await deps.repos.workflows.getVersion(orgId, incident.workflow.id, incident.workflow.version);
    const { aggregate } = await incidents.recordChange(
      orgId,
      incidentId,
      (current) => {
        if (current.incident.triage) return undefined;
        const triaged = triagedChange(assessment, record, [...tasks, ...briefings.tasks], {
          notifications: briefings.notifications,
          // Each stakeholder's task runs on its own clock: reminded, and escalated when still open at its due time.
          events: briefings.tasks.map((t) =>
            outgoing(
              taskOpened,
              { orgId, incidentId, taskId: t.id, dueAt: t.dueAt! },
              { id: `${incidentId}-${t.id}-opened`, ts: clock.getTime() },
            ),
          ),
        });
        // The move to TRIAGE rides on the same write: the summary and its indexes are written once, not twice.
        return withStageMove(current, triaged, flow.definition, TRIAGE_STAGE, {
          orgId,
          notes: 'Automated triage complete',
          permissions: SYSTEM_PERMISSIONS,
          now: clock,
        }).change;
      },
      // The decision reads `triage`, which the change sets: a repeat decides nothing, so one transaction needs no marker.
      { actor: SYSTEM_ACTOR, onceKey: 'triage', onceBy: 'decide', current: read },
    );
    return {
      movedToTriage: aggregate.incident.stage !== flow.definition.initialStage,
      severity: aggregate.incident.severity!.level,
      riskLevel: aggregate.incident.triage!.riskLevel,
      awareAt: aggregate.incident.discoveredAt,
      clocks: aggregate.obligations.filter((o) => o.dueAt && o.status === 'open').map((o) => ({ obligationId: o.id, dueAt: o.dueAt! })),
      obligationCount: aggregate.obligations.length,
      workflow: aggregate.incident.workflow,
    };
  });

  await step.run('email-dpo', async () => {
    const settings = await orgSettingsFor(deps, orgId);
    const email = formatTriageEmail(await incidents.getAggregate(orgId, incidentId), deps.clock.now());
    return sendEmailOnce(deps, { orgId, incidentId, purpose: 'triage:dpo', to: settings.dpoEmail, ...email }, settings);
  });

  if (triage.severity === 'critical') {
    await step.run('escalate-critical', async () => {
      const settings = await orgSettingsFor(deps, orgId);
      const read = await incidents.getAggregate(orgId, incidentId);
      const email = formatTriageEmail(read, deps.clock.now());
      const outcome = await sendEmailOnce(
        deps,
        {
          orgId,
          incidentId,
          purpose: 'escalation:critical',
          to: settings.escalationEmail,
          subject: `[CRITICAL] Breach ${incidentId} escalated to the DP lead`,
          text: `A Critical breach was triaged; the seed's escalation SLA for Critical incidents is immediate.\n\n${email.text}`,
        },
        settings,
      );
      await incidents.recordChange(
        orgId,
        incidentId,
        () => ({
          action: 'incident.escalated',
          details: {
            reason: 'critical severity: immediate escalation to the DP lead',
            to: settings.escalationEmail,
            email: outcome.status,
          },
        }),
        { actor: SYSTEM_ACTOR, onceKey: 'escalation:critical', read: 'summary', current: read },
      );
      return outcome;
    });
  }

  // Runs whose first step did not move the incident (it started before the move rode on triage, or a guard held it).
  if (!triage.movedToTriage)
    await step.run('move-to-triage', async () => {
      // Runs started before the first step returned the workflow read it from the incident.
      const workflow = triage.workflow ?? (await incidents.get(orgId, incidentId)).workflow;
      const flow = await deps.repos.workflows.getVersion(orgId, workflow.id, workflow.version);
      const allowed = flow.definition.transitions.some((t) => t.from === flow.definition.initialStage && t.to === TRIAGE_STAGE);
      if (!allowed) return { moved: false, reason: `the workflow has no ${flow.definition.initialStage} → ${TRIAGE_STAGE} transition` };
      const { applied } = await incidents.recordChange(
        orgId,
        incidentId,
        (current) =>
          current.incident.stage !== flow.definition.initialStage
            ? undefined
            : stageTransitionChange(current, flow.definition, TRIAGE_STAGE, {
                orgId,
                notes: 'Automated triage complete',
                permissions: SYSTEM_PERMISSIONS,
                now: deps.clock.now(),
              }),
        { actor: SYSTEM_ACTOR, onceKey: 'triage:stage' },
      );
      return { moved: applied };
    });

  await step.sendEvent('announce', [
    incidentTriaged.create(
      { orgId, incidentId, severity: triage.severity, riskLevel: triage.riskLevel, obligations: triage.obligationCount },
      { id: `${incidentId}-triaged` },
    ),
    ...triage.clocks.map((clock) =>
      obligationOpened.create(
        {
          orgId,
          incidentId,
          obligationId: clock.obligationId,
          clockKey: clockKeyOf(incidentId, clock.obligationId, 1),
          awareAt: triage.awareAt,
          dueAt: clock.dueAt,
        },
        { id: `${incidentId}-${clock.obligationId}-opened` },
      ),
    ),
  ]);
  return triage;
}
