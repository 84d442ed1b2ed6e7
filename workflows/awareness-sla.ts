import { awarenessRequested } from './events';
import { recordFailureLazily, runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * Detection is not awareness, but the decision cannot wait: a signal-opened incident whose awareness decision
 * is still pending at its SLA (hours, by the signal's level) is escalated to the DPO and the DP lead. The
 * decision cancels the run.
 */
export function createAwarenessSla(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'awareness-sla',
      triggers: [awarenessRequested],
      cancelOn: [{ event: 'breach/incident.awareness.decided', match: 'data.incidentId' }],
      retries: 5,
      onFailure: recordFailureLazily('awareness-sla'),
    },
    (input) => runLazily(input, () => import('./runs/awareness-sla')),
  );
}
