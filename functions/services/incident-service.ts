import type { Actor } from '../../domain/audit/chain';
import type { Permission } from '../../domain/auth/permissions';
import { compileResponseValidator } from '../../domain/intake-forms/response-validator';
import { answersWithBreachType, resolveIncidentFacts } from '../../domain/incidents/rules';
import type { CreateIncidentInput, Incident } from '../../domain/incidents/schema';
import { ConflictError, InvalidError, NotFoundError } from '../../domain/shared/errors';
import { newId } from '../../domain/shared/ids';
import { DEFAULT_WORKFLOW } from '../../domain/workflow/default-workflow';
import { tasksForStage } from '../../domain/workflow/rules';
import { incidentCreated, outgoing } from '../../workflows/events';
import { stageTransitionChange } from '../../workflows/steps/stage-transition';
import { isBeingDeleted, MAX_CREATION_READ_AGE_MS } from '../../infra/dynamo/references';
import type { AppDeps } from '../api/app-deps';

/**
 * The incident register's write operations, shared by the API routes, the public web forms and the webhook
 * intake: read what the decision needs, let the domain decide, and record the change through the one audited path.
 */
export function createIncidentService(deps: Pick<AppDeps, 'repos' | 'clock'>) {
  const { incidents, forms, breachTypes } = deps.repos;

  async function submit(
    org: string,
    input: CreateIncidentInput,
    actor: Actor,
    source: Incident['source'] = 'api',
    options: { idempotencyKeyHash?: string } = {},
  ): Promise<Incident> {
    const keyHash = options.idempotencyKeyHash;
    const alreadyCreated = keyHash ? await deps.repos.idempotency.createdBy(org, keyHash) : undefined;
    if (alreadyCreated) return incidents.get(org, alreadyCreated);
    const now = deps.clock.now();
    const readAt = Date.now();
    const form = await forms.get(org, input.formId).catch((error) => {
      if (error instanceof NotFoundError)
        throw new InvalidError(`Intake form ${input.formId} not found`, [{ path: 'body.formId', message: 'no such form' }]);
      throw error;
    });
    if (form.publishedVersion === null) {
      throw new ConflictError(`Intake form ${form.id} has no published version; publish it before submitting incidents`, {
        formId: form.id,
      });
    }
    if (isBeingDeleted(form)) throw new ConflictError(`Intake form ${form.id} is being deleted`, { formId: form.id });
    const workflow = await deps.repos.workflows.get(org, DEFAULT_WORKFLOW.id);
    const [version, types, flow] = await Promise.all([
      forms.getFieldsOfVersion(org, form.id, form.publishedVersion),
      breachTypes.list(org),
      deps.repos.workflows.getVersion(org, workflow.id, workflow.currentVersion),
    ]);
    const initialStage = flow.definition.initialStage;
    const breachTypeIds = types.filter((t) => !isBeingDeleted(t)).map((t) => t.id);
    const validated = compileResponseValidator(version.fields, { breachTypeIds })(answersWithBreachType(input, version.fields));
    if (!validated.ok) throw new InvalidError('The responses do not satisfy the published form', validated.issues);
    const facts = resolveIncidentFacts(input, version.fields, validated.value, breachTypeIds, now);
    const at = now.toISOString();
    const id = newId('inc', now);
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
      audit: { seq: 0, head: '' },
    };
    const event = outgoing(
      incidentCreated,
      { orgId: org, incidentId: id, formId: form.id, formVersion: version.number, discoveredAt: facts.discoveredAt, source },
      { id, ts: now.getTime() },
    );
    // A delete waits a bounded time for creations that read the form and type before it; a slow one reads them again.
    if (Date.now() - readAt > MAX_CREATION_READ_AGE_MS) await assertStillUsable(org, form.id, facts.breachTypeId);
    return incidents.create(
      org,
      {
        incident,
        assessment: null,
        obligations: [],
        tasks: tasksForStage(flow.definition, id, initialStage, now, 1),
        notifications: [],
        comments: [],
        reassessments: [],
        attachments: [],
      },
      actor,
      {
        formId: form.id,
        formVersion: version.number,
        stage: initialStage,
        source,
        discoveredAt: facts.discoveredAt,
        discoveredAtSource: facts.discoveredAtSource,
      },
      [event],
      { idempotencyKeyHash: keyHash },
    );
  }

  async function assertStillUsable(org: string, formId: string, breachTypeId: string | null) {
    const [form, type] = await Promise.all([forms.get(org, formId), breachTypeId ? breachTypes.get(org, breachTypeId) : undefined]);
    if (isBeingDeleted(form)) throw new ConflictError(`Intake form ${formId} is being deleted`, { formId });
    if (type && isBeingDeleted(type))
      throw new InvalidError(`Breach type ${type.id} is being deleted`, [{ path: 'body.breachTypeId', message: 'being deleted' }]);
  }

  async function transition(
    org: string,
    incidentId: string,
    targetStage: string,
    notes: string | undefined,
    actor: Actor,
    permissions: ReadonlySet<Permission>,
    expectedVersion?: number,
  ): Promise<Incident> {
    const summary = await incidents.get(org, incidentId);
    const flow = await deps.repos.workflows.getVersion(org, summary.workflow.id, summary.workflow.version);
    const { aggregate } = await incidents.recordChange(
      org,
      incidentId,
      (current) => stageTransitionChange(current, flow.definition, targetStage, { orgId: org, notes, permissions, now: deps.clock.now() }),
      { actor, expectedVersion },
    );
    return aggregate.incident;
  }

  async function comment(org: string, incidentId: string, body: string, actor: Actor) {
    const now = deps.clock.now();
    const record = { id: newId('cmt', now), body, author: actor.id, createdAt: now.toISOString() };
    await incidents.recordChange(
      org,
      incidentId,
      () => ({
        action: 'incident.commented',
        details: { commentId: record.id, body },
        children: [{ kind: 'comment', value: record, mode: 'create' }],
      }),
      { actor, read: 'summary' },
    );
    return record;
  }

  return { submit, transition, comment };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
