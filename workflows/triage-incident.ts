import { incidentCreated } from './events';
import { recordFailureLazily, runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * The runbook's automation hook, extended. On `breach/incident.created`:
 * 1. assess the incident (severity, risk, every obligation and deadline) and put it on the record with a
 *    notification task per obligation — in as many chunks as the obligations need — and, in the same write, move
 *    REPORTED → TRIAGE by the workflow's own transition rule (the stage's tasks, its SLA, notify-on-enter);
 * 2. email the DPO the summary and every deadline;
 * 3. a Critical incident is escalated to the DP lead at once;
 * 4. the move, when the rule did not allow it with the triage (a step of its own, which says why not);
 * 5. announce `breach/incident.triaged` and start a regulatory clock per fixed deadline.
 * If it fails for good, the incident is flagged and the DPO and the DP lead are told to triage by hand.
 */
export function createTriageIncident(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'triage-incident',
      triggers: [incidentCreated],
      retries: 5,
      onFailure: recordFailureLazily('triage-incident'),
    },
    (input) => runLazily(input, () => import('./runs/triage-incident')),
  );
}
