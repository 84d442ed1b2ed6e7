import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from '../../../infra/log';
import type { AppEnv } from '../app-env';

/** Accepts or generates x-request-id, echoes it, and logs one structured line per request carrying it. */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv>[] {
  const withLogger: MiddlewareHandler<AppEnv> = async (c, next) => {
    const started = performance.now();
    c.set('log', logger.child({ requestId: c.var.requestId }));
    await next();
    c.var.log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  };
  return [requestId({ headerName: 'X-Request-Id' }), withLogger];
}
