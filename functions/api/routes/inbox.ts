import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { audienceKey, audiencesOf } from '../../../domain/inbox/rules';
import { NotFoundError } from '../../../domain/shared/errors';
import { assigneeSchema } from '../../../domain/tasks/schema';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { pageQuery } from '../http-helpers';
import { json, problemResponses } from '../openapi-common';

const messageSchema = z
  .object({
    id: z.string(),
    audience: assigneeSchema,
    incidentId: z.string(),
    purpose: z.string(),
    subject: z.string(),
    text: z.string(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .openapi('InboxMessage');
const unreadSchema = z.object({
  count: z.number().int(),
  capped: z.boolean().openapi({ description: 'true when there are at least this many (the count stops at 1000)' }),
});
const messageParams = z.object({
  messageId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'messageId', in: 'path' } }),
});
const common = { tags: ['Inbox'], security: [{ bearerAuth: [] }] };

/** The caller's in-app inbox: what was emailed to their roles, teams or user, and tasks assigned to them. */
export function registerInboxRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { inbox } = deps.repos;

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/me/notifications',
      operationId: 'listMyNotifications',
      summary: "The caller's in-app notifications, newest first, with the unread count",
      request: { query: pageQuery },
      responses: {
        200: {
          description: 'A page of the inbox',
          ...json(z.object({ items: z.array(messageSchema), nextCursor: z.string().nullable(), unread: unreadSchema })),
        },
        ...problemResponses(400, 401),
      },
    }),
    async (c) => {
      const { orgId, subject } = c.var.principal;
      const audiences = audiencesOf(c.var.principal);
      const { limit, cursor } = c.req.valid('query');
      const [page, unread] = await Promise.all([
        inbox.page(orgId, subject, audiences, { limit, cursor }),
        inbox.unreadCount(orgId, subject, audiences),
      ]);
      return c.json({ ...page, unread }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/me/notifications/{messageId}/read',
      operationId: 'markMyNotificationRead',
      summary: 'Mark one of the caller’s notifications read',
      request: { params: messageParams },
      responses: {
        200: { description: 'Read; the unread count now', ...json(z.object({ unread: unreadSchema })) },
        ...problemResponses(401, 404),
      },
    }),
    async (c) => {
      const { orgId, subject } = c.var.principal;
      const audiences = audiencesOf(c.var.principal);
      const { messageId } = c.req.valid('param');
      const message = await inbox.find(orgId, messageId);
      // Someone else's message is as absent as a message that does not exist.
      if (!message || !audiences.some((a) => audienceKey(a) === audienceKey(message.audience)))
        throw new NotFoundError(`Notification ${messageId} not found in your inbox`);
      await inbox.markRead(orgId, subject, messageId, deps.clock.now());
      return c.json({ unread: await inbox.unreadCount(orgId, subject, audiences) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/me/notifications/read-all',
      operationId: 'markAllMyNotificationsRead',
      summary: 'Mark every notification delivered so far read',
      responses: {
        200: { description: 'Read; the unread count now', ...json(z.object({ unread: unreadSchema })) },
        ...problemResponses(401),
      },
    }),
    async (c) => {
      const { orgId, subject } = c.var.principal;
      await inbox.markAllRead(orgId, subject, deps.clock.now());
      return c.json({ unread: await inbox.unreadCount(orgId, subject, audiencesOf(c.var.principal)) }, 200);
    },
  );
}
