import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { appendAuditEntry, emptyChain, verifyAuditChain } from '../../../domain/audit/chain';
import {
  fieldsInputSchema,
  formFieldSchema,
  formInputSchema,
  formVersionStatusSchema,
  type FormVersion,
} from '../../../domain/intake-forms/schema';
import { planFieldEdit, planPublish } from '../../../domain/intake-forms/rules';
import { newId } from '../../../domain/shared/ids';
import type { StoredForm } from '../../../domain/intake-forms/schema';
import { embedFor } from '../../web-forms/embed';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, etagOf, idParam, idempotencyHeader, ifMatchFails, ifMatchHeader, pageQuery } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { auditEntryResponseSchema, auditVerificationSchema, json, jsonBody, problemResponses } from '../openapi-common';

const versionSchema = z
  .object({
    formId: z.string(),
    number: z.number().int(),
    status: formVersionStatusSchema,
    fields: z.array(formFieldSchema),
    createdAt: z.string(),
    publishedAt: z.string().optional(),
    archivedAt: z.string().optional(),
  })
  .openapi('IntakeFormVersion');
const versionSummarySchema = versionSchema
  .omit({ fields: true })
  .extend({ fieldCount: z.number().int() })
  .openapi('IntakeFormVersionSummary');
const formSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    latestVersion: z.number().int(),
    publishedVersion: z.number().int().nullable(),
    draftVersion: z.number().int().nullable(),
    incidentCount: z.number().int().optional().openapi({ description: "How many incidents use the form (on a single form's GET)" }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('IntakeForm');
const formDetailSchema = formSchema
  .extend({
    published: versionSchema.nullable(),
    draft: versionSchema.nullable(),
    versions: z.array(versionSummarySchema),
    embed: z
      .object({ url: z.string(), iframeHtml: z.string() })
      .openapi({ description: 'The public web form; {submissionKey} stands for one of its submission keys' }),
  })
  .openapi('IntakeFormDetail');

const params = idParam('form_standard_breach_report');
const versionParams = params.extend({
  n: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'n', in: 'path' }, example: 1 }),
});
const common = { tags: ['Intake forms'], security: [{ bearerAuth: [] }] };

const presentForm = ({ audit: _audit, deletingAt: _deleting, ...form }: StoredForm) => form;
const summarise = ({ fields, ...version }: FormVersion) => ({ ...version, fieldCount: fields.length });

