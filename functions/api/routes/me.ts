import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { permissionSchema } from '../../../domain/auth/permissions';
import type { AppEnv } from '../app-env';
import { problemResponses } from '../openapi-common';

const meSchema = z.object({ org: z.string(), subject: z.string(), permissions: z.array(permissionSchema) }).openapi('Me');

const getMe = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags: ['Platform'],
  summary: "The caller's organisation, subject and effective permissions",
  security: [{ bearerAuth: [] }],
  responses: { 200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } }, ...problemResponses(401) },
});

export function registerMeRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(getMe, (c) => {
    const { orgId, subject, permissions } = c.var.principal;
    return c.json({ org: orgId, subject, permissions: [...permissions].sort() }, 200);
  });
}
