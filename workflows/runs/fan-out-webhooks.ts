import { newId } from '../../domain/shared/ids';
import { wantsEvent } from '../../domain/webhooks/rules';
import type { subscribable } from '../fan-out-webhooks';
import { webhookDeliveryRequested } from '../events';
import type { WorkflowInput } from '../run-lazily';

/** The steps of `fan-out-webhooks` (workflows/fan-out-webhooks.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<typeof subscribable>) {
  const orgId = (event.data as { orgId: string }).orgId;
  const targets = await step.run('match-subscriptions', async () =>
    (await deps.repos.webhookSubscriptions.list(orgId))
      .filter((s) => wantsEvent(s, event.name))
      .map((s) => ({ subscriptionId: s.id, deliveryId: newId('dlv', deps.clock.now()) })),
  );
  if (targets.length === 0) return { deliveries: 0 };
  const domainEvent = {
    id: event.id ?? `${event.name}:${event.ts}`,
    name: event.name,
    ts: event.ts ?? deps.clock.now().getTime(),
    data: event.data as Record<string, unknown>,
  };
  await step.sendEvent(
    'request-deliveries',
    targets.map((t) =>
      webhookDeliveryRequested.create(
        { orgId, subscriptionId: t.subscriptionId, deliveryId: t.deliveryId, event: domainEvent },
        { id: `${domainEvent.id}:${t.subscriptionId}` },
      ),
    ),
  );
  return { deliveries: targets.length };
}
