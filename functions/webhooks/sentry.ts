import { createHash } from 'node:crypto';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { InvalidError } from '../../domain/shared/errors';
import { validSecrets } from '../../domain/signals/secrets';
import { mapSentryDelivery, sentrySignalResources } from '../../domain/signals/sentry-mapping';
import type { AppDeps } from '../api/app-deps';
import type { AppEnv } from '../api/app-env';
import { problemResponses } from '../api/openapi-common';
import type { SignalService } from '../services/signal-service';
import { deliveryResult, deliveryResultSchema, isOrgId, noSignal, orgParam } from './common';
import { parseJson, refuseDelivery, refusals } from './refusal';
import { checkTimestamp, verifySentrySignature } from './signatures';

const json = { content: { 'application/json': { schema: deliveryResultSchema } } };

/** Sentry integration-platform webhooks: signed with the integration's client secret, one signal per delivery. */
export function registerSentryWebhook(app: OpenAPIHono<AppEnv>, deps: AppDeps, signals: SignalService) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/sentry/{orgId}',
      operationId: 'receiveSentryWebhook',
      security: [{ sentrySignature: [] }],
      tags: ['Webhooks'],
      summary: 'Receive a Sentry webhook (issue, event_alert, metric_alert; installation acknowledged)',
      description:
        'Authenticated by `Sentry-Hook-Signature` (hex HMAC-SHA256 of the raw body with the client secret) and `Sentry-Hook-Timestamp`, not by a token. A repeated `Request-ID` answers 200 `duplicate` and stores nothing.',
      request: { params: orgParam },
      responses: {
        200: { description: 'Duplicate, acknowledged or ignored', ...json },
        202: { description: 'Recorded as a signal', ...json },
        ...problemResponses(400, 401, 404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const org = c.req.valid('param').orgId;
      const record = isOrgId(org) ? await deps.repos.webhookSecrets.find(org, 'sentry') : undefined;
      if (!record) return refuseDelivery(c, 'sentry', refusals.unknownOrg('Sentry')) as never;
      const raw = Buffer.from(await c.req.arrayBuffer());
      const now = deps.clock.now();
      if (!verifySentrySignature(raw, c.req.header('sentry-hook-signature'), validSecrets(record, now))) {
        return refuseDelivery(c, 'sentry', refusals.badSignature('Sentry-Hook-Signature')) as never;
      }
      const timing = checkTimestamp(c.req.header('sentry-hook-timestamp'), now);
      if (timing === 'stale') return refuseDelivery(c, 'sentry', refusals.stale('Sentry-Hook-Timestamp')) as never;
      if (timing) return refuseDelivery(c, 'sentry', refusals.missingHeader('Sentry-Hook-Timestamp', 'Unix seconds')) as never;
      const resource = c.req.header('sentry-hook-resource');
      if (!resource) return refuseDelivery(c, 'sentry', refusals.missingHeader('Sentry-Hook-Resource')) as never;
      const body = parseJson(raw);
      if (!body.ok) return refuseDelivery(c, 'sentry', refusals.malformedJson()) as never;

      if (resource === 'installation') {
        c.var.log.info('sentry installation acknowledged', { orgId: org, action: (body.value as { action?: unknown })?.action });
        return c.json(noSignal('acknowledged'), 200);
      }
      if (!(sentrySignalResources as readonly string[]).includes(resource)) return c.json(noSignal('ignored'), 200);
      let draft: ReturnType<typeof mapSentryDelivery> | undefined;
      try {
        draft = mapSentryDelivery(resource, body.value, now);
      } catch (error) {
        if (error instanceof InvalidError)
          c.var.log.warn('webhook refused', { source: 'sentry', orgId: org, reason: 'unprocessable-payload', resource });
        throw error;
      }
      // Sentry names each delivery with Request-ID; without one, identical bodies count as one delivery.
      const deliveryId = c.req.header('request-id') ?? createHash('sha256').update(raw).digest('hex');
      const { signal, duplicate } = await signals.receive(org, draft, deliveryId, { type: 'webhook', id: 'sentry' });
      return c.json(deliveryResult(duplicate ? 'duplicate' : 'accepted', signal), duplicate ? 200 : 202);
    },
  );
}
