import { ConflictError, InvalidError } from '../shared/errors';
import type { Task } from '../tasks/schema';
import type { Notification, NotificationResponse, ResponseInput } from './schema';

export interface RecordedResponse {
  next: Notification;
  response: NotificationResponse;
  /** An information request opens a task due when the answer is. */
  task?: Task;
}

/**
 * Records what a recipient sent back on a sent notification. A request for information becomes a required task
 * for the DPO, due when the recipient wants the answer; its clock runs in the workflows.
 */
export function recordResponse(
  notification: Notification,
  input: ResponseInput,
  context: { id: string; by: string; now: Date; recipientName: string },
): RecordedResponse {
  if (notification.status === 'draft' || notification.status === 'approved') {
    throw new ConflictError(`Notification ${notification.id} has not been sent yet: there is nothing to respond to`, {
      notificationStatus: notification.status,
    });
  }
  const recordedAt = context.now.toISOString();
  const receivedAt = input.receivedAt ? new Date(input.receivedAt).toISOString() : recordedAt;
  if (Date.parse(receivedAt) > context.now.getTime())
    throw new InvalidError('A response cannot be received in the future', [{ path: 'body.receivedAt', message: 'not after now' }]);
  const base = { id: context.id, kind: input.kind, receivedAt, recordedAt, recordedBy: context.by };
  let response: NotificationResponse;
  let task: Task | undefined;
  if (input.kind === 'case-reference') {
    response = { ...base, reference: input.reference, ...(input.note ? { note: input.note } : {}) };
  } else if (input.kind === 'note') {
    response = { ...base, text: input.text };
  } else {
    const dueAt = new Date(input.dueAt).toISOString();
    if (Date.parse(dueAt) <= Date.parse(receivedAt))
      throw new InvalidError('The answer cannot be due before the request was received', [
        { path: 'body.dueAt', message: 'after receivedAt' },
      ]);
    const taskId = `task_rfi_${context.id}`;
    response = { ...base, request: input.request, dueAt, taskId, ...(input.reference ? { reference: input.reference } : {}) };
    task = {
      id: taskId,
      incidentId: notification.incidentId,
      purpose: 'information-request',
      title: `Answer ${context.recipientName}'s request for information${input.reference ? ` (${input.reference})` : ''}: ${clip(input.request, 160)}`,
      assignee: { type: 'role', id: 'dpo' },
      required: true,
      approval: false,
      status: 'open',
      dueAt,
      createdAt: recordedAt,
      version: 1,
    };
  }
  const next = { ...notification, responses: [...(notification.responses ?? []), response], version: notification.version + 1 };
  return { next, response, ...(task ? { task } : {}) };
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
