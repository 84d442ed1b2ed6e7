import { incidentStageChanged } from './events';
import { recordFailureLazily, runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * On entering a stage: sleep until its SLA, with a reminder before it, and escalate if the incident is
 * still in the stage when it falls due. Leaving the stage (a later stage change of the same incident)
 * cancels the run.
 */
export function createStageSla(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'stage-sla',
      triggers: [incidentStageChanged],
      cancelOn: [
        {
          event: 'breach/incident.stage.changed',
          if: 'async.data.incidentId == event.data.incidentId && async.data.version > event.data.version',
        },
      ],
      retries: 5,
      onFailure: recordFailureLazily('stage-sla'),
    },
    (input) => runLazily(input, () => import('./runs/stage-sla')),
  );
}
