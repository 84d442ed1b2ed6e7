import type { TrackedObligation } from '../obligations/schema';
import type { Task } from './schema';

/** One task per obligation, for the DPO; recipients other than a controller need an approval of the notice. */
export function notificationTasks(incidentId: string, obligations: TrackedObligation[], at: string): Task[] {
  return obligations.map((o) => ({
    id: `task_${o.id}`,
    incidentId,
    purpose: 'notification',
    title: `Notify ${o.recipientName} (${o.regimeName}) — ${o.deadlineText}`,
    obligationId: o.id,
    stage: 'NOTIFICATION',
    assignee: { type: 'role', id: 'dpo' },
    required: o.required === 'yes',
    approval: o.recipient !== 'controller',
    status: 'open',
    dueAt: o.dueAt ?? o.recommendedBy,
    createdAt: at,
    version: 1,
  }));
}
