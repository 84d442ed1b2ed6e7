import './openapi/schema-names';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { isWebFormPath } from '../web-forms/request-guards';
import type { AppDeps } from './app-deps';
import type { AppEnv } from './app-env';
import { handleError, notFoundOrMethodNotAllowed } from './error-handler';
import { authenticate, createTokenVerifier } from './middleware/auth';
import { idempotency } from './middleware/idempotency';
import { jsonBodyOnly } from './middleware/json-body';
import { rateLimitPerToken } from './middleware/rate-limit';
import { requestContext } from './middleware/request-context';
import { OPENAPI_PATH } from './openapi/serve-document';
import { validationHook } from './validation-hook';

const PUBLIC_V1_PATHS = new Set([OPENAPI_PATH]);

export type ApiMiddleware = ReturnType<typeof createApiMiddleware>;

/**
 * The API's middleware, in order, built once per process: one token verifier (with its JWKS cache) and one rate-limit
 * window per token, however many apps share them (the Lambda builds an app per route group).
 */
export function createApiMiddleware(deps: AppDeps) {
  const requireToken = authenticate(
    createTokenVerifier({
      jwtSecret: deps.config.AUTH_JWT_SECRET,
      jwksUrl: deps.config.AUTH_JWKS_URL,
      issuer: deps.config.AUTH_ISSUER,
      audience: deps.config.AUTH_AUDIENCE,
    }),
  );
  const apiSecureHeaders = secureHeaders({ contentSecurityPolicy: undefined });
  const replayIdempotent = idempotency(deps.repos.idempotency, deps.clock);
  const all: MiddlewareHandler<AppEnv>[] = [
    ...requestContext(deps.logger),
    // Web-form pages are framed by intranet portals: they send their own CSP with frame-ancestors instead.
    (c, next) => (isWebFormPath(c.req.path) ? next() : apiSecureHeaders(c, next)),
  ];
  const v1: MiddlewareHandler<AppEnv>[] = [
    ...jsonBodyOnly(deps.config.MAX_BODY_BYTES),
    // Webhooks authenticate by their signature, not a bearer token.
    (c, next) => (PUBLIC_V1_PATHS.has(c.req.path) || c.req.path.startsWith('/v1/webhooks/') ? next() : requireToken(c, next)),
    rateLimitPerToken(deps.config.RATE_LIMIT_PER_MINUTE, deps.clock),
    async (c, next) => {
      if (c.var.principal) await deps.ensureOrgProvisioned(c.var.principal.orgId, deps.clock.now());
      await next();
    },
    async (c, next) => (c.var.principal ? replayIdempotent(c, next) : next()),
  ];
  return { all, v1 };
}

/** An app with the API's middleware, validation hook and problem+json errors (404 and 405 included), and no routes yet. */
export function createBaseApp(middleware: ApiMiddleware) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  for (const handler of middleware.all) app.use('*', handler);
  for (const handler of middleware.v1) app.use('/v1/*', handler);
  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  app.onError(handleError);
  return app;
}

export type ApiApp = ReturnType<typeof createBaseApp>;
