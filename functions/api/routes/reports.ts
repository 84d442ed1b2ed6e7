import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { csvLine, REGISTER_CSV_HEADER, registerCsvRows } from '../../../domain/register/rules';
import { zipSync } from 'fflate';
import { InvalidError } from '../../../domain/shared/errors';
import { createReportingService, type ReportRange } from '../../services/reporting-service';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { idParam } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, problemResponses } from '../openapi-common';

const instant = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z' }).optional();
const rangeQuery = z.object({
  from: instant.openapi({ param: { name: 'from', in: 'query' }, description: 'Incidents reported at or after this instant' }),
  to: instant.openapi({ param: { name: 'to', in: 'query' }, description: 'Incidents reported at or before this instant' }),
});
const common = { tags: ['Reports'], security: [{ bearerAuth: [] }] };
const PACK_MTIME = new Date('2000-01-01T00:00:00Z');

const durationsSchema = z.object({ count: z.number().int(), medianMs: z.number().nullable(), p90Ms: z.number().nullable() });
const metricsSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    incidents: z.number().int(),
    reportToTriage: durationsSchema,
    duties: z.array(
      z.object({
        regimeId: z.string(),
        regimeName: z.string(),
        recipient: z.string(),
        metOnTime: z.number().int(),
        late: z.number().int(),
        open: z.number().int(),
        openOverdue: z.number().int(),
        decidedNotToNotify: z.number().int(),
        awarenessToFiling: durationsSchema,
      }),
    ),
    stageSlaBreaches: z.array(z.object({ stage: z.string(), count: z.number().int() })),
  })
  .openapi('ResponseMetrics');

/** The range in ISO UTC, refused when it runs backwards. */
function rangeOf(query: { from?: string; to?: string }): ReportRange {
  const range = { from: query.from && new Date(query.from).toISOString(), to: query.to && new Date(query.to).toISOString() };
  if (range.from && range.to && range.from > range.to)
    throw new InvalidError('The range ends before it starts', [{ path: 'query.to', message: 'must not be before from' }]);
  return range;
}

/** A pull-based stream: the next line is produced only when the client has read the previous ones. */
function streamOf(lines: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await lines.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

/** Documentation for supervisory authorities (Art. 33(5)) and figures for the board. */
export function registerReportRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const reports = createReportingService(deps);

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-register',
      operationId: 'getBreachRegister',
      summary:
        'The breach register (GDPR Art. 33(5)): facts, effects, remedial action, obligations, filings and decisions of every incident in a range, streamed',
      middleware: [requirePermission('breach-register:export')],
      request: {
        query: rangeQuery.extend({
          format: z
            .enum(['json', 'csv'])
            .default('json')
            .openapi({ param: { name: 'format', in: 'query' } }),
        }),
      },
      responses: {
        200: {
          description: 'The register, oldest incident first: JSON (`{"from","to","items":[…]}`) or CSV (one row per obligation)',
          content: {
            'application/json': { schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) },
            'text/csv': { schema: z.string() },
          },
        },
        ...problemResponses(400, 401, 403),
      },
    }),
    (c) => {
      const query = c.req.valid('query');
      const range = rangeOf(query);
      const entries = reports.register(c.var.principal.orgId, range);
      const day = new Date().toISOString().slice(0, 10);
      if (query.format === 'csv') {
        const lines = (async function* () {
          yield csvLine(REGISTER_CSV_HEADER);
          for await (const entry of entries) for (const row of registerCsvRows(entry)) yield csvLine(row);
        })();
        return c.body(streamOf(lines), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="breach-register-${day}.csv"`,
        });
      }
      const lines = (async function* () {
        yield `{"from":${JSON.stringify(range.from ?? null)},"to":${JSON.stringify(range.to ?? null)},"items":[`;
        let first = true;
        for await (const entry of entries) {
          yield `${first ? '' : ','}\n${JSON.stringify(entry)}`;
          first = false;
        }
        yield '\n]}\n';
      })();
      return c.body(streamOf(lines), 200, { 'Content-Type': 'application/json; charset=utf-8' });
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/pack',
      operationId: 'getRegulatorPack',
      summary:
        'The regulator pack: a ZIP of the register entry, obligations and filings, the notices as sent, the audit trail and the attachment hashes (the files too with files=true), with a manifest of SHA-256 hashes and the audit chain head (verify offline with scripts/verify-pack.mjs)',
      middleware: [requirePermission('breach-register:export')],
      request: {
        params: idParam('inc_01JABCDEF0123456789ABCDEFG'),
        query: z.object({
          files: z
            .enum(['true', 'false'])
            .default('false')
            .openapi({
              param: { name: 'files', in: 'query' },
              description: 'true: include the verified evidence files (at most 5 MiB in all)',
            }),
        }),
      },
      responses: {
        200: { description: 'The pack', content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const files = await reports.pack(c.var.principal.orgId, id, { includeFiles: c.req.valid('query').files === 'true' });
      // Stored, not deflated, with a fixed date: the bytes depend on the content only, and the verifier stays a few lines.
      const zip = zipSync(
        Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, [bytes, { level: 0, mtime: PACK_MTIME }]])),
      );
      return c.body(zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.byteLength) as ArrayBuffer, 200, {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${id}-pack.zip"`,
      });
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/metrics/response',
      operationId: 'getResponseMetrics',
      summary:
        'Response metrics for incidents reported in a range: duties met on time, late and open per regime and recipient; awareness-to-filing and report-to-triage times; stage SLA breaches',
      middleware: [requirePermission('metrics:view')],
      request: { query: rangeQuery },
      responses: { 200: { description: 'Computed from the records', ...json(metricsSchema) }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const range = rangeOf(c.req.valid('query'));
      const metrics = await reports.responseMetrics(c.var.principal.orgId, range);
      return c.json({ from: range.from ?? null, to: range.to ?? null, ...metrics }, 200);
    },
  );
}
