import { awarenessDecided, reassessmentRequested } from './events';
import { recordFailureLazily, runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * When the facts change — responders supplied categories or per-jurisdiction counts, or a signal-opened
 * incident's awareness was decided (which moves `discoveredAt`, where the legal clocks start) — assess again,
 * keep what is already filed or decided, move open deadlines and restart their clocks, and tell the DPO.
 */
export function createReassessIncident(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'reassess-incident',
      triggers: [reassessmentRequested, awarenessDecided],
      retries: 5,
      onFailure: recordFailureLazily('reassess-incident'),
    },
    (input) => runLazily(input, () => import('./runs/reassess-incident')),
  );
}
