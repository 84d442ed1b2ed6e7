import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { breachTypeInputSchema, type BreachType } from '../../../domain/breach-types/schema';
import { newId } from '../../../domain/shared/ids';
import { assertDeletable } from '../../../domain/breach-types/rules';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { etagOf, idParam, idempotencyHeader, ifMatchFails, ifMatchHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const breachTypeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    builtIn: z.boolean(),
    incidentCount: z.number().int().optional().openapi({ description: "How many incidents use the type (on a single type's GET)" }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('BreachType');
const inputSchema = breachTypeInputSchema;
const params = idParam('type_unauthorized_access');
const common = { tags: ['Breach types'], security: [{ bearerAuth: [] }] };

const present = ({ deletingAt: _deleting, ...type }: BreachType) => type;

export function registerBreachTypeRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const types = deps.repos.breachTypes;

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-types',
      operationId: 'createBreachType',
      summary: 'Create a breach type',
      middleware: [requirePermission('breach-types:create')],
      request: { headers: idempotencyHeader, body: { required: true, ...jsonBody(inputSchema) } },
      responses: { 201: { description: 'Created', ...json(breachTypeSchema) }, ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const now = deps.clock.now().toISOString();
      const input = c.req.valid('json');
      const type = await types.create(c.var.principal.orgId, {
        id: newId('type'),
        ...input,
        builtIn: false,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      c.header('Location', `/v1/breach-types/${type.id}`);
      c.header('ETag', etagOf(type.version));
      return c.json(present(type), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-types',
      operationId: 'listBreachTypes',
      summary: "List the organisation's breach types",
      middleware: [requirePermission('breach-types:list')],
      responses: {
        200: { description: 'Every breach type, by name', ...json(z.object({ items: z.array(breachTypeSchema) })) },
        ...problemResponses(401, 403),
      },
    }),
    async (c) => c.json({ items: (await types.list(c.var.principal.orgId)).map(present) }, 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-types/{id}',
      operationId: 'getBreachType',
      summary: 'Get a breach type',
      middleware: [requirePermission('breach-types:list')],
      request: { params },
      responses: { 200: { description: 'The breach type', ...json(breachTypeSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const type = await types.get(org, c.req.valid('param').id);
      c.header('ETag', etagOf(type.version));
      return c.json({ ...present(type), incidentCount: await types.incidentCount(org, type.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/v1/breach-types/{id}',
      operationId: 'updateBreachType',
      summary: 'Rename or describe a breach type',
      middleware: [requirePermission('breach-types:edit')],
      request: { params, headers: ifMatchHeader, body: { required: true, ...jsonBody(inputSchema) } },
      responses: { 200: { description: 'Updated', ...json(breachTypeSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const current = await types.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, current.version);
      if (stale) return stale as never;
      const updated = await types.update(org, current, c.req.valid('json'), deps.clock.now());
      c.header('ETag', etagOf(updated.version));
      return c.json(present(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/v1/breach-types/{id}',
      operationId: 'deleteBreachType',
      summary: 'Delete a breach type no incident references (built-in types are renamed, not deleted)',
      middleware: [requirePermission('breach-types:delete')],
      request: { params, headers: ifMatchHeader },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const current = await types.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, current.version);
      if (stale) return stale as never;
      assertDeletable(current);
      await types.remove(org, current);
      return c.body(null, 204);
    },
  );
}
