import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { appendAuditEntry } from '../../../domain/audit/chain';
import {
  awarenessDecisionSchema,
  dismissSignalSchema,
  promoteSignalSchema,
  signalActionSchema,
  signalLevelSchema,
  signalRulesInputSchema,
  signalSourceSchema,
  signalStatusSchema,
  type Signal,
} from '../../../domain/signals/schema';
import type { SignalService } from '../../services/signal-service';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, expectedVersionOf, etagOf, idParam, idempotencyHeader, ifMatchFails, ifMatchHeader, pageQuery } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { auditEntryResponseSchema, json, jsonBody, problemResponses } from '../openapi-common';

const signalSchema = z
  .object({
    id: z.string(),
    source: signalSourceSchema,
    resource: z.string(),
    externalId: z.string(),
    fingerprint: z.string(),
    title: z.string(),
    level: signalLevelSchema,
    actionable: z.boolean(),
    links: z.array(z.object({ label: z.string(), url: z.string() })),
    excerpt: z.string(),
    excerptTruncated: z.boolean(),
    detectedAt: z.string(),
    receivedAt: z.string(),
    deliveryId: z.string(),
    status: signalStatusSchema,
    plannedAction: signalActionSchema,
    incidentId: z.string().nullable(),
    relatedSignalId: z.string().nullable(),
    dismissal: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Signal');

const rulesSchema = signalRulesInputSchema
  .extend({ custom: z.boolean(), updatedAt: z.string().nullable(), version: z.number().int() })
  .openapi('SignalRules');

const awarenessResponseSchema = z
  .object({
    id: z.string(),
    detectedAt: z.string().nullable(),
    discoveredAt: z.string(),
    discoveredAtSource: z.string(),
    awareness: z.object({
      status: z.enum(['pending', 'aware', 'not-a-breach']),
      signalId: z.string(),
      slaHours: z.number(),
      requestedAt: z.string(),
      dueAt: z.string(),
      decidedAt: z.string().optional(),
      decidedBy: z.string().optional(),
      rationale: z.string().optional(),
      recordedAt: z.string().optional(),
    }),
    version: z.number().int(),
  })
  .openapi('IncidentAwareness');

const instantQuery = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time' }).optional();
const listQuery = pageQuery.extend({
  source: signalSourceSchema.optional(),
  status: signalStatusSchema.optional(),
  level: signalLevelSchema.optional(),
  fingerprint: z.string().max(500).optional(),
  receivedFrom: instantQuery,
  receivedTo: instantQuery,
});

const params = idParam('sig_01JABCDEF0123456789ABCDEFG');
const common = { tags: ['Signals'], security: [{ bearerAuth: [] }] };

const present = ({ audit: _audit, ...signal }: Signal) => signal;

export function registerSignalRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, service: SignalService) {
  const { signals, incidents } = deps.repos;

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/signals',
      operationId: 'listSignals',
      summary: 'Signals from webhooks, newest first, with filters',
      middleware: [requirePermission('signals:list')],
      request: { query: listQuery },
      responses: {
        200: { description: 'A page of signals', ...json(z.object({ items: z.array(signalSchema), nextCursor: z.string().nullable() })) },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filters } = c.req.valid('query');
      const normalised = {
        ...filters,
        receivedFrom: filters.receivedFrom && new Date(filters.receivedFrom).toISOString(),
        receivedTo: filters.receivedTo && new Date(filters.receivedTo).toISOString(),
      };
      const page = await signals.list(c.var.principal.orgId, normalised, limit, cursor);
      return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/signals/{id}',
      operationId: 'getSignal',
      summary: 'A signal',
      middleware: [requirePermission('signals:list')],
      request: { params },
      responses: { 200: { description: 'The signal', ...json(signalSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const signal = await signals.get(c.var.principal.orgId, c.req.valid('param').id);
      c.header('ETag', etagOf(signal.version));
      return c.json(present(signal), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/signals/{id}/audit',
      operationId: 'getSignalAudit',
      summary: "The signal's audit trail, oldest first",
      middleware: [requirePermission('signals:list')],
      request: { params },
      responses: {
        200: { description: 'Entries', ...json(z.object({ items: z.array(auditEntryResponseSchema) })) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const signal = await signals.get(org, c.req.valid('param').id);
      return c.json({ items: await signals.listAudit(org, signal.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/signals/{id}/promote',
      operationId: 'promoteSignal',
      summary: 'Open an incident from a recorded signal (or attach it to the open incident with its fingerprint)',
      middleware: [requirePermission('signals:promote')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader), body: { required: false, ...jsonBody(promoteSignalSchema) } },
      responses: { 200: { description: 'Promoted', ...json(signalSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const signal = await signals.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, signal.version);
      if (stale) return stale as never;
      const promoted = await service.promote(org, signal, actorOf(c.var.principal), c.req.valid('json')?.notes);
      c.header('ETag', etagOf(promoted.version));
      return c.json(present(promoted), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/signals/{id}/dismiss',
      operationId: 'dismissSignal',
      summary: 'Dismiss a recorded signal with a reason',
      middleware: [requirePermission('signals:dismiss')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader), body: { required: true, ...jsonBody(dismissSignalSchema) } },
      responses: { 200: { description: 'Dismissed', ...json(signalSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const signal = await signals.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, signal.version);
      if (stale) return stale as never;
      const dismissed = await service.dismiss(org, signal, actorOf(c.var.principal), c.req.valid('json').reason);
      c.header('ETag', etagOf(dismissed.version));
      return c.json(present(dismissed), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/signal-rules',
      operationId: 'getSignalRules',
      summary: "The organisation's signal rules (the defaults until it writes its own)",
      middleware: [requirePermission('signals:list')],
      responses: { 200: { description: 'The rules', ...json(rulesSchema) }, ...problemResponses(401, 403) },
    }),
    async (c) => {
      const { audit: _audit, ...rules } = await signals.getRules(c.var.principal.orgId);
      return c.json(rules, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/v1/signal-rules',
      operationId: 'replaceSignalRules',
      summary: 'Replace the signal rules: the first matching rule decides what a signal does',
      middleware: [requirePermission('webhooks:manage')],
      request: { headers: ifMatchHeader, body: { required: true, ...jsonBody(signalRulesInputSchema) } },
      responses: { 200: { description: 'Saved', ...json(rulesSchema) }, ...problemResponses(400, 401, 403, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const current = await signals.getRules(org);
      const stale = ifMatchFails(c, current.version);
      if (stale) return stale as never;
      const input = c.req.valid('json');
      const now = deps.clock.now();
      const { entry, chain } = appendAuditEntry(current.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'signal-rules.replaced',
        details: { ...input },
      });
      await signals.putRules(org, input, current.version, entry, chain, now);
      const { audit: _audit, ...saved } = await signals.getRules(org);
      c.header('ETag', etagOf(saved.version));
      return c.json(saved, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      tags: ['Breach incidents'],
      method: 'post',
      path: '/v1/breach-incidents/{id}/awareness',
      operationId: 'recordIncidentAwareness',
      summary: 'Record the awareness decision for a signal-opened incident; "aware" sets discoveredAt and starts the regulatory clocks',
      middleware: [requirePermission('breach-incidents:transition')],
      request: {
        params: idParam('inc_01JABCDEF0123456789ABCDEFG'),
        headers: ifMatchHeader.merge(idempotencyHeader),
        body: { required: true, ...jsonBody(awarenessDecisionSchema) },
      },
      responses: { 200: { description: 'Recorded', ...json(awarenessResponseSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, incident.version);
      if (stale) return stale as never;
      const updated = await service.decideAwareness(org, incident.id, c.req.valid('json'), actorOf(c.var.principal), expectedVersionOf(c));
      c.header('ETag', etagOf(updated.version));
      return c.json(
        {
          id: updated.id,
          detectedAt: updated.detectedAt ?? null,
          discoveredAt: updated.discoveredAt,
          discoveredAtSource: updated.discoveredAtSource,
          awareness: updated.awareness!,
          version: updated.version,
        },
        200,
      );
    },
  );
}
