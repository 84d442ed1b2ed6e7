import { webhookDeliveryRequested } from './events';
import { runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * One event to one subscription: signed per Standard Webhooks and POSTed, retried on the schedule (the last attempt
 * more than a day after the first), each attempt in the delivery log with its status and latency. A delivery that
 * fails for good lengthens the subscription's failure streak; a long streak disables it and tells the DP lead.
 * At most a few deliveries run at once per subscription (Inngest's concurrency key).
 */
export function createDeliverWebhook(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'deliver-webhook',
      triggers: [webhookDeliveryRequested],
      concurrency: [{ key: 'event.data.subscriptionId', limit: 4 }],
      retries: 3,
    },
    (input) => runLazily(input, () => import('./runs/deliver-webhook')),
  );
}
