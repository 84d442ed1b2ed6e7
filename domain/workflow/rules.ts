import type { Permission } from '../auth/permissions';
import type { Incident } from '../incidents/schema';
import { ConflictError, InvalidError, type FieldIssue } from '../shared/errors';
import type { Task } from '../tasks/schema';
import type { WorkflowDefinition } from './schema';

/** The rules a definition must obey as a whole; zod has already checked each part's shape. */
export function validateWorkflowDefinition(definition: WorkflowDefinition): void {
  const issues: FieldIssue[] = [];
  const keys = new Map<string, number>();
  definition.stages.forEach((stage, i) => {
    if (keys.has(stage.key)) issues.push({ path: `body.stages.${i}.key`, message: `stage ${stage.key} is defined twice` });
    keys.set(stage.key, i);
    const taskKeys = new Set<string>();
    stage.tasks.forEach((task, j) => {
      if (taskKeys.has(task.key))
        issues.push({ path: `body.stages.${i}.tasks.${j}.key`, message: `task ${task.key} is defined twice in ${stage.key}` });
      taskKeys.add(task.key);
    });
  });
  if (!keys.has(definition.initialStage)) issues.push({ path: 'body.initialStage', message: 'not one of the stages' });
  const seen = new Set<string>();
  definition.transitions.forEach((t, i) => {
    if (!keys.has(t.from)) issues.push({ path: `body.transitions.${i}.from`, message: `unknown stage ${t.from}` });
    if (!keys.has(t.to)) issues.push({ path: `body.transitions.${i}.to`, message: `unknown stage ${t.to}` });
    if (t.from === t.to) issues.push({ path: `body.transitions.${i}.to`, message: 'a transition must change the stage' });
    if (seen.has(`${t.from}>${t.to}`)) issues.push({ path: `body.transitions.${i}`, message: `${t.from} → ${t.to} is listed twice` });
    seen.add(`${t.from}>${t.to}`);
    const from = definition.stages[keys.get(t.from) ?? -1];
    if (from?.final) issues.push({ path: `body.transitions.${i}.from`, message: `${t.from} is final; nothing leaves it` });
  });
  if (!definition.stages.some((s) => s.final)) issues.push({ path: 'body.stages', message: 'at least one stage must be final' });
  if (issues.length > 0) throw new InvalidError('The workflow definition is not valid', issues);
}

/**
 * A transition must be listed from the current stage and its guards must hold: the current stage's
 * required tasks done, its approval tasks approved, the caller's permission. The 409 names what is missing.
 */
export function planStageTransition(
  incident: Incident,
  definition: WorkflowDefinition,
  targetStage: string,
  context: { tasks: Task[]; permissions: ReadonlySet<Permission> },
) {
  const rules = definition.transitions.filter((t) => t.from === incident.stage);
  const rule = rules.find((t) => t.to === targetStage);
  if (!rule) {
    const allowed = rules.map((t) => t.to);
    throw new ConflictError(
      allowed.length === 0
        ? `Incident ${incident.id} is ${incident.stage}, a final stage; it cannot move to ${targetStage}`
        : `Incident ${incident.id} cannot move from ${incident.stage} to ${targetStage}; allowed: ${allowed.join(', ')}`,
      { currentStage: incident.stage, allowedTargets: allowed },
    );
  }
  const stageTasks = context.tasks.filter((t) => t.stage === incident.stage);
  const missing: string[] = [];
  if (rule.guards.requiredTasksComplete) {
    for (const t of stageTasks.filter((t) => t.required && t.status === 'open'))
      missing.push(`task "${t.title}" (${t.id}) is not complete`);
  }
  if (rule.guards.approvalsGiven) {
    for (const t of stageTasks.filter((t) => t.approval && t.status !== 'approved'))
      missing.push(`approval "${t.title}" (${t.id}) is ${t.status === 'rejected' ? 'rejected' : 'not given'}`);
  }
  if (rule.guards.permission && !context.permissions.has(rule.guards.permission)) missing.push(`the permission ${rule.guards.permission}`);
  if (missing.length > 0) {
    throw new ConflictError(`Moving ${incident.id} from ${incident.stage} to ${targetStage} needs: ${missing.join('; ')}`, { missing });
  }
  const target = definition.stages.find((s) => s.key === targetStage)!;
  return { from: incident.stage, to: targetStage, status: target.final ? ('closed' as const) : ('open' as const), stage: target };
}

/** The task templates of a stage, instantiated when an incident enters it; `entry` keeps ids unique across re-entries. */
export function tasksForStage(definition: WorkflowDefinition, incidentId: string, stageKey: string, now: Date, entry: number): Task[] {
  const stage = definition.stages.find((s) => s.key === stageKey);
  return (stage?.tasks ?? []).map((template) => ({
    id: `task_${stageKey.toLowerCase()}_${template.key}_${entry}`,
    incidentId,
    purpose: 'general',
    title: template.title,
    stage: stageKey,
    assignee: template.assignee,
    required: template.required,
    approval: template.approval,
    status: 'open',
    dueAt: null,
    createdAt: now.toISOString(),
    version: 1,
  }));
}
