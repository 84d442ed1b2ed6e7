import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Actor } from '../../domain/audit/chain';
import type { Principal } from '../../domain/auth/principal';
import { problemResponse } from './problem';

export const actorOf = (principal: Principal): Actor => ({ type: 'user', id: principal.subject });

export const etagOf = (version: number) => `"${version}"`;

/** If-Match (when sent) must name the version the caller read; otherwise the write would overwrite blindly. */
export function ifMatchFails(c: Context, currentVersion: number): Response | undefined {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const accepted = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (accepted.includes(etagOf(currentVersion))) return undefined;
  return problemResponse(c, {
    type: 'precondition-failed',
    title: 'Precondition Failed',
    status: 412,
    detail: `If-Match ${header} does not match the current version ${etagOf(currentVersion)}; reload and retry`,
    currentVersion,
  });
}

/** The version a single If-Match tag names (`"3"` or `W/"3"`), for the check inside the write; none for `*` or no header. */
export function expectedVersionOf(c: Context): number | undefined {
  const header = c.req.header('if-match')?.trim();
  if (!header || header === '*' || header.includes(',')) return undefined;
  const match = /^(?:W\/)?"(\d+)"$/.exec(header);
  return match ? Number(match[1]) : undefined;
}

export const idParam = (example: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name: 'id', in: 'path' }, example }),
  });

export const pageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(25)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
});

export const ifMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ param: { name: 'if-match', in: 'header' } }),
});
export const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ param: { name: 'idempotency-key', in: 'header' } }),
});
