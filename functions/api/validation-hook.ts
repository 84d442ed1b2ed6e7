import type { Hook } from '@hono/zod-openapi';
import { issuePath, problemResponse } from './problem';
import type { AppEnv } from './app-env';

const sources: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header', form: 'body', cookie: 'cookie' };

/** Every zod route validation failure becomes one 400 problem listing each failing field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const source = sources[result.target] ?? result.target;
  const errors = result.error.issues.flatMap((issue) =>
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
