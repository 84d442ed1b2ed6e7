import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldIssue } from '../../domain/shared/errors';

export interface Problem {
  type?: string;
  title: string;
  status: ContentfulStatusCode;
  detail?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://breach-response.dev/problems/';

/** RFC 9457 body; `type` names the problem kind so clients can branch without parsing text. */
export function problemResponse(c: Context, problem: Problem): Response {
  const requestId = c.get('requestId' as never) as string | undefined;
  const body = {
    type: problem.type ? PROBLEM_BASE + problem.type : 'about:blank',
    ...problem,
    ...(problem.type ? { type: PROBLEM_BASE + problem.type } : {}),
    instance: c.req.path,
    ...(requestId ? { requestId } : {}),
  };
  return c.body(JSON.stringify(body), problem.status, { 'Content-Type': 'application/problem+json' });
}

/** Turns a validator's issue path (array of keys) into the dotted path clients see, prefixed by where it came from. */
export function issuePath(source: string, path: readonly PropertyKey[]): string {
  return [source, ...path.map(String)].join('.');
}
