import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { appendAuditEntry, emptyChain, verifyAuditChain } from '../../../domain/audit/chain';
import { compileResponseValidator } from '../../../domain/intake-forms/response-validator';
import {
  commentSchema,
  createIncidentSchema,
  discoveredAtSourceSchema,
  incidentSourceSchema,
  incidentStatusSchema,
  severityLevelSchema,
  transitionSchema,
  type Incident,
} from '../../../domain/incidents/schema';
import { planTransition, resolveIncidentFacts } from '../../../domain/incidents/rules';
import { ConflictError, InvalidError, NotFoundError } from '../../../domain/shared/errors';
import type { OutgoingEvent } from '../../../domain/shared/events';
import { newId } from '../../../domain/shared/ids';
import { DEFAULT_WORKFLOW, initialStage } from '../../../domain/workflow/default-workflow';
import { keys } from '../../../infra/dynamo/keys';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, etagOf, idParam, idempotencyHeader, ifMatchFails, ifMatchHeader, pageQuery } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { auditEntryResponseSchema, auditVerificationSchema, problemResponses } from '../openapi-common';

const EVENT_DELIVERY_WAIT_MS = 2_000;

const incidentSchema = z
  .object({
    id: z.string(),
    formId: z.string(),
    formVersion: z.number().int(),
    breachTypeId: z.string().nullable(),
    responses: z.record(z.string(), z.unknown()),
    stage: z.string(),
    status: incidentStatusSchema,
    severity: z.object({ level: severityLevelSchema, score: z.number() }).nullable(),
    source: incidentSourceSchema,
    workflow: z.object({ id: z.string(), version: z.number().int() }),
    reportedAt: z.string(),
    discoveredAt: z.string(),
    discoveredAtSource: discoveredAtSourceSchema,
    occurredAt: z.string().nullable(),
    createdBy: z.string(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('BreachIncident');
const commentResponseSchema = z.object({ id: z.string(), body: z.string(), author: z.string(), createdAt: z.string() }).openapi('IncidentComment');
const incidentDetailSchema = incidentSchema.extend({ comments: z.array(commentResponseSchema) }).openapi('BreachIncidentDetail');

const instantQuery = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time' }).optional();
const listQuery = pageQuery.extend({
  stage: z.string().max(40).optional(),
  status: incidentStatusSchema.optional(),
  breachTypeId: z.string().max(100).optional(),
  severity: severityLevelSchema.optional(),
  createdFrom: instantQuery,
  createdTo: instantQuery,
});

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const params = idParam('inc_01JABCDEF0123456789ABCDEFG');
const common = { tags: ['Breach incidents'], security: [{ bearerAuth: [] }] };

const present = ({ audit: _audit, ...incident }: Incident) => incident;

export function registerIncidentRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { incidents, forms, breachTypes } = deps.repos;

  /** Stored with the change; delivery is attempted now and retried by the outbox relay if it fails. */
  async function deliver(org: string, incidentId: string, event: OutgoingEvent) {
    const partition = keys.incidentPartition(org, incidentId);
    await Promise.race([deps.outbox.deliver(partition, [event]), new Promise((resolve) => setTimeout(resolve, EVENT_DELIVERY_WAIT_MS))]);
  }

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents',
      summary: "Submit a breach incident against a form's published version",
      middleware: [requirePermission('breach-incidents:create')],
      request: { headers: idempotencyHeader, body: { required: true, ...json(createIncidentSchema.openapi('BreachIncidentInput')) } },
      responses: { 201: { description: 'Recorded', ...json(incidentSchema) }, ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const input = c.req.valid('json');
      const now = deps.clock.now();
      const form = await forms.get(org, input.formId).catch((error) => {
        if (error instanceof NotFoundError) throw new InvalidError(`Intake form ${input.formId} not found`, [{ path: 'body.formId', message: 'no such form' }]);
        throw error;
      });
      if (form.publishedVersion === null) {
        throw new ConflictError(`Intake form ${form.id} has no published version; publish it before submitting incidents`, { formId: form.id });
      }
      const [version, types] = await Promise.all([forms.getVersion(org, form.id, form.publishedVersion), breachTypes.list(org)]);
      const breachTypeIds = types.map((t) => t.id);
      const validated = compileResponseValidator(version.fields, { breachTypeIds })(input.responses);
      if (!validated.ok) throw new InvalidError('The responses do not satisfy the published form', validated.issues);
      const facts = resolveIncidentFacts(input, version.fields, validated.value, breachTypeIds, now);
      const at = now.toISOString();
      const id = newId('inc', now);
      const actor = actorOf(c.var.principal);
      const { entry, chain } = appendAuditEntry(emptyChain, {
        at: now,
        actor,
        action: 'incident.created',
        details: { formId: form.id, formVersion: version.number, stage: initialStage, discoveredAt: facts.discoveredAt, discoveredAtSource: facts.discoveredAtSource },
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
        source: 'api',
        workflow: { ...DEFAULT_WORKFLOW },
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
        data: { orgId: org, incidentId: id, formId: form.id, formVersion: version.number, discoveredAt: facts.discoveredAt, source: 'api' },
        ts: now.getTime(),
      };
      await incidents.create(org, incident, entry, event);
      await deliver(org, id, event);
      c.header('Location', `/v1/breach-incidents/${id}`);
      c.header('ETag', etagOf(incident.version));
      return c.json(present(incident), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents',
      summary: 'The incident register, newest first, with filters',
      middleware: [requirePermission('breach-incidents:list')],
      request: { query: listQuery },
      responses: { 200: { description: 'A page of incidents', ...json(z.object({ items: z.array(incidentSchema), nextCursor: z.string().nullable() })) }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const { limit, cursor, ...filters } = c.req.valid('query');
      const normalised = {
        ...filters,
        createdFrom: filters.createdFrom && new Date(filters.createdFrom).toISOString(),
        createdTo: filters.createdTo && new Date(filters.createdTo).toISOString(),
      };
      const page = await incidents.list(c.var.principal.orgId, normalised, limit, cursor);
      return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}',
      summary: 'An incident with its comments',
      middleware: [requirePermission('breach-incidents:view')],
      request: { params },
      responses: { 200: { description: 'The incident', ...json(incidentDetailSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const id = c.req.valid('param').id;
      const [incident, comments] = await Promise.all([incidents.get(org, id), incidents.listComments(org, id)]);
      c.header('ETag', etagOf(incident.version));
      return c.json({ ...present(incident), comments }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/transitions',
      summary: 'Move an incident to another stage its workflow allows',
      middleware: [requirePermission('breach-incidents:transition')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader), body: { required: true, ...json(transitionSchema.openapi('StageTransition')) } },
      responses: { 200: { description: 'Moved', ...json(incidentSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, incident.version);
      if (stale) return stale as never;
      const { targetStage, notes } = c.req.valid('json');
      const plan = planTransition(incident, targetStage);
      const now = deps.clock.now();
      const { entry, chain } = appendAuditEntry(incident.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'incident.stage.changed',
        details: { from: plan.from, to: plan.to, notes },
      });
      const event: OutgoingEvent = {
        id: `${incident.id}-v${incident.version + 1}`,
        name: 'breach/incident.stage.changed',
        data: { orgId: org, incidentId: incident.id, from: plan.from, to: plan.to, version: incident.version + 1 },
        ts: now.getTime(),
      };
      await incidents.applyChange(org, incident, { set: { stage: plan.to, status: plan.status }, entry, audit: chain, now, event });
      await deliver(org, incident.id, event);
      const updated = await incidents.get(org, incident.id);
      c.header('ETag', etagOf(updated.version));
      return c.json(present(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/comments',
      summary: 'Comment on an incident',
      middleware: [requirePermission('breach-incidents:comment')],
      request: { params, headers: idempotencyHeader, body: { required: true, ...json(commentSchema.openapi('IncidentCommentInput')) } },
      responses: { 201: { description: 'Added', ...json(commentResponseSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      const now = deps.clock.now();
      const comment = { id: newId('cmt', now), body: c.req.valid('json').body, author: c.var.principal.subject, createdAt: now.toISOString() };
      const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor: actorOf(c.var.principal), action: 'incident.commented', details: { commentId: comment.id, body: comment.body } });
      await incidents.applyChange(org, incident, { set: {}, entry, audit: chain, now, extra: [incidents.commentPut(org, incident.id, comment)] });
      return c.json(comment, 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/audit',
      summary: "The incident's audit trail (evidence vault), oldest first",
      middleware: [requirePermission('breach-incidents:view')],
      request: { params },
      responses: { 200: { description: 'Entries', ...json(z.object({ items: z.array(auditEntryResponseSchema) })) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      return c.json({ items: await incidents.listAudit(org, incident.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/audit/verify',
      summary: 'Recompute the audit chain and report the first broken link',
      middleware: [requirePermission('breach-incidents:view')],
      request: { params },
      responses: { 200: { description: 'The verification result', ...json(auditVerificationSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      return c.json(verifyAuditChain(await incidents.listAudit(org, incident.id), incident.audit), 200);
    },
  );
}
