import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { attachmentRequestSchema, attachmentSchema } from '../../../domain/attachments/schema';
import { createAttachmentService } from '../../services/attachment-service';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, idempotencyHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const incidentParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'inc_01JABCDEF0123456789ABCDEFG' }),
});
const attachmentParams = incidentParams.extend({
  attachmentId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'attachmentId', in: 'path' }, example: 'att_01JABCDEF0123456789ABCDEFG' }),
});
const presignedSchema = z
  .object({
    url: z.string(),
    method: z.enum(['PUT', 'GET']),
    headers: z.record(z.string(), z.string()).openapi({ description: 'Headers the signature covers: send them exactly' }),
    expiresAt: z.string(),
  })
  .openapi('PresignedRequest');
const attachmentView = attachmentSchema.omit({ objectKey: true }).openapi('Attachment');
const common = { tags: ['Evidence'], security: [{ bearerAuth: [] }] };
const present = ({ objectKey: _key, ...attachment }: z.infer<typeof attachmentSchema>) => attachment;

/** The evidence vault's routes: request an upload, confirm it, list, download (audited) and withdraw. */
export function registerAttachmentRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const service = createAttachmentService(deps);

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/attachments',
      operationId: 'requestAttachmentUpload',
      summary: 'Declare a file (name, type, size, SHA-256) and get a presigned upload for it',
      description:
        'The upload is a PUT of exactly the declared bytes to `upload.url` with `upload.headers`, within five minutes. The file becomes evidence only when `…/complete` has verified its size, type and SHA-256.',
      middleware: [requirePermission('breach-attachments:upload')],
      request: { params: incidentParams, headers: idempotencyHeader, body: { required: true, ...jsonBody(attachmentRequestSchema) } },
      responses: {
        201: {
          description: 'The pending attachment and its upload',
          ...json(z.object({ attachment: attachmentView, upload: presignedSchema })),
        },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { attachment, upload } = await service.request(
        c.var.principal.orgId,
        c.req.valid('param').id,
        c.req.valid('json'),
        actorOf(c.var.principal),
      );
      c.header('Location', `/v1/breach-incidents/${attachment.incidentId}/attachments/${attachment.id}`);
      return c.json({ attachment: present(attachment), upload }, 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/attachments/{attachmentId}/complete',
      operationId: 'completeAttachmentUpload',
      summary: 'Confirm an upload: the stored file is checked against the declared size, type and SHA-256',
      middleware: [requirePermission('breach-attachments:upload')],
      request: { params: attachmentParams },
      responses: {
        200: { description: 'Verified: the file is evidence, its hash on the audit chain', ...json(attachmentView) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid('param');
      return c.json(present(await service.complete(c.var.principal.orgId, id, attachmentId, actorOf(c.var.principal))), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/attachments',
      operationId: 'listAttachments',
      summary: "An incident's attachments, pending, verified, refused and withdrawn",
      middleware: [requirePermission('breach-incidents:view')],
      request: { params: incidentParams },
      responses: {
        200: { description: 'Attachments', ...json(z.object({ items: z.array(attachmentView) })) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const items = await service.list(c.var.principal.orgId, c.req.valid('param').id);
      return c.json({ items: items.map(present) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/attachments/{attachmentId}',
      operationId: 'getAttachment',
      summary: 'One attachment',
      middleware: [requirePermission('breach-incidents:view')],
      request: { params: attachmentParams },
      responses: { 200: { description: 'The attachment', ...json(attachmentView) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid('param');
      return c.json(present(await service.get(c.var.principal.orgId, id, attachmentId)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/attachments/{attachmentId}/download',
      operationId: 'downloadAttachment',
      summary: 'A short-lived download URL for the verified file; the download is recorded on the audit chain',
      middleware: [requirePermission('breach-attachments:download')],
      request: { params: attachmentParams },
      responses: {
        200: { description: 'A presigned GET of the verified version', ...json(presignedSchema) },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid('param');
      return c.json(await service.download(c.var.principal.orgId, id, attachmentId, actorOf(c.var.principal)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/attachments/{attachmentId}/withdraw',
      operationId: 'withdrawAttachment',
      summary: 'Withdraw an attachment: audited, the file kept (under legal hold where the organisation says so)',
      middleware: [requirePermission('breach-attachments:withdraw')],
      request: {
        params: attachmentParams,
        headers: idempotencyHeader,
        body: { required: true, ...jsonBody(z.object({ reason: z.string().trim().min(1, 'required: why it is withdrawn').max(2000) })) },
      },
      responses: { 200: { description: 'Withdrawn', ...json(attachmentView) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, attachmentId } = c.req.valid('param');
      return c.json(
        present(await service.withdraw(c.var.principal.orgId, id, attachmentId, c.req.valid('json').reason, actorOf(c.var.principal))),
        200,
      );
    },
  );
}
