import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { decisionInputSchema, filingInputSchema, trackedObligationSchema } from '../../../domain/obligations/schema';
import { createObligationService } from '../../services/obligation-service';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, etagOf, expectedVersionOf, idempotencyHeader, ifMatchFails, ifMatchHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const params = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
  obligationId: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'obligationId', in: 'path' } }),
});
const common = { tags: ['Obligations'], security: [{ bearerAuth: [] }] };

/** Closing an obligation's clock: a filing with the regulator (in phases), or a documented decision not to notify. */
export function registerObligationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const service = createObligationService(deps);

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/obligations/{obligationId}/filings',
      operationId: 'recordObligationFiling',
      summary: 'Record a filing (initial, supplementary or final; Art. 33(4)); a late initial filing needs the reasons for the delay',
      middleware: [requirePermission('notifications:send')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader), body: { required: true, ...jsonBody(filingInputSchema) } },
      responses: {
        201: { description: 'The obligation with the filing', ...json(trackedObligationSchema) },
        ...problemResponses(400, 401, 403, 404, 409, 412),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const { id, obligationId } = c.req.valid('param');
      const incident = await deps.repos.incidents.get(org, id);
      const stale = ifMatchFails(c, incident.version);
      if (stale) return stale as never;
      const { obligation, version } = await service.file(
        org,
        incident.id,
        obligationId,
        c.req.valid('json'),
        actorOf(c.var.principal),
        expectedVersionOf(c),
      );
      c.header('ETag', etagOf(version));
      return c.json(obligation, 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/obligations/{obligationId}/decision',
      operationId: 'recordObligationDecision',
      summary: 'Record a decision not to notify, with its rationale and approver (Art. 33(5)); closes the clock',
      middleware: [requirePermission('breach-tasks:approve')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader), body: { required: true, ...jsonBody(decisionInputSchema) } },
      responses: {
        200: { description: 'The obligation with the decision', ...json(trackedObligationSchema) },
        ...problemResponses(400, 401, 403, 404, 409, 412),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const { id, obligationId } = c.req.valid('param');
      const incident = await deps.repos.incidents.get(org, id);
      const stale = ifMatchFails(c, incident.version);
      if (stale) return stale as never;
      const { obligation, version } = await service.decideNotToNotify(
        org,
        incident.id,
        obligationId,
        c.req.valid('json'),
        actorOf(c.var.principal),
        expectedVersionOf(c),
      );
      c.header('ETag', etagOf(version));
      return c.json(obligation, 200);
    },
  );
}
