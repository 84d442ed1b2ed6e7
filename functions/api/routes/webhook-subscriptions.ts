import { randomBytes } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { InvalidError, NotFoundError } from '../../../domain/shared/errors';
import { newId } from '../../../domain/shared/ids';
import { urlProblem } from '../../../domain/webhooks/rules';
import {
  deliveryStatusSchema,
  publicEventTypeSchema,
  subscriptionInputSchema,
  type SigningSecret,
  type WebhookSubscription,
} from '../../../domain/webhooks/schema';
import { outgoing, webhookDeliveryRequested } from '../../../workflows/events';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, etagOf, idParam, idempotencyHeader, ifMatchFails, ifMatchHeader, pageQuery } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

/** How long the replaced secret still signs deliveries after a rotation, so receivers can switch over. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const subscriptionSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(publicEventTypeSchema),
    description: z.string(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    currentSecretId: z.string(),
    previousSecretExpiresAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookSubscription');
const withSecret = subscriptionSchema.extend({
  secret: z.string().openapi({ description: 'The signing secret (Standard Webhooks `whsec_…`); shown once' }),
});
const deliverySchema = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: deliveryStatusSchema,
    attempts: z.array(
      z.object({ at: z.string(), status: z.number().int().nullable(), latencyMs: z.number(), error: z.string().nullable() }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookDelivery');

const params = idParam('whs_01JABCDEF0123456789ABCDEFG');
const deliveryParams = params.extend({
  deliveryId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'deliveryId', in: 'path' } }),
});
const common = { tags: ['Outbound webhooks'], security: [{ bearerAuth: [] }] };

const newSecret = (now: Date): SigningSecret => ({
  id: newId('whs', now),
  secret: `whsec_${randomBytes(32).toString('base64')}`,
  createdAt: now.toISOString(),
});

/** What the API shows of a subscription: never a secret after the response that created it. */
const present = ({ secrets, audit: _audit, ...subscription }: WebhookSubscription & { audit?: unknown }) => ({
  ...subscription,
  currentSecretId: secrets.current.id,
  previousSecretExpiresAt: secrets.previous?.expiresAt ?? null,
});

