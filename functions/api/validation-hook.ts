import type { Hook, z } from '@hono/zod-openapi';
import { issuePath, problemResponse } from './problem';
import type { AppEnv } from './app-env';

const sources: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header', form: 'body', cookie: 'cookie' };

type Issue = z.core.$ZodIssue;

/** A root-level type or value mismatch: the input is not of this union branch's kind at all. */
const missesShape = (branch: Issue[]) =>
  branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union'));

/**
 * The issues to report, with full paths. A failed union reports the branch the input was closest to (one whose shape it
 * has, with the fewest issues) instead of a bare "Invalid input", so an unknown key inside a union is still named.
 */
function flattenIssues(issues: readonly Issue[], base: readonly PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path } as Issue];
    const ranked = [...issue.errors].sort((a, b) => Number(missesShape(a)) - Number(missesShape(b)) || a.length - b.length);
    const best = ranked[0]!;
    return missesShape(best) ? [{ ...issue, path } as Issue] : flattenIssues(best, path);
  });
}

/** Every zod route validation failure becomes one 400 problem listing each failing field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const source = sources[result.target] ?? result.target;
  const errors = flattenIssues(result.error.issues).flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: issuePath(source, [...issue.path, key]), message: 'not a field of this request' }))
      : [{ path: issuePath(source, issue.path), message: issue.message }],
  );
  return problemResponse(c, {
    type: 'validation',
    title: 'Bad Request',
    status: 400,
    detail: `Invalid ${source}: ${errors.map((e) => e.path).join(', ')}`,
    errors,
  });
};
