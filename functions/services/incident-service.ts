import { appendAuditEntry, emptyChain, type Actor } from '../../domain/audit/chain';
import { compileResponseValidator } from '../../domain/intake-forms/response-validator';
import { resolveIncidentFacts } from '../../domain/incidents/rules';
import type { CreateIncidentInput, Incident } from '../../domain/incidents/schema';
import { ConflictError, InvalidError, NotFoundError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { newId } from '../../domain/shared/ids';
import type { Permission } from '../../domain/auth/permissions';
import type { Task } from '../../domain/tasks/schema';
import { DEFAULT_WORKFLOW } from '../../domain/workflow/default-workflow';
import { planStageTransition } from '../../domain/workflow/rules';
import type { WorkflowDefinition } from '../../domain/workflow/schema';
import { DuplicateCreation } from '../../infra/dynamo/incident-repository';
import { keys } from '../../infra/dynamo/keys';
import type { AppDeps } from '../api/app-deps';

const EVENT_DELIVERY_WAIT_MS = 2_000;

/** The task templates of a stage, instantiated when an incident enters it (ids unique per entry). */
function stageTasks(definition: WorkflowDefinition, incidentId: string, stageKey: string, now: Date, entry = 1): Task[] {
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

/**
 * The incident register's write operations, shared by the API routes, the public web forms and the
 * webhook intake: load, let the domain decide, persist with the audit entry and the event in one
 * transaction, then deliver the event.
 */
export function createIncidentService(deps: Pick<AppDeps, 'repos' | 'clock' | 'outbox'>) {
  const { incidents, forms, breachTypes } = deps.repos;

  /** Stored with the change; delivery is attempted now and retried by the outbox relay if it fails. */
  async function deliver(org: string, incidentId: string, event: OutgoingEvent) {
    const partition = keys.incidentPartition(org, incidentId);
    await Promise.race([deps.outbox.deliver(partition, [event]), new Promise((resolve) => setTimeout(resolve, EVENT_DELIVERY_WAIT_MS))]);
  }

  async function submit(org: string, input: CreateIncidentInput, actor: Actor, source: Incident['source'] = 'api', options: { idempotencyKeyHash?: string } = {}): Promise<Incident> {
    const keyHash = options.idempotencyKeyHash;
    const alreadyCreated = keyHash ? await deps.repos.idempotency.createdBy(org, keyHash) : undefined;
    if (alreadyCreated) return incidents.get(org, alreadyCreated);
    const now = deps.clock.now();
    const form = await forms.get(org, input.formId).catch((error) => {
      if (error instanceof NotFoundError) throw new InvalidError(`Intake form ${input.formId} not found`, [{ path: 'body.formId', message: 'no such form' }]);
      throw error;
    });
    if (form.publishedVersion === null) {
      throw new ConflictError(`Intake form ${form.id} has no published version; publish it before submitting incidents`, { formId: form.id });
    }
    const workflow = await deps.repos.workflows.get(org, DEFAULT_WORKFLOW.id);
    const [version, types, flow] = await Promise.all([
      forms.getVersion(org, form.id, form.publishedVersion),
      breachTypes.list(org),
      deps.repos.workflows.getVersion(org, workflow.id, workflow.currentVersion),
    ]);
    const initialStage = flow.definition.initialStage;
    const breachTypeIds = types.map((t) => t.id);
    const validated = compileResponseValidator(version.fields, { breachTypeIds })(input.responses);
    if (!validated.ok) throw new InvalidError('The responses do not satisfy the published form', validated.issues);
    const facts = resolveIncidentFacts(input, version.fields, validated.value, breachTypeIds, now);
    const at = now.toISOString();
    const id = newId('inc', now);
    const { entry, chain } = appendAuditEntry(emptyChain, {
      at: now,
      actor,
      action: 'incident.created',
      details: { formId: form.id, formVersion: version.number, stage: initialStage, source, discoveredAt: facts.discoveredAt, discoveredAtSource: facts.discoveredAtSource },
    });
    const incident: Incident = {
      id,
      formId: form.id,
      formVersion: version.number,
      breachTypeId: facts.breachTypeId,
      responses: validated.value,
      stage: initialStage,
      status: 'open',
      severity: null,
      source,
      workflow: { id: workflow.id, version: flow.number },
      reportedAt: facts.reportedAt,
      discoveredAt: facts.discoveredAt,
      discoveredAtSource: facts.discoveredAtSource,
      occurredAt: facts.occurredAt,
      createdBy: actor.id,
      version: 1,
      createdAt: at,
      updatedAt: at,
      audit: chain,
    };
    const event: OutgoingEvent = {
      id,
      name: 'breach/incident.created',
      data: { orgId: org, incidentId: id, formId: form.id, formVersion: version.number, discoveredAt: facts.discoveredAt, source },
      ts: now.getTime(),
    };
    try {
      const guard = keyHash ? deps.repos.idempotency.creationGuard(org, keyHash, id, now) : undefined;
      await incidents.create(org, incident, entry, event, stageTasks(flow.definition, id, initialStage, now), guard);
    } catch (error) {
      // A concurrent retry of the same request won the race: answer with the incident it created.
      if (error instanceof DuplicateCreation && keyHash) return incidents.get(org, (await deps.repos.idempotency.createdBy(org, keyHash))!);
      throw error;
    }
    await deliver(org, id, event);
    return incident;
  }

  async function transition(org: string, incident: Incident, targetStage: string, notes: string | undefined, actor: Actor, permissions: ReadonlySet<Permission>): Promise<Incident> {
    const [flow, tasks] = await Promise.all([deps.repos.workflows.getVersion(org, incident.workflow.id, incident.workflow.version), incidents.listTasks(org, incident.id)]);
    const plan = planStageTransition(incident, flow.definition, targetStage, { tasks, permissions });
    const now = deps.clock.now();
    const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor, action: 'incident.stage.changed', details: { from: plan.from, to: plan.to, notes } });
    const event: OutgoingEvent = {
      id: `${incident.id}-v${incident.version + 1}`,
      name: 'breach/incident.stage.changed',
      data: { orgId: org, incidentId: incident.id, from: plan.from, to: plan.to, version: incident.version + 1 },
      ts: now.getTime(),
    };
    const newTasks = stageTasks(flow.definition, incident.id, plan.to, now, incident.version + 1).map((t) => incidents.taskPut(org, t));
    await incidents.applyChange(org, incident, { set: { stage: plan.to, status: plan.status }, entry, audit: chain, now, event, extra: newTasks });
    await deliver(org, incident.id, event);
    return incidents.get(org, incident.id);
  }

  async function comment(org: string, incident: Incident, body: string, actor: Actor) {
    const now = deps.clock.now();
    const record = { id: newId('cmt', now), body, author: actor.id, createdAt: now.toISOString() };
    const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor, action: 'incident.commented', details: { commentId: record.id, body } });
    await incidents.applyChange(org, incident, { set: {}, entry, audit: chain, now, extra: [incidents.commentPut(org, incident.id, record)] });
    return record;
  }

  return { submit, transition, comment };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
