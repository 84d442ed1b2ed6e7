import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';

const dependencyStatus = z.enum(['up', 'down']);
const healthSchema = z
  .object({ status: z.enum(['ok', 'degraded']), dynamodb: dependencyStatus, ses: dependencyStatus, time: z.string() })
  .openapi('Health');

const getHealth = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  // Public: load balancers and uptime checks call it without a token.
  security: [],
  tags: ['Platform'],
  summary: 'Liveness and reachability of DynamoDB and SES',
  responses: {
    200: { description: 'Every dependency answers', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'A dependency is unreachable', content: { 'application/json': { schema: healthSchema } } },
  },
});

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openapi(getHealth, async (c) => {
    const [dynamodb, ses] = await Promise.all([
      deps.dynamo.raw
        .send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) })
        .then(() => 'up' as const)
        .catch(() => 'down' as const),
      deps.mailer.isReachable().then((up) => (up ? ('up' as const) : ('down' as const))),
    ]);
    const ok = dynamodb === 'up' && ses === 'up';
    const body = { status: ok ? ('ok' as const) : ('degraded' as const), dynamodb, ses, time: deps.clock.now().toISOString() };
    return ok ? c.json(body, 200) : c.json(body, 503);
  });
}
