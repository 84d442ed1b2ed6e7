import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { appendAuditEntry, emptyChain } from '../../../domain/audit/chain';
import { InvalidError } from '../../../domain/shared/errors';
import { DEFAULT_SECRET_GRACE_S, planSecretRotation } from '../../../domain/signals/secrets';
import { signalSourceSchema, webhookSecretInputSchema, type SignalSource } from '../../../domain/signals/schema';
import { ulid } from 'ulid';
import { describeSecret, type WebhookSecret } from '../../../domain/signals/webhook-secret';
import { generateStandardWebhookSecret, isStandardWebhookSecret } from '../../webhooks/signatures';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const secretSchema = z
  .object({
    source: signalSourceSchema,
    currentSecretId: z.string(),
    currentCreatedAt: z.string(),
    previousSecretId: z.string().nullable(),
    previousExpiresAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookSecret');
/** Only the response to creation or rotation carries a generated secret, once. */
const issuedSchema = secretSchema.extend({ secret: z.string().optional(), webhookUrl: z.string() }).openapi('WebhookSecretIssued');

const sourceParam = z.object({
  source: z.enum(signalSourceSchema.options).openapi({ param: { name: 'source', in: 'path' }, example: 'sentry' }),
});
const common = { tags: ['Webhooks'], security: [{ bearerAuth: [] }], middleware: [requirePermission('webhooks:manage')] };

/** Sentry issues its client secret (so it is supplied); audit-log secrets are Standard Webhooks `whsec_` keys. */
function resolveSecret(source: SignalSource, supplied: string | undefined): { secret: string; generated: boolean } {
  if (source === 'sentry') {
    if (!supplied)
      throw new InvalidError('Sentry signs with the integration client secret; supply it', [
        { path: 'body.secret', message: "required: the Sentry integration's client secret" },
      ]);
    return { secret: supplied, generated: false };
  }
  if (supplied === undefined) return { secret: generateStandardWebhookSecret(), generated: true };
  if (!isStandardWebhookSecret(supplied))
    throw new InvalidError('Not a Standard Webhooks secret', [
      { path: 'body.secret', message: 'whsec_ followed by at least 16 base64-encoded bytes' },
    ]);
  return { secret: supplied, generated: false };
}

export function registerWebhookSecretRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const secrets = deps.repos.webhookSecrets;
  const issued = (org: string, record: WebhookSecret, secret: string | undefined) => ({
    ...describeSecret(record),
    ...(secret ? { secret } : {}),
    webhookUrl: `/v1/webhooks/${record.source}/${org}`,
  });

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/webhook-secrets',
      operationId: 'listWebhookSecrets',
      summary: 'Configured webhook secrets (ids and dates only; a secret is never shown again)',
      responses: { 200: { description: 'Secrets', ...json(z.object({ items: z.array(secretSchema) })) }, ...problemResponses(401, 403) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const found = await Promise.all(signalSourceSchema.options.map((source) => secrets.find(org, source)));
      return c.json({ items: found.flatMap((s) => (s ? [describeSecret(s)] : [])) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/webhook-secrets/{source}',
      operationId: 'createWebhookSecret',
      summary: "Create the source's webhook secret (409 if one exists: rotate it instead)",
      request: { params: sourceParam, body: { required: false, ...jsonBody(webhookSecretInputSchema) } },
      responses: { 201: { description: 'Created', ...json(issuedSchema) }, ...problemResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const source = c.req.valid('param').source;
      const { secret, generated } = resolveSecret(source, c.req.valid('json')?.secret);
      const now = deps.clock.now();
      const at = now.toISOString();
      const current = { id: `whk_${ulid(now.getTime())}`, secret, createdAt: at };
      const { entry, chain } = appendAuditEntry(emptyChain, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'webhook-secret.created',
        details: { source, secretId: current.id },
      });
      const record: WebhookSecret = { source, current, previous: null, version: 1, createdAt: at, updatedAt: at, audit: chain };
      await secrets.save(org, record, 0, entry);
      return c.json(issued(org, record, generated ? secret : undefined), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/webhook-secrets/{source}/rotate',
      operationId: 'rotateWebhookSecret',
      summary: 'Replace the secret; the old one stays valid for graceSeconds (default 24 hours)',
      request: { params: sourceParam, body: { required: false, ...jsonBody(webhookSecretInputSchema) } },
      responses: { 200: { description: 'Rotated', ...json(issuedSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const source = c.req.valid('param').source;
      const input = c.req.valid('json') ?? {};
      const existing = await secrets.get(org, source);
      const { secret, generated } = resolveSecret(source, input.secret);
      const now = deps.clock.now();
      const next = { id: `whk_${ulid(now.getTime())}`, secret, createdAt: now.toISOString() };
      const graceSeconds = input.graceSeconds ?? DEFAULT_SECRET_GRACE_S;
      const { entry, chain } = appendAuditEntry(existing.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'webhook-secret.rotated',
        details: { source, secretId: next.id, replacedSecretId: existing.current.id, graceSeconds },
      });
      const record = { ...planSecretRotation(existing, next, graceSeconds, now), audit: chain };
      await secrets.save(org, record, existing.version, entry);
      return c.json(issued(org, record, generated ? secret : undefined), 200);
    },
  );
}
