import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { newId } from '../../../domain/shared/ids';
import { DEFAULT_WORKFLOW } from '../../../domain/workflow/default-workflow';
import { validateWorkflowDefinition } from '../../../domain/workflow/rules';
import { workflowInputSchema, type Workflow } from '../../../domain/workflow/schema';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { etagOf, idempotencyHeader, ifMatchFails, ifMatchHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const params = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'wf_default_breach' }),
});
const versionParams = params.extend({
  n: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'n', in: 'path' }, example: 1 }),
});
const common = { tags: ['Workflows'], security: [{ bearerAuth: [] }] };

const versionSchema = z
  .object({
    workflowId: z.string(),
    number: z.number().int(),
    definition: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .openapi('WorkflowVersion');
const workflowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    currentVersion: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    current: versionSchema,
    versions: z.array(z.object({ number: z.number().int(), createdAt: z.string(), createdBy: z.string() })),
    usedForNewIncidents: z.boolean(),
  })
  .openapi('Workflow');

/** Configurable, versioned workflow definitions; editing makes a new version and running incidents keep theirs. */
export function registerWorkflowRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const workflows = deps.repos.workflows;

  async function detail(org: string, workflow: Workflow) {
    const [current, versions] = await Promise.all([
      workflows.getVersion(org, workflow.id, workflow.currentVersion),
      workflows.listVersions(org, workflow.id),
    ]);
    const history = versions.length > 0 ? versions : [current];
    return {
      ...workflow,
      current,
      versions: history.map(({ number, createdAt, createdBy }) => ({ number, createdAt, createdBy })),
      usedForNewIncidents: workflow.id === DEFAULT_WORKFLOW.id,
    };
  }

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/workflows',
      operationId: 'createWorkflow',
      summary: 'Create a workflow definition (version 1)',
      middleware: [requirePermission('workflows:create')],
      request: { headers: idempotencyHeader, body: { required: true, ...jsonBody(workflowInputSchema) } },
      responses: { 201: { description: 'Created', ...json(workflowSchema) }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const definition = c.req.valid('json');
      validateWorkflowDefinition(definition);
      const now = deps.clock.now();
      const workflow: Workflow = {
        id: newId('wf', now),
        name: definition.name,
        currentVersion: 1,
        version: 1,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await workflows.create(org, workflow, {
        workflowId: workflow.id,
        number: 1,
        definition,
        createdAt: now.toISOString(),
        createdBy: c.var.principal.subject,
      });
      c.header('Location', `/v1/workflows/${workflow.id}`);
      c.header('ETag', etagOf(workflow.version));
      return c.json(await detail(org, workflow), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/workflows',
      operationId: 'listWorkflows',
      summary: "The organisation's workflows",
      middleware: [requirePermission('workflows:list')],
      responses: {
        200: { description: 'Workflows', ...json(z.object({ items: z.array(workflowSchema.omit({ current: true, versions: true })) })) },
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const stored = await workflows.list(org);
      const all = stored.some((w) => w.id === DEFAULT_WORKFLOW.id) ? stored : [await workflows.get(org, DEFAULT_WORKFLOW.id), ...stored];
      return c.json({ items: all.map((w) => ({ ...w, usedForNewIncidents: w.id === DEFAULT_WORKFLOW.id })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/workflows/{id}',
      operationId: 'getWorkflow',
      summary: 'A workflow with its current definition and version history',
      middleware: [requirePermission('workflows:view')],
      request: { params },
      responses: { 200: { description: 'The workflow', ...json(workflowSchema) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const workflow = await workflows.get(org, c.req.valid('param').id);
      c.header('ETag', etagOf(workflow.version));
      return c.json(await detail(org, workflow), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/v1/workflows/{id}',
      operationId: 'updateWorkflow',
      summary: 'Change a workflow: the new definition becomes a new current version; running incidents keep theirs',
      middleware: [requirePermission('workflows:edit')],
      request: { params, headers: ifMatchHeader, body: { required: true, ...jsonBody(workflowInputSchema) } },
      responses: { 200: { description: 'Updated', ...json(workflowSchema) }, ...problemResponses(400, 401, 403, 404, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const workflow = await workflows.get(org, c.req.valid('param').id);
      const stale = ifMatchFails(c, workflow.version);
      if (stale) return stale as never;
      const definition = c.req.valid('json');
      validateWorkflowDefinition(definition);
      const now = deps.clock.now();
      await workflows.addVersion(
        org,
        workflow,
        {
          workflowId: workflow.id,
          number: workflow.currentVersion + 1,
          definition,
          createdAt: now.toISOString(),
          createdBy: c.var.principal.subject,
        },
        now,
      );
      const updated = await workflows.get(org, workflow.id);
      c.header('ETag', etagOf(updated.version));
      return c.json(await detail(org, updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/workflows/{id}/versions/{n}',
      operationId: 'getWorkflowVersion',
      summary: 'One version of a workflow definition',
      middleware: [requirePermission('workflows:view')],
      request: { params: versionParams },
      responses: { 200: { description: 'The version', ...json(versionSchema) }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, n } = c.req.valid('param');
      return c.json(await workflows.getVersion(c.var.principal.orgId, id, n), 200);
    },
  );
}
