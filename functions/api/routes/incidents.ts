import { verifyAuditChain } from '../../../domain/audit/chain';
import { attachmentSchema } from '../../../domain/attachments/schema';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  commentSchema,
  createIncidentSchema,
  discoveredAtSourceSchema,
  incidentSourceSchema,
  incidentStatusSchema,
  severityLevelSchema,
  transitionSchema,
  type IncidentSummary,
} from '../../../domain/incidents/schema';
import { createIncidentService } from '../../services/incident-service';
import { notificationSchema } from '../../../domain/notifications/schema';
import { obligationSummarySchema, trackedObligationSchema } from '../../../domain/obligations/schema';
import { taskSchema } from '../../../domain/tasks/schema';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, etagOf, expectedVersionOf, idParam, idempotencyHeader, ifMatchFails, ifMatchHeader, pageQuery } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { auditEntryResponseSchema, auditVerificationSchema, json, jsonBody, problemResponses } from '../openapi-common';

const incidentSchema = z
  .object({
    id: z.string(),
    formId: z.string(),
    formVersion: z.number().int(),
    breachTypeId: z.string().nullable(),
    responses: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "The form's answers; on a single incident, not in lists" }),
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
    obligationSummary: obligationSummarySchema.optional(),
    automation: z.object({ status: z.literal('failed'), functionId: z.string(), reason: z.string(), failedAt: z.string() }).optional(),
  })
  .openapi('BreachIncident');
const commentResponseSchema = z
  .object({ id: z.string(), body: z.string(), author: z.string(), createdAt: z.string() })
  .openapi('IncidentComment');
const obligationViewSchema = trackedObligationSchema.extend({ timeLeftMs: z.number().nullable(), overdue: z.boolean() });
const timelineEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string() }),
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
});
const incidentDetailSchema = incidentSchema
  .extend({
    triage: z.record(z.string(), z.unknown()).nullable(),
    obligations: z.array(obligationViewSchema),
    tasks: z.array(taskSchema),
    notifications: z.array(notificationSchema),
    comments: z.array(commentResponseSchema),
    reassessments: z.array(
      z.object({
        id: z.string(),
        facts: z.record(z.string(), z.unknown()),
        reason: z.string(),
        requestedBy: z.string(),
        requestedAt: z.string(),
      }),
    ),
    attachments: z.array(attachmentSchema.omit({ objectKey: true })),
    timeline: z.array(timelineEntrySchema),
  })
  .openapi('BreachIncidentDetail');

const instantQuery = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time' }).optional();
const listQuery = pageQuery.extend({
  stage: z.string().max(40).optional(),
  status: incidentStatusSchema.optional(),
  breachTypeId: z.string().max(100).optional(),
  severity: severityLevelSchema.optional(),
  createdFrom: instantQuery,
  createdTo: instantQuery,
});

const params = idParam('inc_01JABCDEF0123456789ABCDEFG');
const common = { tags: ['Breach incidents'], security: [{ bearerAuth: [] }] };

const present = <T extends IncidentSummary>({ audit: _audit, ...incident }: T) => incident;

export function registerIncidentRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { incidents } = deps.repos;
  const service = createIncidentService(deps);

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents',
      operationId: 'createBreachIncident',
      summary: "Submit a breach incident against a form's published version",
      middleware: [requirePermission('breach-incidents:create')],
      request: { headers: idempotencyHeader, body: { required: true, ...jsonBody(createIncidentSchema) } },
      responses: { 201: { description: 'Recorded', ...json(incidentSchema) }, ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const incident = await service.submit(c.var.principal.orgId, c.req.valid('json'), actorOf(c.var.principal), 'api', {
        idempotencyKeyHash: c.var.idempotencyKeyHash,
      });
      const id = incident.id;
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
      operationId: 'listBreachIncidents',
      summary: 'The incident register, newest first, with filters',
      middleware: [requirePermission('breach-incidents:list')],
      request: { query: listQuery },
      responses: {
        200: {
          description: 'A page of incidents',
          ...json(z.object({ items: z.array(incidentSchema), nextCursor: z.string().nullable() })),
        },
        ...problemResponses(400, 401, 403),
      },
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
      operationId: 'getBreachIncident',
      summary: 'An incident with its comments',
      middleware: [requirePermission('breach-incidents:view')],
      request: { params },
      responses: { 200: { description: 'The incident', ...json(incidentDetailSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const id = c.req.valid('param').id;
      const [{ incident, assessment, obligations: tracked, tasks, notifications, comments, reassessments, attachments }, audit] =
        await Promise.all([incidents.getAggregate(org, id), incidents.listAudit(org, id)]);
      const now = deps.clock.now().getTime();
      // Time left is computed at read time so that a client never shows a stale countdown.
      const obligations = tracked.map((o) => ({
        ...o,
        timeLeftMs: o.dueAt && o.status === 'open' ? Date.parse(o.dueAt) - now : null,
        overdue: Boolean(o.dueAt && o.status === 'open' && Date.parse(o.dueAt) < now),
      }));
      const timeline = audit.map(({ seq, at, actor, action, details }) => ({ seq, at, actor, action, details }));
      c.header('ETag', etagOf(incident.version));
      return c.json(
        {
          ...present(incident),
          triage: incident.triage
            ? {
                ...incident.triage,
                ...(assessment
                  ? {
                      riskReasons: assessment.riskReasons,
                      assumptions: assessment.assumptions,
                      warnings: assessment.warnings,
                      sla: assessment.sla,
                      leadAuthority: assessment.leadAuthority,
                    }
                  : {}),
              }
            : null,
          obligations,
          tasks,
          notifications,
          comments,
          reassessments,
          attachments: attachments.map(({ objectKey: _key, ...a }) => a),
          timeline,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/transitions',
      operationId: 'transitionBreachIncident',
      summary: 'Move an incident to another stage its workflow allows',
      middleware: [requirePermission('breach-incidents:transition')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader), body: { required: true, ...jsonBody(transitionSchema) } },
      responses: { 200: { description: 'Moved', ...json(incidentSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, incident.version);
      if (stale) return stale as never;
      const { targetStage, notes } = c.req.valid('json');
      const updated = await service.transition(
        org,
        incident.id,
        targetStage,
        notes,
        actorOf(c.var.principal),
        c.var.principal.permissions,
        expectedVersionOf(c),
      );
      c.header('ETag', etagOf(updated.version));
      return c.json(present(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/comments',
      operationId: 'createIncidentComment',
      summary: 'Comment on an incident',
      middleware: [requirePermission('breach-incidents:comment')],
      request: { params, headers: idempotencyHeader, body: { required: true, ...jsonBody(commentSchema) } },
      responses: { 201: { description: 'Added', ...json(commentResponseSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      const comment = await service.comment(org, incident.id, c.req.valid('json').body, actorOf(c.var.principal));
      return c.json(comment, 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/audit',
      operationId: 'getBreachIncidentAudit',
      summary: "The incident's audit trail (evidence vault), oldest first",
      middleware: [requirePermission('breach-incidents:view')],
      request: { params },
      responses: {
        200: { description: 'Entries', ...json(z.object({ items: z.array(auditEntryResponseSchema) })) },
        ...problemResponses(401, 403, 404),
      },
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
      operationId: 'verifyBreachIncidentAudit',
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
