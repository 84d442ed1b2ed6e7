import { taskOpened } from './events';
import { recordFailureLazily, runLazily } from './run-lazily';
import type { WorkflowClient } from './workflow-client';

/**
 * The clock of a task with a due date: a reminder to the DPO before it falls due, and at the due time, if the task
 * is still open, an escalation to the DP lead and an audited `task.overdue`. A task done in time ends the run quietly.
 */
export function createTaskDue(client: WorkflowClient) {
  return client.createFunction(
    {
      id: 'task-due',
      triggers: [taskOpened],
      retries: 5,
      onFailure: recordFailureLazily('task-due'),
    },
    (input) => runLazily(input, () => import('./runs/task-due')),
  );
}
