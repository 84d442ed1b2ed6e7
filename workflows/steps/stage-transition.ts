import type { Permission } from '../../domain/auth/permissions';
import type { IncidentChange } from '../../domain/incidents/changes';
import type { IncidentAggregate, Incident } from '../../domain/incidents/schema';
import { ConflictError } from '../../domain/shared/errors';
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

/**
 * A change with the automated move to `targetStage` folded in, when the incident is in the workflow's initial stage and
 * the transition rule allows the move once the change is applied: the summary and its indexes are written once for
 * both, and each keeps its audit entry. `moved: false` leaves the move to a change of its own (which reports why not).
 */
export function withStageMove(
  current: IncidentAggregate,
  change: IncidentChange,
  definition: WorkflowDefinition,
  targetStage: string,
  context: { orgId: string; notes?: string; permissions: ReadonlySet<Permission>; now: Date },
): { change: IncidentChange; moved: boolean } {
  if (current.incident.stage !== definition.initialStage) return { change, moved: false };
  const written = (change.children ?? []).flatMap((c) => (c.kind === 'task' ? [c.value] : []));
  const after: IncidentAggregate = {
    ...current,
    incident: { ...current.incident, ...change.set } as Incident,
    tasks: [...current.tasks.filter((t) => !written.some((w) => w.id === t.id)), ...written],
  };
  let move: IncidentChange;
  try {
    move = stageTransitionChange(after, definition, targetStage, context);
  } catch (error) {
    if (error instanceof ConflictError) return { change, moved: false };
    throw error;
  }
  return {
    moved: true,
    change: {
      ...change,
      set: { ...change.set, ...move.set },
      children: [...(change.children ?? []), ...(move.children ?? [])],
      events: [...(change.events ?? []), ...(move.events ?? [])],
      alsoRecords: [...(change.alsoRecords ?? []), { action: move.action, details: move.details }],
    },
  };
}
