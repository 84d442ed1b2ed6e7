import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { problemResponse } from '../problem';
import type { AppEnv } from '../app-env';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

const declaresBody = (c: Context<AppEnv>) =>
  c.req.header('content-length') ? c.req.header('content-length') !== '0' : c.req.header('transfer-encoding') !== undefined;

/** Refuses oversize bodies (413) and bodies that are not JSON (415) before any handler reads them. */
export function jsonBodyOnly(maxBytes: number): MiddlewareHandler<AppEnv>[] {
  const requireJson: MiddlewareHandler<AppEnv> = async (c, next) => {
    const hasBody = declaresBody(c);
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(c.req.method) && !JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      return problemResponse(c, {
        type: 'unsupported-media-type',
        title: 'Unsupported Media Type',
        status: 415,
        detail: 'Request bodies must be application/json',
        errors: [{ path: 'header.content-type', message: `expected application/json, got ${c.req.header('content-type') ?? 'none'}` }],
      });
    }
    await next();
  };
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      problemResponse(c, {
        type: 'payload-too-large',
        title: 'Content Too Large',
        status: 413,
        detail: `Request bodies are limited to ${maxBytes} bytes`,
      }),
  });
  // A read that declares no body has none to limit; asking for it would make the Node adapter build a whole Request.
  const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
    (c.req.method === 'GET' || c.req.method === 'HEAD') && !declaresBody(c) ? next() : limit(c, next);
  return [requireJson, limitBody];
}
