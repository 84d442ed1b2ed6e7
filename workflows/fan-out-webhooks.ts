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
} from './events';
import { runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/** Every domain event an organisation may subscribe to (domain/webhooks/schema.ts lists the same names). */
export const subscribable = [
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
  return client.createFunction({ id: 'fan-out-webhooks', triggers: subscribable, retries: 5 }, (input) =>
    runLazily(input, () => import('./runs/fan-out-webhooks')),
  );
}