export function registerIntakeFormRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const forms = deps.repos.forms;

  async function detail(org: string, form: StoredForm) {
    const versions = await forms.listVersions(org, form.id);
    const find = (n: number | null) => versions.find((v) => v.number === n) ?? null;
    const embed = embedFor(deps.config.PUBLIC_BASE_URL ?? '', org, form.id, form.name);
    return {
      ...presentForm(form),
      published: find(form.publishedVersion),
      draft: find(form.draftVersion),
      versions: versions.map(summarise),
      embed,
    };
  }

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-intake-forms',
      operationId: 'createIntakeForm',
      summary: 'Create an intake form (version 1, in DRAFT)',
      middleware: [requirePermission('breach-forms:create')],
      request: { headers: idempotencyHeader, body: { required: true, ...jsonBody(formInputSchema) } },
      responses: { 201: { description: 'Created', ...json(formDetailSchema) }, ...problemResponses(400, 401, 403, 422) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const now = deps.clock.now();
      const input = c.req.valid('json');
      const id = newId('form', now);
      const { entry, chain } = appendAuditEntry(emptyChain, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'form.created',
        details: input,
      });
      const at = now.toISOString();
      const form: StoredForm = {
        id,
        ...input,
        latestVersion: 1,
        publishedVersion: null,
        draftVersion: 1,
        version: 1,
        createdAt: at,
        updatedAt: at,
        audit: chain,
      };
      await forms.create(org, form, { formId: id, number: 1, status: 'DRAFT', fields: [], createdAt: at }, entry);
      c.header('Location', `/v1/breach-intake-forms/${id}`);
      c.header('ETag', etagOf(form.version));
      return c.json(await detail(org, form), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-intake-forms',
      operationId: 'listIntakeForms',
      summary: 'List intake forms',
      middleware: [requirePermission('breach-forms:list')],
      request: { query: pageQuery },
      responses: {
        200: { description: 'A page of forms', ...json(z.object({ items: z.array(formSchema), nextCursor: z.string().nullable() })) },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await forms.list(c.var.principal.orgId, limit, cursor);
      return c.json({ items: page.items.map(presentForm), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-intake-forms/{id}',
      operationId: 'getIntakeForm',
      summary: 'Get a form with its published version, its draft and its version history',
      middleware: [requirePermission('breach-forms:view')],
      request: { params },
      responses: { 200: { description: 'The form', ...json(formDetailSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      c.header('ETag', etagOf(form.version));
      return c.json({ ...(await detail(org, form)), incidentCount: await forms.incidentCount(org, form.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/v1/breach-intake-forms/{id}',
      operationId: 'updateIntakeForm',
      summary: "Change a form's name and description",
      middleware: [requirePermission('breach-forms:edit')],
      request: { params, headers: ifMatchHeader, body: { required: true, ...jsonBody(formInputSchema) } },
      responses: { 200: { description: 'Updated', ...json(formDetailSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, form.version);
      if (stale) return stale as never;
      const now = deps.clock.now();
      const input = c.req.valid('json');
      const { entry, chain } = appendAuditEntry(form.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'form.updated',
        details: input,
      });
      await forms.rename(org, form, input, now, entry, chain);
      const updated = await forms.get(org, form.id);
      c.header('ETag', etagOf(updated.version));
      return c.json(await detail(org, updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/v1/breach-intake-forms/{id}',
      operationId: 'deleteIntakeForm',
      summary: 'Delete a form no incident references',
      middleware: [requirePermission('breach-forms:delete')],
      request: { params, headers: ifMatchHeader },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, form.version);
      if (stale) return stale as never;
      const { entry } = appendAuditEntry(form.audit, {
        at: deps.clock.now(),
        actor: actorOf(c.var.principal),
        action: 'form.deleted',
        details: { name: form.name },
      });
      await forms.remove(org, form, entry);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/v1/breach-intake-forms/{id}/fields',
      operationId: 'replaceIntakeFormFields',
      summary: "Replace the draft's fields (a published version is never edited: a new draft is made from it)",
      middleware: [requirePermission('breach-forms:edit')],
      request: { params, headers: ifMatchHeader, body: { required: true, ...jsonBody(fieldsInputSchema) } },
      responses: {
        200: { description: 'The form with its draft', ...json(formDetailSchema) },
        ...problemResponses(400, 401, 403, 404, 409, 412),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, form.version);
      if (stale) return stale as never;
      const plan = planFieldEdit(form, c.req.valid('json').fields);
      const now = deps.clock.now();
      const { entry, chain } = appendAuditEntry(form.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: plan.createsDraft ? 'form.draft.created' : 'form.draft.edited',
        details: { version: plan.versionNumber, fieldKeys: plan.fields.map((f) => f.key) },
      });
      await forms.writeFields(org, form, plan, now, entry, chain);
      const updated = await forms.get(org, form.id);
      c.header('ETag', etagOf(updated.version));
      return c.json(await detail(org, updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-intake-forms/{id}/publish',
      operationId: 'publishIntakeForm',
      summary: 'Publish the draft; the previously published version is archived in the same transaction',
      middleware: [requirePermission('breach-forms:edit')],
      request: { params, headers: ifMatchHeader.merge(idempotencyHeader) },
      responses: { 200: { description: 'Published', ...json(formDetailSchema) }, ...problemResponses(401, 403, 404, 409, 412, 422) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, form.version);
      if (stale) return stale as never;
      const draft = form.draftVersion === null ? undefined : await forms.getVersion(org, form.id, form.draftVersion).catch(() => undefined);
      const plan = planPublish(form, draft);
      const now = deps.clock.now();
      const { entry, chain } = appendAuditEntry(form.audit, {
        at: now,
        actor: actorOf(c.var.principal),
        action: 'form.published',
        details: { published: plan.publish, archived: plan.archive },
      });
      await forms.publish(org, form, plan, now, entry, chain);
      const updated = await forms.get(org, form.id);
      c.header('ETag', etagOf(updated.version));
      return c.json(await detail(org, updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-intake-forms/{id}/versions',
      operationId: 'listIntakeFormVersions',
      summary: "A form's versions, oldest first",
      middleware: [requirePermission('breach-forms:view')],
      request: { params },
      responses: {
        200: { description: 'Versions', ...json(z.object({ items: z.array(versionSummarySchema) })) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const form = await forms.get(org, c.req.valid('param').id);
      return c.json({ items: (await forms.listVersions(org, form.id)).map(summarise) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-intake-forms/{id}/versions/{n}',
      operationId: 'getIntakeFormVersion',
      summary: 'One version of a form with its fields',
      middleware: [requirePermission('breach-forms:view')],
      request: { params: versionParams },
      responses: { 200: { description: 'The version', ...json(versionSchema) }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, n } = c.req.valid('param');
      return c.json(await forms.getVersion(c.var.principal.orgId, id, n), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-intake-forms/{id}/audit',
      operationId: 'getIntakeFormAudit',
      summary: "The form's audit chain with its verification",
      middleware: [requirePermission('breach-forms:view')],
      request: { params },
      responses: {
        200: {
          description: 'Entries, oldest first',
          ...json(z.object({ items: z.array(auditEntryResponseSchema), verification: auditVerificationSchema })),
        },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const id = c.req.valid('param').id;
      const entries = await deps.repos.incidents.listFormAudit(org, id);
      if (entries.length === 0) await forms.get(org, id);
      return c.json({ items: entries, verification: verifyAuditChain(entries) }, 200);
    },
  );
}
