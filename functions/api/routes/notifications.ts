import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  acknowledgementInputSchema,
  notificationInputSchema,
  notificationResponseSchema,
  notificationSchema,
  responseInputSchema,
} from '../../../domain/notifications/schema';
import { createNotificationService } from '../../services/notification-service';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, idempotencyHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const common = { tags: ['Notifications'], security: [{ bearerAuth: [] }] };

/** Drafted from a template with the register's facts, approved, sent by the workflow, acknowledged by the recipient. */
export function registerNotificationRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const service = createNotificationService(deps);

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/notifications',
      operationId: 'draftNotification',
      summary: "Draft a notification from the obligation's template (or a given one); missing facts are listed",
      middleware: [requirePermission('notifications:send')],
      request: { params: idParams, headers: idempotencyHeader, body: { required: true, ...jsonBody(notificationInputSchema) } },
      responses: { 201: { description: 'The draft', ...json(notificationSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      return c.json(await service.draft(org, c.req.valid('param').id, c.req.valid('json'), actorOf(c.var.principal)), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/notifications',
      operationId: 'listIncidentNotifications',
      summary: "An incident's notifications with delivery and acknowledgement status",
      middleware: [requirePermission('notifications:view')],
      request: { params: idParams },
      responses: {
        200: { description: 'Notifications', ...json(z.object({ items: z.array(notificationSchema) })) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      return c.json({ items: (await deps.repos.incidents.getAggregate(org, c.req.valid('param').id)).notifications }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/notifications/{id}',
      operationId: 'getNotification',
      summary: 'A notification',
      middleware: [requirePermission('notifications:view')],
      request: { params: idParams },
      responses: { 200: { description: 'The notification', ...json(notificationSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await deps.repos.notifications.get(c.var.principal.orgId, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/notifications/{id}/approve',
      operationId: 'approveNotification',
      summary: 'Approve a complete draft for sending; the workflow then sends it, one recipient per step',
      middleware: [requirePermission('breach-tasks:approve')],
      request: { params: idParams, headers: idempotencyHeader },
      responses: { 200: { description: 'Approved', ...json(notificationSchema) }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.approve(c.var.principal.orgId, c.req.valid('param').id, actorOf(c.var.principal)), 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/notifications/{id}/acknowledgements',
      operationId: 'recordNotificationAcknowledgement',
      summary: "Record the recipient's acknowledgement (e.g. the regulator's reference)",
      middleware: [requirePermission('notifications:acknowledge')],
      request: { params: idParams, headers: idempotencyHeader, body: { required: true, ...jsonBody(acknowledgementInputSchema) } },
      responses: { 201: { description: 'Acknowledged', ...json(notificationSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(await service.acknowledge(c.var.principal.orgId, c.req.valid('param').id, c.req.valid('json'), actorOf(c.var.principal)), 201),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/notifications/{id}/responses',
      operationId: 'recordNotificationResponse',
      summary: "Record a reply: the recipient's case reference, a request for information (opens a task due when the answer is), or a note",
      middleware: [requirePermission('notifications:acknowledge')],
      request: { params: idParams, headers: idempotencyHeader, body: { required: true, ...jsonBody(responseInputSchema) } },
      responses: {
        201: { description: 'Recorded', ...json(z.object({ response: notificationResponseSchema, notification: notificationSchema })) },
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) =>
      c.json(await service.respond(c.var.principal.orgId, c.req.valid('param').id, c.req.valid('json'), actorOf(c.var.principal)), 201),
  );
}
