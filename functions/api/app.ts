import type { AppDeps } from './app-deps';
import { createApiMiddleware, createBaseApp } from './app-base';
import { mountApiDocs, type ApiDocsOptions } from './docs/mount-docs';
import { swaggerUiAssetsDir } from './docs/swagger-ui-assets';
import { buildOpenApiDocument } from './openapi/build-document';
import { registerSecuritySchemes } from './openapi/document-info';
import { serveOpenApiDocument, type OpenApiSource } from './openapi/serve-document';
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
import { registerWebFormRoutes } from '../web-forms/routes';
import { createSignalService } from '../services/signal-service';
import { registerAuditLogWebhook } from '../webhooks/audit-log';
import { registerSentryWebhook } from '../webhooks/sentry';

export interface AppOptions {
  /** The prebuilt OpenAPI document (the Lambda); by default it is built from the routes on first request. */
  openApiDocument?: OpenApiSource;
  /** The API reference at /docs; by default from the installed swagger-ui-dist, and none where it is not installed. */
  docs?: ApiDocsOptions;
}

/** The one app factory: the Node server, the tests and (one route group at a time, see lazy-app.ts) the Lambda build the API here. */
export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const app = createBaseApp(createApiMiddleware(deps));
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
  return app;
}

export type App = ReturnType<typeof createApp>;
