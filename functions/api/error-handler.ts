import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConflictError, DuplicateError, ForbiddenError, InvalidError, NotFoundError, StaleVersionError } from '../../domain/shared/errors';
import { problemResponse } from './problem';
import type { AppEnv } from './app-env';

/** The one place domain errors become HTTP: each class maps to one status. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof NotFoundError)
    return problemResponse(c, { type: 'not-found', title: 'Not Found', status: 404, detail: error.message });
  if (error instanceof StaleVersionError) {
    return problemResponse(c, {
      type: 'precondition-failed',
      title: 'Precondition Failed',
      status: 412,
      detail: error.message,
      currentVersion: error.currentVersion,
    });
  }
  if (error instanceof DuplicateError) {
    const href = `/v1/${error.existing.collection}/${error.existing.id}`;
    c.header('Location', href);
    return problemResponse(c, {
      ...error.details,
      type: 'duplicate',
      title: 'Conflict',
      status: 409,
      detail: error.message,
      existingId: error.existing.id,
      existing: { id: error.existing.id, href },
    });
  }
  if (error instanceof ConflictError) {
    // Details never override the problem's own members (a detail named `status` once turned a 409 into a 200).
    return problemResponse(c, { ...error.details, type: 'conflict', title: 'Conflict', status: 409, detail: error.message });
  }
  if (error instanceof InvalidError) {
    return problemResponse(c, {
      type: error.unprocessable ? 'unprocessable' : 'validation',
      title: error.unprocessable ? 'Unprocessable Content' : 'Bad Request',
      status: error.unprocessable ? 422 : 400,
      detail: error.message,
      errors: error.issues,
    });
  }
  if (error instanceof ForbiddenError)
    return problemResponse(c, { type: 'forbidden', title: 'Forbidden', status: 403, detail: error.message });
  if (error instanceof HTTPException) return httpExceptionProblem(c, error);
  if (isDependencyUnavailable(error)) {
    c.var.log?.warn('a dependency is unavailable', { error: { name: (error as Error).name, message: (error as Error).message } });
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return problemResponse(c, {
      type: 'unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Storage is unavailable or throttling; nothing was recorded by this request. Retry after a few seconds.',
    });
  }
  c.var.log?.error('unhandled error', {
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return problemResponse(c, {
    type: 'internal',
    title: 'Internal Server Error',
    status: 500,
    detail: 'An unexpected error occurred; quote the requestId when reporting it',
  });
};

function httpExceptionProblem(c: Context, error: HTTPException) {
  const status = error.status as ContentfulStatusCode;
  if (status === 400 && /malformed json/i.test(error.message)) {
    return problemResponse(c, {
      type: 'malformed-json',
      title: 'Bad Request',
      status,
      detail: 'The request body is not valid JSON',
      errors: [{ path: 'body', message: 'not valid JSON' }],
    });
  }
  return problemResponse(c, { title: titleFor(status), status, detail: error.message || titleFor(status) });
}

const titles: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
};
const titleFor = (status: number) => titles[status] ?? 'Error';

/** Unknown path → 404; a known path with another method → 405 with Allow. */
export function notFoundOrMethodNotAllowed(routes: () => { method: string; path: string }[]): NotFoundHandler<AppEnv> {
  let compiled: { method: string; pattern: RegExp }[] | undefined;
  return (c) => {
    compiled ??= routes()
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*')}/?$`) }));
    const allowed = [...new Set(compiled.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method))];
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return problemResponse(c, {
        type: 'method-not-allowed',
        title: 'Method Not Allowed',
        status: 405,
        detail: `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allowed.join(', ')}`,
      });
    }
    return problemResponse(c, {
      type: 'not-found',
      title: 'Not Found',
      status: 404,
      detail: `No route matches ${c.req.method} ${c.req.path}`,
    });
  };
}

const RETRY_AFTER_SECONDS = 5;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const THROTTLED_OR_DOWN = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/**
 * Storage (or another AWS dependency) that cannot be reached or throttles after the SDK's own retries: a 503 with
 * Retry-After tells the client the request can be repeated, where a 500 would say the server is broken.
 */
function isDependencyUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; cause?: { code?: string } };
  return UNREACHABLE_CODES.has(e.code ?? '') || UNREACHABLE_CODES.has(e.cause?.code ?? '') || THROTTLED_OR_DOWN.has(e.name ?? '');
}
