import { ConflictError, InvalidError } from '../shared/errors';
import type { Task } from './schema';

const closed = (task: Task) => task.status !== 'open';

export function assignTask(task: Task, assignee: NonNullable<Task['assignee']>): Task {
  if (closed(task)) throw new ConflictError(`Task ${task.id} is ${task.status}; it can no longer be assigned`);
  return { ...task, assignee, version: task.version + 1 };
}

/** An approval task is decided by approve/reject, not completed. */
export function completeTask(task: Task, by: string, note: string | undefined, now: Date): Task {
  if (closed(task)) throw new ConflictError(`Task ${task.id} is already ${task.status}`);
  if (task.approval) throw new ConflictError(`Task ${task.id} needs an approval decision (POST …/approval), not completion`);
  return { ...task, status: 'completed', note, completedAt: now.toISOString(), completedBy: by, version: task.version + 1 };
}

export function decideApproval(task: Task, decision: 'approve' | 'reject', by: string, note: string | undefined, now: Date): Task {
  if (closed(task)) throw new ConflictError(`Task ${task.id} is already ${task.status}`);
  if (!task.approval) throw new ConflictError(`Task ${task.id} does not need an approval; complete it instead`);
  if (decision === 'reject' && !note)
    throw new InvalidError('A rejection needs a note', [{ path: 'body.note', message: 'required when rejecting' }]);
  return {
    ...task,
    status: decision === 'approve' ? 'approved' : 'rejected',
    note,
    completedAt: now.toISOString(),
    completedBy: by,
    version: task.version + 1,
  };
}
