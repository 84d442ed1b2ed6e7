import { notificationApproved } from './events';
import { recordFailureLazily, runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * Fan-out of an approved notification: one step per recipient (a retried step never emails a recipient
 * twice), each delivery recorded with its SES message id; the linked obligation is marked filed, which
 * stops its clock; then wait for the acknowledgement and chase the DPO if none arrives.
 */
export function createSendNotification(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'send-notification',
      triggers: [notificationApproved],
      retries: 5,
      onFailure: recordFailureLazily('send-notification'),
    },
    (input) => runLazily(input, () => import('./runs/send-notification')),
  );
}
