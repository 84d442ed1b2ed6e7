import type { Permission } from '../../domain/auth/permissions';
import type { IncidentChange } from '../../domain/incidents/changes';
import type { IncidentAggregate } from '../../domain/incidents/schema';
import { planStageTransition, tasksForStage } from '../../domain/workflow/rules';
import type { WorkflowDefinition } from '../../domain/workflow/schema';
import { incidentStageChanged, outgoing } from '../events';

/**
 * The change that moves an incident to another stage: the workflow's transition rule (guards), the target stage's
 * tasks, and the event that starts its SLA and notify-on-enter. Manual and automated moves both use it.
 */
export function stageTransitionChange(
  current: IncidentAggregate,
  definition: WorkflowDefinition,
  targetStage: string,
  context: { orgId: string; notes?: string; permissions: ReadonlySet<Permission>; now: Date },
): IncidentChange {
  const { incident } = current;
  const plan = planStageTransition(incident, definition, targetStage, { tasks: current.tasks, permissions: context.permissions });
  const version = incident.version + 1;
  return {
    action: 'incident.stage.changed',
    details: { from: plan.from, to: plan.to, notes: context.notes },
    set: { stage: plan.to, status: plan.status },
    children: tasksForStage(definition, incident.id, plan.to, context.now, version).map((value) => ({
      kind: 'task',
      value,
      mode: 'create',
    })),
    events: [
      outgoing(
        incidentStageChanged,
        { orgId: context.orgId, incidentId: incident.id, from: plan.from, to: plan.to, version },
        { id: `${incident.id}-v${version}`, ts: context.now.getTime() },
      ),
    ],
  };
}
