import { newId } from '../domain/shared/ids';
import { wantsEvent } from '../domain/webhooks/rules';
import {
  incidentCreated,
  incidentStageChanged,
  incidentTriaged,
  notificationAcknowledged,
  notificationApproved,
  obligationClosed,
  obligationDueSoon,
  obligationOpened,
  obligationOverdue,
  signalReceived,
  slaBreached,
  webhookDeliveryRequested,
} from './events';
import type { WorkflowClient } from './workflow-client';

/** Every domain event an organisation may subscribe to (domain/webhooks/schema.ts lists the same names). */
const subscribable = [
  incidentCreated,
  incidentTriaged,
  incidentStageChanged,
  slaBreached,
  obligationOpened,
  obligationDueSoon,
  obligationOverdue,
  obligationClosed,
  notificationApproved,
  notificationAcknowledged,
  signalReceived,
];

/** On each subscribable event: one delivery request per enabled subscription that wants it. */
export function createFanOutWebhooks(client: WorkflowClient) {
  return client.createFunction({ id: 'fan-out-webhooks', triggers: subscribable, retries: 5 }, async ({ event, step, deps }) => {
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
  });
}
