import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { mapAuditLogAlert } from '../../domain/signals/audit-log-mapping';
import { InvalidError } from '../../domain/shared/errors';
import { validSecrets } from '../../domain/signals/secrets';
import type { AppDeps } from '../api/app-deps';
import type { AppEnv } from '../api/app-env';
import { problemResponses } from '../api/openapi-common';
import type { SignalService } from '../services/signal-service';
import { deliveryResult, deliveryResultSchema, isOrgId, orgParam } from './common';
import { parseJson, refuseDelivery, refusals } from './refusal';
import { verifyStandardWebhook } from './signatures';

const json = { content: { 'application/json': { schema: deliveryResultSchema } } };

/** Audit-log anomaly alerts, signed per the Standard Webhooks spec; a webhook-id is accepted once. */
export function registerAuditLogWebhook(app: OpenAPIHono<AppEnv>, deps: AppDeps, signals: SignalService) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/webhooks/audit-log/{orgId}',
      operationId: 'receiveAuditLogWebhook',
      security: [{ standardWebhookSignature: [] }],
      tags: ['Webhooks'],
      summary: 'Receive an audit-log anomaly alert (Standard Webhooks)',
      description:
        'Authenticated by `webhook-id`, `webhook-timestamp` (±5 minutes) and `webhook-signature` (`v1,<base64 HMAC-SHA256>` of `{id}.{timestamp}.{body}`), not by a token. A replayed `webhook-id` is refused with 409.',
      request: { params: orgParam },
      responses: { 202: { description: 'Recorded as a signal', ...json }, ...problemResponses(400, 401, 404, 409, 413, 415, 422) },
    }),
    async (c) => {
      const org = c.req.valid('param').orgId;
      const record = isOrgId(org) ? await deps.repos.webhookSecrets.find(org, 'audit-log') : undefined;
      if (!record) return refuseDelivery(c, 'audit-log', refusals.unknownOrg('audit-log')) as never;
      const raw = Buffer.from(await c.req.arrayBuffer());
      const now = deps.clock.now();
      const headers = {
        id: c.req.header('webhook-id'),
        timestamp: c.req.header('webhook-timestamp'),
        signature: c.req.header('webhook-signature'),
      };
      const failure = verifyStandardWebhook(headers, raw, validSecrets(record, now), now);
      if (failure === 'missing-headers') {
        const missing = (['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const).find((h) => !c.req.header(h))!;
        return refuseDelivery(c, 'audit-log', refusals.missingHeader(missing)) as never;
      }
      if (failure === 'bad-timestamp')
        return refuseDelivery(c, 'audit-log', refusals.missingHeader('webhook-timestamp', 'Unix seconds')) as never;
      if (failure === 'stale') return refuseDelivery(c, 'audit-log', refusals.stale('webhook-timestamp')) as never;
      if (failure === 'bad-signature') return refuseDelivery(c, 'audit-log', refusals.badSignature('webhook-signature')) as never;
      if (await deps.repos.signals.findDelivery(org, 'audit-log', headers.id!))
        return refuseDelivery(c, 'audit-log', refusals.replayed()) as never;
      const body = parseJson(raw);
      if (!body.ok) return refuseDelivery(c, 'audit-log', refusals.malformedJson()) as never;
      let draft: ReturnType<typeof mapAuditLogAlert> | undefined;
      try {
        draft = mapAuditLogAlert(body.value);
      } catch (error) {
        if (error instanceof InvalidError)
          c.var.log.warn('webhook refused', { source: 'audit-log', orgId: org, reason: 'unprocessable-payload' });
        throw error;
      }
      const { signal } = await signals.receive(org, draft, headers.id!, { type: 'webhook', id: 'audit-log' });
      return c.json(deliveryResult('accepted', signal), 202);
    },
  );
}
