import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AssessmentInput } from '../../../domain/assessment/schema';
import { appendAuditEntry } from '../../../domain/audit/chain';
import type { OutgoingEvent } from '../../../domain/shared/events';
import { keys } from '../../../infra/dynamo/keys';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, etagOf, idempotencyHeader, ifMatchFails, ifMatchHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, problemResponses } from '../openapi-common';

/** The facts a responder may correct after the report; awareness itself is not among them (it is decided and audited separately). */
const factsSchema = AssessmentInput.pick({
  dataCategories: true,
  affected: true,
  approximateRecords: true,
  nature: true,
  cause: true,
  encryption: true,
  exfiltration: true,
  mitigations: true,
  sectors: true,
}).partial();

const params = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

export function registerReassessmentRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/breach-incidents/{id}/reassessments',
      tags: ['Breach incidents'],
      security: [{ bearerAuth: [] }],
      summary: 'Correct the facts (categories, people per jurisdiction, encryption…) and reassess; open deadlines and their clocks move',
      middleware: [requirePermission('breach-incidents:transition')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader), body: { required: true, ...json(z.object({ facts: factsSchema, reason: z.string().trim().min(1).max(2000) })) } },
      responses: { 202: { description: 'Recorded; the reassessment runs in the workflow', ...json(z.object({ incidentId: z.string(), version: z.number().int() })) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await deps.repos.incidents.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, incident.version);
      if (stale) return stale as never;
      const { facts, reason } = c.req.valid('json');
      const now = deps.clock.now();
      const assessmentFacts = { ...(incident.assessmentFacts ?? {}), ...facts };
      const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor: actorOf(c.var.principal), action: 'incident.facts.updated', details: { facts, reason } });
      const event: OutgoingEvent = {
        id: `${incident.id}-reassess-v${incident.version + 1}`,
        name: 'breach/incident.reassessment.requested',
        data: { orgId: org, incidentId: incident.id, reason },
        ts: now.getTime(),
      };
      await deps.repos.incidents.applyChange(org, incident, { set: { assessmentFacts }, entry, audit: chain, now, event });
      await deps.outbox.deliver(keys.incidentPartition(org, incident.id), [event]).catch(() => false);
      c.header('ETag', etagOf(incident.version + 1));
      return c.json({ incidentId: incident.id, version: incident.version + 1 }, 202);
    },
  );
}
