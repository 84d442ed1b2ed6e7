import type { AppDeps } from './app-deps';
import type { ApiApp } from './app-base';
import type { AppOptions } from './app';
import type { OpenApiSource } from './openapi/serve-document';

/** The Lambda serves the document `npm run client:generate` prebuilt: no group holds every route to build it from. */
export type LazyAppOptions = AppOptions & { openApiDocument: OpenApiSource };

type RegisterRoutes = (app: ApiApp, deps: AppDeps, options: LazyAppOptions) => void;

/**
 * The Lambda's route groups (lazy-app.ts): each is loaded, with its services, repositories and schemas, on the first
 * request for one of its paths. A group registers every route of the paths it serves (so that 405 stays right); the
 * registration order of createApp, which the OpenAPI document follows, stays in app.ts.
 * test/integration/lambda-route-groups.test.ts checks that each of createApp's routes is in the group of its path.
 */
export const routeGroups = {
  core: async () => (await import('./core-routes')).registerCoreRoutes,
  me: async () => {
    const [{ registerMeRoutes }, { registerInboxRoutes }] = await Promise.all([import('./routes/me'), import('./routes/inbox')]);
    return (app, deps) => {
      registerMeRoutes(app);
      registerInboxRoutes(app, deps);
    };
  },
  'breach-types': async () => (await import('./routes/breach-types')).registerBreachTypeRoutes,
  'intake-forms': async () => (await import('./routes/intake-forms')).registerIntakeFormRoutes,
  incidents: async () => (await import('./routes/incidents')).registerIncidentRoutes,
  signals: async () => {
    const [{ registerSignalRoutes }, { createSignalService }] = await Promise.all([
      import('./routes/signals'),
      import('../services/signal-service'),
    ]);
    return (app, deps) => registerSignalRoutes(app, deps, createSignalService(deps));
  },
  webhooks: async () => {
    const [{ registerSentryWebhook }, { registerAuditLogWebhook }, { createSignalService }] = await Promise.all([
      import('../webhooks/sentry'),
      import('../webhooks/audit-log'),
      import('../services/signal-service'),
    ]);
    return (app, deps) => {
      const signals = createSignalService(deps);
      registerSentryWebhook(app, deps, signals);
      registerAuditLogWebhook(app, deps, signals);
    };
  },
  'webhook-secrets': async () => (await import('./routes/webhook-secrets')).registerWebhookSecretRoutes,
  'submission-keys': async () => (await import('./routes/submission-keys')).registerSubmissionKeyRoutes,
  'web-forms': async () => (await import('../web-forms/routes')).registerWebFormRoutes,
  assessments: async () => (await import('./routes/assessments')).registerAssessmentRoutes,
  obligations: async () => (await import('./routes/obligations')).registerObligationRoutes,
  tasks: async () => (await import('./routes/tasks')).registerTaskRoutes,
  attachments: async () => (await import('./routes/attachments')).registerAttachmentRoutes,
  notifications: async () => (await import('./routes/notifications')).registerNotificationRoutes,
  workflows: async () => (await import('./routes/workflows')).registerWorkflowRoutes,
  reassessments: async () => (await import('./routes/reassessments')).registerReassessmentRoutes,
  'org-settings': async () => (await import('./routes/org-settings')).registerOrgSettingsRoutes,
  reports: async () => (await import('./routes/reports')).registerReportRoutes,
  'webhook-subscriptions': async () => (await import('./routes/webhook-subscriptions')).registerWebhookSubscriptionRoutes,
} satisfies Record<string, () => Promise<RegisterRoutes>>;

export type RouteGroupName = keyof typeof routeGroups;

/** Resources whose sub-resources (`/v1/breach-incidents/{id}/tasks`) belong to groups of their own. */
const NESTED = new Set(['breach-incidents', 'breach-intake-forms']);

/** A path's group, by its resource (`/v1/<resource>`), or its sub-resource (`/v1/<resource>/{id}/<sub>`). */
const groupOfResource: Record<string, RouteGroupName> = {
  forms: 'web-forms',
  me: 'me',
  'breach-types': 'breach-types',
  'breach-intake-forms': 'intake-forms',
  'breach-intake-forms/*/audit': 'intake-forms',
  'breach-intake-forms/*/fields': 'intake-forms',
  'breach-intake-forms/*/publish': 'intake-forms',
  'breach-intake-forms/*/versions': 'intake-forms',
  'breach-intake-forms/*/embed': 'submission-keys',
  'breach-intake-forms/*/submission-keys': 'submission-keys',
  'breach-incidents': 'incidents',
  'breach-incidents/*/audit': 'incidents',
  'breach-incidents/*/comments': 'incidents',
  'breach-incidents/*/transitions': 'incidents',
  'breach-incidents/*/awareness': 'signals',
  'breach-incidents/*/obligations': 'obligations',
  'breach-incidents/*/tasks': 'tasks',
  'breach-incidents/*/attachments': 'attachments',
  'breach-incidents/*/notifications': 'notifications',
  'breach-incidents/*/reassessments': 'reassessments',
  'breach-incidents/*/pack': 'reports',
  signals: 'signals',
  'signal-rules': 'signals',
  webhooks: 'webhooks',
  'webhook-secrets': 'webhook-secrets',
  assessments: 'assessments',
  regulations: 'assessments',
  notifications: 'notifications',
  workflows: 'workflows',
  settings: 'org-settings',
  'breach-register': 'reports',
  metrics: 'reports',
  'webhook-subscriptions': 'webhook-subscriptions',
};

/** The group that serves a request path; `core` (health, the OpenAPI document, the docs, and every 404) by default. */
export function routeGroupOf(path: string): RouteGroupName {
  const [, first = '', resource = '', , sub] = path.split('/');
  if (first !== 'v1') return groupOfResource[first] ?? 'core';
  return groupOfResource[sub && NESTED.has(resource) ? `${resource}/*/${sub}` : resource] ?? 'core';
}
