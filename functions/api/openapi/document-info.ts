import type { OpenAPIHono } from '@hono/zod-openapi';

/**
 * The parts of the OpenAPI document that no route states: info, licence, tags and security schemes.
 *
 * Conventions every route follows (the lint test in test/integration/openapi-lint.test.ts enforces the first):
 * - `operationId`: camelCase verb + noun, stable once published (generated clients name methods after it):
 *   `list…` / `get…` / `create…` / `update…` (partial or whole-resource PUT) / `replace…` (a collection or settings
 *   replaced whole) / `delete…`, or the domain verb (`publishIntakeForm`, `transitionBreachIncident`,
 *   `recordObligationFiling`, `receiveSentryWebhook`).
 * - `tags`: one of `openApiTags` below.
 * - `security`: `bearerAuth` for every /v1 route but the webhooks, which name their signature scheme.
 */
export const openApiInfo = {
  title: 'Breach Response API',
  version: '1.0.0',
  description:
    'Personal-data breach management: intake forms, incidents, workflows, regulatory clocks and notifications. ' +
    'Errors are RFC 9457 `application/problem+json`; POSTs accept an `Idempotency-Key`; updates take `If-Match`.',
  // OpenAPI 3.1 names a licence by its SPDX identifier (LICENSE at the repository root).
  license: { name: 'Apache License 2.0', identifier: 'Apache-2.0' },
};

export const openApiTags = [
  { name: 'Platform', description: 'Health, the caller and the organisation settings.' },
  { name: 'Breach types', description: 'The kinds of breach an incident is filed under; seven built-in types per organisation.' },
  { name: 'Intake forms', description: 'Versioned intake forms: a draft is edited, published versions never change.' },
  { name: 'Web forms', description: 'Public intake pages of a form and the submission keys that authorise them.' },
  { name: 'Breach incidents', description: 'The incident register: submission, triage results, stage transitions, comments, audit trail.' },
  {
    name: 'Inbox',
    description: "The caller's in-app notifications: what the workflows email to their roles, teams or user, and tasks assigned to them.",
  },
  { name: 'Evidence', description: 'Files attached to an incident: presigned uploads, verified and retained, downloaded or withdrawn.' },
  { name: 'Obligations', description: 'Regulatory notification duties of an incident: filings and decisions not to notify.' },
  { name: 'Tasks', description: "Work opened by an incident's workflow stages: assignment, completion, approvals." },
  { name: 'Notifications', description: 'Notices to regulators and data subjects: drafts, approval, sending, acknowledgements.' },
  { name: 'Workflows', description: 'Versioned response workflows: stages, transitions, tasks and SLAs.' },
  { name: 'Assessments', description: 'Stateless breach assessment (risk, severity, obligations) and notice rendering.' },
  { name: 'Regulations', description: 'The regulations catalog: regimes, authorities, rules and deadlines.' },
  { name: 'Signals', description: 'Signals received from monitoring webhooks, their rules, promotion and dismissal.' },
  { name: 'Webhooks', description: 'Inbound webhooks (signed, not token-authenticated) and their secrets.' },
  { name: 'Outbound webhooks', description: 'Subscriptions that receive domain events, signed, with a delivery log.' },
  { name: 'Reports', description: 'The breach register, the regulator pack and response metrics.' },
];

export const securitySchemes = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A JWT carrying the organisation and roles or permissions (locally: `npm run token`).',
  },
  sentrySignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Sentry-Hook-Signature',
    description:
      "Hex HMAC-SHA256 of the raw body with the Sentry integration's client secret (see POST /v1/webhook-secrets/sentry); " +
      'sent with `Sentry-Hook-Timestamp`. Not a static key: each delivery is signed.',
  },
  standardWebhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description:
      'Standard Webhooks signature `v1,<base64 HMAC-SHA256>` of `{webhook-id}.{webhook-timestamp}.{body}` with the ' +
      'audit-log secret (see POST /v1/webhook-secrets/audit-log); `webhook-timestamp` must be within 5 minutes.',
  },
} as const;

// biome-ignore lint/suspicious/noExplicitAny: any Hono app whatever its environment (Hono's generics are invariant)
export function registerSecuritySchemes(app: OpenAPIHono<any>) {
  for (const [name, scheme] of Object.entries(securitySchemes)) app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
}
