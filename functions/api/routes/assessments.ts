import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AssessmentInput, AssessmentResult, assessObligations } from '../../../domain/assessment';
import { listTemplates, RenderedNotice, RenderRequest, renderNotice } from '../../../domain/notice-templates';
import { defaultCatalog, getRegulation, Regime, RegulationSummary, summariseRegulations } from '../../../domain/regulations';
import { InvalidError } from '../../../domain/shared/errors';
import type { AppEnv } from '../app-env';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const security = [{ bearerAuth: [] }];

/** Domain validation names fields relative to the input; at the edge they live in the body. */
function inBody<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InvalidError) {
      throw new InvalidError(
        error.message,
        error.issues.map((i) => ({ ...i, path: i.path.startsWith('body') ? i.path : `body.${i.path}` })),
        error.unprocessable,
      );
    }
    throw error;
  }
}

const regulationsQuery = z.object({
  jurisdiction: z
    .string()
    .max(10)
    .optional()
    .openapi({ param: { name: 'jurisdiction', in: 'query' }, example: 'US-CA' }),
  at: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 date-time' })
    .optional()
    .openapi({ param: { name: 'at', in: 'query' } }),
});

/** Stateless assessment endpoints: DINA obligations, notice rendering and the regulations catalog. */
export function registerAssessmentRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/assessments',
      operationId: 'assessBreach',
      tags: ['Assessments'],
      security,
      summary: 'Assess a breach: risk level, severity, and every notification obligation with its deadline (DINA)',
      middleware: [requirePermission('assessments:run')],
      request: { body: { required: true, ...jsonBody(AssessmentInput) } },
      responses: { 200: { description: 'The assessment', ...json(AssessmentResult) }, ...problemResponses(400, 401, 403) },
    }),
    (c) =>
      c.json(
        inBody(() => assessObligations(c.req.valid('json'), defaultCatalog())),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/assessments/render',
      operationId: 'renderNoticeTemplate',
      tags: ['Assessments'],
      security,
      summary: 'Render a notice template with facts; missing facts are flagged, never left blank',
      middleware: [requirePermission('assessments:run')],
      request: { body: { required: true, ...jsonBody(RenderRequest) } },
      responses: { 200: { description: 'The rendered notice', ...json(RenderedNotice) }, ...problemResponses(400, 401, 403, 404) },
    }),
    (c) => {
      const { templateId, template, facts } = c.req.valid('json');
      const chosen = template ?? templateId;
      if (!chosen)
        throw new InvalidError('Give a templateId or a template', [
          { path: 'body.templateId', message: 'required when no template is given' },
        ]);
      return c.json(
        inBody(() => renderNotice(chosen, facts)),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/assessments/templates',
      operationId: 'listNoticeTemplates',
      tags: ['Assessments'],
      security,
      summary: 'The built-in notice templates',
      middleware: [requirePermission('assessments:run')],
      responses: {
        200: { description: 'Templates', ...json(z.object({ items: z.array(z.record(z.string(), z.unknown())) })) },
        ...problemResponses(401, 403),
      },
    }),
    (c) => c.json({ items: listTemplates() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/regulations',
      operationId: 'listRegulations',
      tags: ['Regulations'],
      security,
      summary: 'The regulations catalog (Databreachpedia), optionally for one jurisdiction and the rules in force at an instant',
      middleware: [requirePermission('regulations:view')],
      request: { query: regulationsQuery },
      responses: {
        200: { description: 'Regimes', ...json(z.object({ items: z.array(RegulationSummary) })) },
        ...problemResponses(400, 401, 403),
      },
    }),
    (c) => {
      const { jurisdiction, at } = c.req.valid('query');
      return c.json({ items: summariseRegulations(defaultCatalog(), { jurisdiction, at: at ? new Date(at) : undefined }) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/regulations/{id}',
      operationId: 'getRegulation',
      tags: ['Regulations'],
      security,
      summary: 'One regime with its authority, rules, exemptions, effective dates and sources',
      middleware: [requirePermission('regulations:view')],
      request: {
        params: z.object({
          id: z
            .string()
            .min(1)
            .max(100)
            .openapi({ param: { name: 'id', in: 'path' }, example: 'eu-gdpr' }),
        }),
      },
      responses: { 200: { description: 'The regime', ...json(Regime) }, ...problemResponses(401, 403, 404) },
    }),
    (c) => c.json(getRegulation(defaultCatalog(), c.req.valid('param').id), 200),
  );
}
