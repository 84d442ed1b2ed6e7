import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../../domain/shared/clock';
import type { IdempotencyRepository } from '../../../infra/dynamo/idempotency-repository';
import { problemResponse } from '../problem';
import type { AppEnv } from '../app-env';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key` on POST: a retry with the same key and body gets the original response and changes
 * nothing; the same key with another body is a 422; a retry while the first is still running is a 409.
 * Only successful responses are kept, so a corrected request may reuse its key.
 */
export function idempotency(store: IdempotencyRepository, clock: Clock): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      return problemResponse(c, {
        type: 'validation',
        title: 'Bad Request',
        status: 400,
        detail: 'Idempotency-Key must be 1-255 visible ASCII characters',
        errors: [{ path: 'header.idempotency-key', message: '1-255 visible ASCII characters' }],
      });
    }
    const org = c.var.principal.orgId;
    const keyHash = sha256(`${c.req.path}\n${c.var.principal.subject}\n${key}`);
    const fingerprint = sha256(await c.req.text());
    c.set('idempotencyKeyHash', keyHash);
    const existing = await store.claim(org, keyHash, fingerprint, clock.now());
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        return problemResponse(c, {
          type: 'idempotency-key-reused',
          title: 'Unprocessable Content',
          status: 422,
          detail: 'This Idempotency-Key was used with a different request body',
          errors: [{ path: 'header.idempotency-key', message: 'already used with a different body' }],
        });
      }
      if (existing.state === 'pending') {
        return problemResponse(c, {
          type: 'idempotency-in-progress',
          title: 'Conflict',
          status: 409,
          detail: 'A request with this Idempotency-Key is still being processed; retry shortly',
        });
      }
      return new Response(existing.response.body, {
        status: existing.response.status,
        headers: { ...existing.response.headers, 'idempotent-replayed': 'true' },
      });
    }
    await next();
    if (c.res.status >= 200 && c.res.status < 300) {
      const body = await c.res.clone().text();
      const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((h) => (c.res.headers.get(h) ? [[h, c.res.headers.get(h)!]] : [])));
      await store.complete(org, keyHash, fingerprint, { status: c.res.status, body, headers }, clock.now());
    } else {
      await store.release(org, keyHash);
    }
  };
}
