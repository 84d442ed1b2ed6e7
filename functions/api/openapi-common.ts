import { z } from '@hono/zod-openapi';
import { deepStrict } from './strict-schema';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const descriptions: Record<number, string> = {
  400: 'Invalid input; `errors` names each failing field',
  401: 'Missing, invalid or expired token',
  403: 'The token lacks the required permission',
  404: 'Not found (or owned by another organisation)',
  409: 'Conflict with the current state',
  412: 'If-Match does not match the current version',
  422: 'Well-formed but unprocessable',
};

/** Standard problem+json responses for a route's OpenAPI entry. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] ?? 'Error', content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );
}

export const auditEntryResponseSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.object({ type: z.string(), id: z.string() }),
    action: z.string(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEntry');

export const auditVerificationSchema = z
  .object({
    valid: z.boolean(),
    entries: z.number().int(),
    head: z.string().optional(),
    brokenAt: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .openapi('AuditVerification');

/** A JSON request or response body for a route definition. */
export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

/**
 * A request body: its objects, at any depth, refuse fields they do not know (a misspelt field must not be silently
 * dropped and change the outcome), and the 400 names each of them by its full path.
 */
export const jsonBody = <T extends z.ZodType>(schema: T) => json(deepStrict(schema));
