import { randomBytes } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ulid } from 'ulid';
import { appendAuditEntry, emptyChain } from '../../../domain/audit/chain';
import { ConflictError } from '../../../domain/shared/errors';
import { hashSubmissionKey, keyHint } from '../../../domain/web-forms/submission-keys';
import { describeSubmissionKey, type StoredSubmissionKey } from '../../../domain/web-forms/submission-keys';
import { embedFor } from '../../web-forms/embed';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, problemResponses } from '../openapi-common';

const keySchema = z
  .object({
    id: z.string(),
    formId: z.string(),
    hint: z.string(),
    status: z.enum(['active', 'revoked']),
    version: z.number().int(),
    createdAt: z.string(),
    rotatedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('SubmissionKey');
const embedSchema = z.object({ url: z.string(), iframeHtml: z.string() }).openapi('WebFormEmbed');
/** Only creation and rotation show the key itself, once; it is stored hashed. */
const issuedSchema = keySchema.extend({ key: z.string(), embed: embedSchema }).openapi('SubmissionKeyIssued');

const formParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'form_standard_breach_report' }),
});
const keyParams = formParam.extend({
  keyId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'keyId', in: 'path' }, example: 'fsk_01J0000000000000000000000' }),
});
const common = { tags: ['Web forms'], security: [{ bearerAuth: [] }] };

const generateKey = (now: Date) => {
  const id = `fsk_${ulid(now.getTime())}`;
  return { id, key: `${id}_${randomBytes(32).toString('base64url')}` };
};
const newCsrfSecret = () => randomBytes(32).toString('base64url');

/** Per-form public submission keys for the embeddable web form: create, list, rotate, revoke; and the embed snippet. */
export function registerSubmissionKeyRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const keys = deps.repos.submissionKeys;
  const forms = deps.repos.forms;
  const baseUrl = (c: Context) => deps.config.PUBLIC_BASE_URL ?? new URL(c.req.url).origin;
  const issued = (c: Context, org: string, formName: string, record: StoredSubmissionKey, key: string) => ({
    ...describeSubmissionKey(record),
    key,
    embed: embedFor(baseUrl(c), org, record.formId, formName, key),
  });

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-intake-forms/{id}/embed',
      operationId: 'getIntakeFormEmbed',
      summary: "The form's public page URL and <iframe> snippet ({submissionKey} stands for one of its keys)",
      middleware: [requirePermission('breach-forms:view')],
      request: { params: formParam },
      responses: { 200: { description: 'Embed snippet', ...json(embedSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      return c.json(embedFor(baseUrl(c), org, form.id, form.name), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-intake-forms/{id}/submission-keys',
      operationId: 'listSubmissionKeys',
      summary: "The form's submission keys (ids, hints and dates; a key is never shown again)",
      middleware: [requirePermission('breach-forms:view')],
      request: { params: formParam },
      responses: { 200: { description: 'Keys', ...json(z.object({ items: z.array(keySchema) })) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      return c.json({ items: (await keys.list(org, form.id)).map(describeSubmissionKey) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-intake-forms/{id}/submission-keys',
      operationId: 'createSubmissionKey',
      summary: 'Create a public submission key: it lets anyone with the page create incidents on this form only',
      middleware: [requirePermission('breach-forms:edit')],
      request: { params: formParam },
      responses: { 201: { description: 'Created; the key is shown once', ...json(issuedSchema) }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      const now = deps.clock.now();
      const at = now.toISOString();
      const { id, key } = generateKey(now);
      const { entry, chain } = appendAuditEntry(emptyChain, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'submission-key.created',
        details: { formId: form.id, keyId: id },
      });
      const record: StoredSubmissionKey = {
        id,
        formId: form.id,
        keyHash: hashSubmissionKey(key),
        csrfSecret: newCsrfSecret(),
        hint: keyHint(key),
        status: 'active',
        version: 1,
        createdAt: at,
        rotatedAt: null,
        revokedAt: null,
        audit: chain,
      };
      await keys.save(org, record, 0, entry);
      c.header('Location', `/v1/breach-intake-forms/${form.id}/submission-keys/${id}`);
      return c.json(issued(c, org, form.name, record, key), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-intake-forms/{id}/submission-keys/{keyId}/rotate',
      operationId: 'rotateSubmissionKey',
      summary: 'Replace the key (same id); the old key and pages rendered with it stop working at once',
      middleware: [requirePermission('breach-forms:edit')],
      request: { params: keyParams },
      responses: {
        200: { description: 'Rotated; the new key is shown once', ...json(issuedSchema) },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const { id: formId, keyId } = c.req.valid('param');
      const form = await forms.get(org, formId);
      const existing = await keys.get(org, form.id, keyId);
      if (existing.status === 'revoked') throw new ConflictError(`Submission key ${keyId} is revoked; create a new key instead`);
      const now = deps.clock.now();
      const key = `${existing.id}_${randomBytes(32).toString('base64url')}`;
      const { entry, chain } = appendAuditEntry(existing.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'submission-key.rotated',
        details: { formId: form.id, keyId },
      });
      const record: StoredSubmissionKey = {
        ...existing,
        keyHash: hashSubmissionKey(key),
        csrfSecret: newCsrfSecret(),
        hint: keyHint(key),
        version: existing.version + 1,
        rotatedAt: now.toISOString(),
        audit: chain,
      };
      await keys.save(org, record, existing.version, entry);
      return c.json(issued(c, org, form.name, record, key), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/v1/breach-intake-forms/{id}/submission-keys/{keyId}',
      operationId: 'revokeSubmissionKey',
      summary: 'Revoke the key: its pages show a notice and its submissions are refused (the record stays, for the audit trail)',
      middleware: [requirePermission('breach-forms:edit')],
      request: { params: keyParams },
      responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const { id: formId, keyId } = c.req.valid('param');
      const existing = await keys.get(org, formId, keyId);
      if (existing.status === 'revoked') return c.body(null, 204);
      const now = deps.clock.now();
      const { entry, chain } = appendAuditEntry(existing.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'submission-key.revoked',
        details: { formId, keyId },
      });
      await keys.save(
        org,
        { ...existing, status: 'revoked', version: existing.version + 1, revokedAt: now.toISOString(), audit: chain },
        existing.version,
        entry,
      );
      return c.body(null, 204);
    },
  );
}
