import type { Context } from 'hono';
import type { AppEnv } from '../api/app-env';
import { problemResponse, type Problem } from '../api/problem';

/** Every refused delivery is logged with its reason (never the body or a secret) and answered problem+json. */
export function refuseDelivery(c: Context<AppEnv>, source: string, problem: Problem & { type: string }) {
  c.var.log.warn('webhook refused', { source, orgId: c.req.param('orgId'), reason: problem.type, status: problem.status });
  return problemResponse(c, problem);
}

export const refusals = {
  unknownOrg: (source: string): Problem & { type: string } => ({
    type: 'webhook-unknown-organisation',
    title: 'Not Found',
    status: 404,
    detail: `No ${source} webhook is configured for this organisation`,
  }),
  badSignature: (header: string): Problem & { type: string } => ({
    type: 'webhook-bad-signature',
    title: 'Unauthorized',
    status: 401,
    detail: `The ${header} header does not match the body signed with this organisation's secret`,
    errors: [{ path: `header.${header.toLowerCase()}`, message: 'signature does not verify' }],
  }),
  stale: (header: string): Problem & { type: string } => ({
    type: 'webhook-stale-timestamp',
    title: 'Unauthorized',
    status: 401,
    detail: `The ${header} is outside the tolerated window; a delayed or replayed delivery is refused`,
    errors: [{ path: `header.${header.toLowerCase()}`, message: 'too old or too far in the future' }],
  }),
  missingHeader: (header: string, message = 'required'): Problem & { type: string } => ({
    type: 'webhook-missing-header',
    title: 'Bad Request',
    status: 400,
    detail: `The ${header} header is missing or malformed`,
    errors: [{ path: `header.${header.toLowerCase()}`, message }],
  }),
  malformedJson: (): Problem & { type: string } => ({
    type: 'malformed-json',
    title: 'Bad Request',
    status: 400,
    detail: 'The request body is not valid JSON',
    errors: [{ path: 'body', message: 'not valid JSON' }],
  }),
  replayed: (): Problem & { type: string } => ({
    type: 'webhook-replayed',
    title: 'Conflict',
    status: 409,
    detail: 'A delivery with this webhook-id was already received; a replay is refused',
    errors: [{ path: 'header.webhook-id', message: 'already received' }],
  }),
};

export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
