import { obligationOpened } from './events';
import { recordFailureLazily, runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * One run per obligation with a fixed deadline: reminders through the window (a 72-hour clock reminds at
 * 24 h, 48 h, 60 h and 70 h after awareness) and an overdue escalation at the deadline. Filing or a
 * recorded decision not to notify sends `breach/obligation.closed`, which cancels the run.
 */
export function createRegulatoryClock(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'regulatory-clock',
      triggers: [obligationOpened],
      cancelOn: [{ event: 'breach/obligation.closed', match: 'data.clockKey' }],
      retries: 5,
      onFailure: recordFailureLazily('regulatory-clock'),
    },
    (input) => runLazily(input, () => import('./runs/regulatory-clock')),
  );
}
