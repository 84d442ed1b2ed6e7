import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AssessmentInput } from '../../../domain/assessment/schema';
import { newId } from '../../../domain/shared/ids';
import { outgoing, reassessmentRequested } from '../../../workflows/events';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, etagOf, expectedVersionOf, idempotencyHeader, ifMatchFails, ifMatchHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

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

const params = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export function registerReassessmentRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/breach-incidents/{id}/reassessments',
      operationId: 'reassessBreachIncident',
      tags: ['Breach incidents'],
      security: [{ bearerAuth: [] }],
      summary: 'Correct the facts (categories, people per jurisdiction, encryption…) and reassess; open deadlines and their clocks move',
      middleware: [requirePermission('breach-incidents:transition')],
      request: {
        params,
        headers: ifMatchHeader.merge(idempotencyHeader),
        body: { required: true, ...jsonBody(z.object({ facts: factsSchema, reason: z.string().trim().min(1).max(2000) })) },
      },
      responses: {
        202: {
          description: 'Recorded; the reassessment runs in the workflow',
          ...json(z.object({ incidentId: z.string(), version: z.number().int() })),
        },
        ...problemResponses(400, 401, 403, 404, 409, 412),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await deps.repos.incidents.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, incident.version);
      if (stale) return stale as never;
      const { facts, reason } = c.req.valid('json');
      const actor = actorOf(c.var.principal);
      const now = deps.clock.now();
      const reassessment = { id: newId('rea', now), facts, reason, requestedBy: actor.id, requestedAt: now.toISOString() };
      const { aggregate } = await deps.repos.incidents.recordChange(
        org,
        incident.id,
        (current) => ({
          action: 'incident.facts.updated',
          details: { reassessmentId: reassessment.id, facts, reason },
          set: { assessmentFacts: { ...(current.incident.assessmentFacts ?? {}), ...facts } },
          children: [{ kind: 'reassessment', mode: 'create', value: reassessment }],
          events: [
            outgoing(
              reassessmentRequested,
              { orgId: org, incidentId: incident.id, reason },
              { id: `${incident.id}-${reassessment.id}`, ts: now.getTime() },
            ),
          ],
        }),
        { actor, read: 'summary', expectedVersion: expectedVersionOf(c) },
      );
      const version = aggregate.incident.version;
      c.header('ETag', etagOf(version));
      return c.json({ incidentId: incident.id, version }, 202);
    },
  );
}