/** Subscriptions to the domain events, delivered as signed CloudEvents by the `deliver-webhook` function. */
export function registerWebhookSubscriptionRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const hooks = deps.repos.webhookSubscriptions;
  const checkUrl = (url: string) => {
    const problem = urlProblem(new URL(url), deps.config.STAGE);
    if (problem) throw new InvalidError(`The webhook URL ${problem}`, [{ path: 'body.url', message: problem }]);
  };

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/webhook-subscriptions',
      operationId: 'createWebhookSubscription',
      summary: 'Subscribe a URL to domain events; the signing secret is shown once',
      middleware: [requirePermission('webhooks:manage')],
      request: { headers: idempotencyHeader, body: { required: true, ...jsonBody(subscriptionInputSchema) } },
      responses: { 201: { description: 'Subscribed', ...json(withSecret) }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      checkUrl(input.url);
      const now = deps.clock.now();
      const secret = newSecret(now);
      const at = now.toISOString();
      const subscription: WebhookSubscription = {
        id: newId('whs', now),
        ...input,
        secrets: { current: secret, previous: null },
        consecutiveFailures: 0,
        disabledReason: null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      await hooks.create(c.var.principal.orgId, subscription, actorOf(c.var.principal));
      c.header('Location', `/v1/webhook-subscriptions/${subscription.id}`);
      return c.json({ ...present(subscription), secret: secret.secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/webhook-subscriptions',
      operationId: 'listWebhookSubscriptions',
      summary: "The organisation's webhook subscriptions",
      middleware: [requirePermission('webhooks:manage')],
      responses: {
        200: { description: 'Subscriptions', ...json(z.object({ items: z.array(subscriptionSchema) })) },
        ...problemResponses(401, 403),
      },
    }),
    async (c) => c.json({ items: (await hooks.list(c.var.principal.orgId)).map(present) }, 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/webhook-subscriptions/{id}',
      operationId: 'getWebhookSubscription',
      summary: 'A webhook subscription',
      middleware: [requirePermission('webhooks:manage')],
      request: { params },
      responses: { 200: { description: 'The subscription', ...json(subscriptionSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const subscription = await hooks.get(c.var.principal.orgId, c.req.valid('param').id);
      c.header('ETag', etagOf(subscription.version));
      return c.json(present(subscription), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/v1/webhook-subscriptions/{id}',
      operationId: 'updateWebhookSubscription',
      summary: 'Change a subscription; enabling it again clears its failure streak',
      middleware: [requirePermission('webhooks:manage')],
      request: { params, headers: ifMatchHeader, body: { required: true, ...jsonBody(subscriptionInputSchema) } },
      responses: {
        200: { description: 'The subscription', ...json(subscriptionSchema) },
        ...problemResponses(400, 401, 403, 404, 409, 412),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const current = await hooks.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, current.version);
      if (stale) return stale as never;
      const input = c.req.valid('json');
      checkUrl(input.url);
      const updated = await hooks.recordChange(
        org,
        current.id,
        (latest) => ({
          action: 'webhook-subscription.updated',
          details: { url: input.url, eventTypes: input.eventTypes, enabled: input.enabled },
          set: { ...input, ...(input.enabled && !latest.enabled ? { disabledReason: null, consecutiveFailures: 0 } : {}) },
        }),
        { actor: actorOf(c.var.principal) },
      );
      c.header('ETag', etagOf(updated.version));
      return c.json(present(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/v1/webhook-subscriptions/{id}',
      operationId: 'deleteWebhookSubscription',
      summary: 'Delete a subscription (its audit trail and delivery log are kept)',
      middleware: [requirePermission('webhooks:manage')],
      request: { params, headers: ifMatchHeader },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const current = await hooks.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, current.version);
      if (stale) return stale as never;
      await hooks.remove(org, current, actorOf(c.var.principal));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/webhook-subscriptions/{id}/secret-rotations',
      operationId: 'rotateWebhookSubscriptionSecret',
      summary: 'Rotate the signing secret; the new one is shown once and the old one keeps signing for 24 hours',
      middleware: [requirePermission('webhooks:manage')],
      request: { params, headers: idempotencyHeader },
      responses: { 201: { description: 'Rotated', ...json(withSecret) }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const now = deps.clock.now();
      const secret = newSecret(now);
      const updated = await hooks.recordChange(
        c.var.principal.orgId,
        c.req.valid('param').id,
        (current) => ({
          action: 'webhook-subscription.secret-rotated',
          details: { secretId: secret.id, previousSecretId: current.secrets.current.id },
          set: {
            secrets: {
              current: secret,
              previous: { ...current.secrets.current, expiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString() },
            },
          },
        }),
        { actor: actorOf(c.var.principal) },
      );
      return c.json({ ...present(updated), secret: secret.secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/webhook-subscriptions/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: "A subscription's deliveries, newest first, with every attempt's status and latency",
      middleware: [requirePermission('webhooks:manage')],
      request: { params, query: pageQuery },
      responses: {
        200: { description: 'Deliveries', ...json(z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() })) },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const subscription = await hooks.get(org, c.req.valid('param').id);
      const { limit, cursor } = c.req.valid('query');
      const page = await hooks.listDeliveries(org, subscription.id, limit, cursor);
      return c.json({ items: page.items.map(({ event: _event, ...delivery }) => delivery), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/webhook-subscriptions/{id}/deliveries/{deliveryId}/redeliveries',
      operationId: 'redeliverWebhookDelivery',
      summary: 'Deliver an event again (a new delivery with its own attempts)',
      middleware: [requirePermission('webhooks:manage')],
      request: { params: deliveryParams, headers: idempotencyHeader },
      responses: {
        202: { description: 'Requested', ...json(z.object({ deliveryId: z.string() })) },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const { id, deliveryId } = c.req.valid('param');
      const original = await hooks.getDelivery(org, id, deliveryId).catch((error) => {
        throw error instanceof NotFoundError ? new NotFoundError(`Subscription ${id} has no delivery ${deliveryId}`) : error;
      });
      const now = deps.clock.now();
      const redelivery = newId('dlv', now);
      await hooks.recordChange(
        org,
        id,
        () => ({
          action: 'webhook-delivery.redelivery-requested',
          details: { deliveryId, redeliveryId: redelivery, eventId: original.eventId },
          set: {},
          events: [
            outgoing(
              webhookDeliveryRequested,
              { orgId: org, subscriptionId: id, deliveryId: redelivery, event: original.event },
              { id: `${original.eventId}:${id}:${redelivery}`, ts: now.getTime() },
            ),
          ],
        }),
        { actor: actorOf(c.var.principal) },
      );
      return c.json({ deliveryId: redelivery }, 202);
    },
  );
}
