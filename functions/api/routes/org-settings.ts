import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { orgSettingsInputSchema, resolveOrgSettings } from '../../../domain/org-settings/schema';
import { deploymentDefaults } from '../../../infra/config';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { etagOf, ifMatchFails, ifMatchHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const settingsResponseSchema = z
  .object({
    settings: z.record(z.string(), z.unknown()),
    effective: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    updatedAt: z.string().nullable(),
  })
  .openapi('OrgSettings');
const common = { tags: ['Platform'], security: [{ bearerAuth: [] }] };

/** Per-organisation settings: who is the DPO and the DP lead, controller or processor, main establishment, tuning. */
export function registerOrgSettingsRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const defaults = () => deploymentDefaults(deps.config);
  const present = ({ version, updatedAt, ...settings }: Awaited<ReturnType<AppDeps['repos']['orgSettings']['get']>>) => ({
    settings,
    effective: resolveOrgSettings(settings, defaults()),
    version,
    updatedAt,
  });

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/settings',
      operationId: 'getOrgSettings',
      summary: "The organisation's settings and the effective values (defaults filled in)",
      middleware: [requirePermission('org-settings:view')],
      responses: { 200: { description: 'Settings', ...json(settingsResponseSchema) }, ...problemResponses(401, 403) },
    }),
    async (c) => {
      const current = await deps.repos.orgSettings.get(c.var.principal.orgId);
      c.header('ETag', etagOf(current.version));
      return c.json(present(current), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/v1/settings',
      operationId: 'replaceOrgSettings',
      summary: "Replace the organisation's settings",
      middleware: [requirePermission('org-settings:edit')],
      request: { headers: ifMatchHeader, body: { required: true, ...jsonBody(orgSettingsInputSchema) } },
      responses: { 200: { description: 'Saved', ...json(settingsResponseSchema) }, ...problemResponses(400, 401, 403, 409, 412) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const current = await deps.repos.orgSettings.get(org);
      const stale = ifMatchFails(c, current.version);
      if (stale) return stale as never;
      const saved = await deps.repos.orgSettings.put(org, c.req.valid('json'), current.version, deps.clock.now());
      c.var.log.info('org settings changed', { version: saved.version, by: c.var.principal.subject });
      c.header('ETag', etagOf(saved.version));
      return c.json(present(saved), 200);
    },
  );
}
