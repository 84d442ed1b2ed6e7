import { DELIVERY_SCHEDULE_MS, DISABLE_AFTER_FAILED_DELIVERIES, toCloudEvent } from '../../domain/webhooks/rules';
import { deliverWebhook } from '../../infra/webhooks/http-delivery';
import type { webhookDeliveryRequested } from '../events';
import { orgSettingsFor } from '../steps/org-settings';
import { sendClaimed } from '../steps/send-email-once';
import { SYSTEM_ACTOR } from '../steps/system-actor';
import type { WorkflowInput } from '../run-lazily';

/** The steps of `deliver-webhook` (workflows/deliver-webhook.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof webhookDeliveryRequested]>) {
  const { orgId, subscriptionId, deliveryId } = event.data;
  const hooks = deps.repos.webhookSubscriptions;
  const body = JSON.stringify(toCloudEvent({ ...event.data.event, orgId }));

  await step.run('log', async () => {
    const at = deps.clock.now().toISOString();
    await hooks.putDelivery(orgId, {
      id: deliveryId,
      subscriptionId,
      eventId: event.data.event.id,
      eventType: event.data.event.name,
      event: event.data.event,
      status: 'pending',
      attempts: [],
      createdAt: at,
      updatedAt: at,
    });
  });

  for (const [index, waitMs] of DELIVERY_SCHEDULE_MS.entries()) {
    if (waitMs > 0) await step.sleep(`backoff-${index}`, waitMs);
    const outcome = await step.run(`attempt-${index + 1}`, async () => {
      const subscription = await hooks.get(orgId, subscriptionId);
      if (!subscription.enabled)
        return {
          delivered: false,
          stop: `subscription disabled${subscription.disabledReason ? `: ${subscription.disabledReason}` : ''}`,
        };
      const now = deps.clock.now();
      const secrets = [
        subscription.secrets.current,
        ...(subscription.secrets.previous && Date.parse(subscription.secrets.previous.expiresAt) > now.getTime()
          ? [subscription.secrets.previous]
          : []),
      ];
      const result = await deliverWebhook(
        { url: subscription.url, secrets: secrets.map((s) => s.secret), stage: deps.config.STAGE },
        { id: deliveryId, body },
        now,
      );
      const delivered = result.error === null;
      const last = index === DELIVERY_SCHEDULE_MS.length - 1;
      await hooks.recordAttempt(
        orgId,
        subscriptionId,
        deliveryId,
        { at: now.toISOString(), ...result },
        delivered ? 'delivered' : last ? 'failed' : 'retrying',
      );
      return { delivered, status: result.status, latencyMs: result.latencyMs };
    });
    if (outcome.delivered) {
      await step.run('reset-failures', () => hooks.countOutcome(orgId, subscriptionId, true));
      return { delivered: true, attempts: index + 1 };
    }
    if ('stop' in outcome) return { delivered: false, reason: outcome.stop };
  }

  const failures = await step.run('count-failure', () => hooks.countOutcome(orgId, subscriptionId, false));
  if (failures < DISABLE_AFTER_FAILED_DELIVERIES) return { delivered: false, failures };
  const disabled = await step.run('disable', async () => {
    const reason = `${failures} deliveries in a row failed for good (the last: ${deliveryId})`;
    const updated = await hooks.recordChange(
      orgId,
      subscriptionId,
      () => ({ action: 'webhook-subscription.disabled', details: { reason }, set: { enabled: false, disabledReason: reason } }),
      { actor: SYSTEM_ACTOR },
    );
    return { url: updated.url, reason };
  });
  await step.run('tell-admin', async () => {
    const { escalationEmail } = await orgSettingsFor(deps, orgId);
    // Through the delivery ledger, like every other email: a retried step never sends it twice.
    const ledger = { org: orgId, subscriptionId };
    const deliveryKey = `disabled:${deliveryId}:${escalationEmail.toLowerCase()}`;
    const claim = await deps.repos.deliveries.claim(ledger, deliveryKey, deps.clock.now());
    if (claim !== 'claimed') return { status: claim };
    return sendClaimed(deps, ledger, deliveryKey, {
      to: escalationEmail,
      subject: `Webhook subscription ${subscriptionId} disabled after sustained failure`,
      text: `Deliveries to ${disabled.url} kept failing (${disabled.reason}); the subscription is disabled. Check the receiver and the delivery log (GET /v1/webhook-subscriptions/${subscriptionId}/deliveries), then enable it again (PUT /v1/webhook-subscriptions/${subscriptionId}).`,
    });
  });
  return { delivered: false, failures, disabled: true };
}
