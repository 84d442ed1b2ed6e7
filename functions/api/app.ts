import './openapi/schema-names';
import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from './app-deps';
import type { AppEnv } from './app-env';
import { mountApiDocs, type ApiDocsOptions } from './docs/mount-docs';
import { swaggerUiAssetsDir } from './docs/swagger-ui-assets';
import { buildOpenApiDocument } from './openapi/build-document';
import { registerSecuritySchemes } from './openapi/document-info';
import { OPENAPI_PATH, serveOpenApiDocument, type OpenApiSource } from './openapi/serve-document';
import { handleError, notFoundOrMethodNotAllowed } from './error-handler';
import { authenticate, createTokenVerifier } from './middleware/auth';
import { jsonBodyOnly } from './middleware/json-body';
import { rateLimitPerToken } from './middleware/rate-limit';
import { requestContext } from './middleware/request-context';
import { idempotency } from './middleware/idempotency';
import { registerAssessmentRoutes } from './routes/assessments';
import { registerAttachmentRoutes } from './routes/attachments';
import { registerInboxRoutes } from './routes/inbox';
import { registerBreachTypeRoutes } from './routes/breach-types';
import { registerHealthRoutes } from './routes/health';
import { registerIncidentRoutes } from './routes/incidents';
import { registerIntakeFormRoutes } from './routes/intake-forms';
import { registerNotificationRoutes } from './routes/notifications';
import { registerObligationRoutes } from './routes/obligations';
import { registerOrgSettingsRoutes } from './routes/org-settings';
import { registerReassessmentRoutes } from './routes/reassessments';
import { registerReportRoutes } from './routes/reports';
import { registerWebhookSubscriptionRoutes } from './routes/webhook-subscriptions';
import { registerTaskRoutes } from './routes/tasks';
import { registerWorkflowRoutes } from './routes/workflows';
import { registerMeRoutes } from './routes/me';
import { registerSignalRoutes } from './routes/signals';
import { registerWebhookSecretRoutes } from './routes/webhook-secrets';
import { registerSubmissionKeyRoutes } from './routes/submission-keys';
import { isWebFormPath } from '../web-forms/request-guards';
import { registerWebFormRoutes } from '../web-forms/routes';
import { createSignalService } from '../services/signal-service';
import { registerAuditLogWebhook } from '../webhooks/audit-log';
import { registerSentryWebhook } from '../webhooks/sentry';
import { validationHook } from './validation-hook';

const PUBLIC_V1_PATHS = new Set([OPENAPI_PATH]);

export interface AppOptions {
  /** The prebuilt OpenAPI document (the Lambda); by default it is built from the routes on first request. */
  openApiDocument?: OpenApiSource;
  /** The API reference at /docs; by default from the installed swagger-ui-dist, and none where it is not installed. */
  docs?: ApiDocsOptions;
}

/** The one app factory: the Node server, the Lambda handler and the tests all build the API here. */
export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const verifyToken = createTokenVerifier({
    jwtSecret: deps.config.AUTH_JWT_SECRET,
    jwksUrl: deps.config.AUTH_JWKS_URL,
    issuer: deps.config.AUTH_ISSUER,
    audience: deps.config.AUTH_AUDIENCE,
  });
  const requireToken = authenticate(verifyToken);

  app.use('*', ...requestContext(deps.logger));
  const apiSecureHeaders = secureHeaders({ contentSecurityPolicy: undefined });
  // Web-form pages are framed by intranet portals: they send their own CSP with frame-ancestors instead.
  app.use('*', (c, next) => (isWebFormPath(c.req.path) ? next() : apiSecureHeaders(c, next)));
  app.use('/v1/*', ...jsonBodyOnly(deps.config.MAX_BODY_BYTES));
  // Webhooks authenticate by their signature, not a bearer token.
  app.use('/v1/*', (c, next) =>
    PUBLIC_V1_PATHS.has(c.req.path) || c.req.path.startsWith('/v1/webhooks/') ? next() : requireToken(c, next),
  );
  app.use('/v1/*', rateLimitPerToken(deps.config.RATE_LIMIT_PER_MINUTE, deps.clock));
  app.use('/v1/*', async (c, next) => {
    if (c.var.principal) await deps.ensureOrgProvisioned(c.var.principal.orgId, deps.clock.now());
    await next();
  });
  const replayIdempotent = idempotency(deps.repos.idempotency, deps.clock);
  app.use('/v1/*', async (c, next) => (c.var.principal ? replayIdempotent(c, next) : next()));

  registerSecuritySchemes(app);
  registerHealthRoutes(app, deps);
  registerMeRoutes(app);
  registerInboxRoutes(app, deps);
  registerBreachTypeRoutes(app, deps);
  registerIntakeFormRoutes(app, deps);
  registerIncidentRoutes(app, deps);
  const signals = createSignalService(deps);
  registerSignalRoutes(app, deps, signals);
  registerWebhookSecretRoutes(app, deps);
  registerSubmissionKeyRoutes(app, deps);
  registerWebFormRoutes(app, deps);
  registerSentryWebhook(app, deps, signals);
  registerAuditLogWebhook(app, deps, signals);
  registerAssessmentRoutes(app);
  registerObligationRoutes(app, deps);
  registerTaskRoutes(app, deps);
  registerAttachmentRoutes(app, deps);
  registerNotificationRoutes(app, deps);
  registerWorkflowRoutes(app, deps);
  registerReassessmentRoutes(app, deps);
  registerOrgSettingsRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerWebhookSubscriptionRoutes(app, deps);

  serveOpenApiDocument(app, options.openApiDocument ?? (() => buildOpenApiDocument(app)), deps.config.PUBLIC_BASE_URL);
  const docsAssetsDir = options.docs?.assetsDir ?? swaggerUiAssetsDir();
  if (docsAssetsDir) mountApiDocs(app, { ...options.docs, assetsDir: docsAssetsDir });

  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
