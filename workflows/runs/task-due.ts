import { SLA_REMINDER_FRACTION } from '../../domain/workflow/stage-sla';
import type { taskOpened } from '../events';
import { SYSTEM_ACTOR } from '../steps/automation';
import { orgSettingsFor } from '../steps/org-settings';
import { sendEmailOnce } from '../steps/send-email-once';
import type { WorkflowInput } from '../run-lazily';

/** The steps of `task-due` (workflows/task-due.ts), imported on its first run. */
export async function run({ event, step, deps }: WorkflowInput<[typeof taskOpened]>) {
  const { orgId, incidentId, taskId, dueAt } = event.data;
  const openTask = async () =>
    (await deps.repos.incidents.listTasks(orgId, incidentId)).find((t) => t.id === taskId && t.status === 'open');
  const openedAt = event.ts ?? deps.clock.now().getTime();
  const reminderAt = new Date(openedAt + (Date.parse(dueAt) - openedAt) * SLA_REMINDER_FRACTION).toISOString();

  await step.sleepUntil('wait-reminder', reminderAt);
  await step.run('remind', async () => {
    const task = await openTask();
    if (!task) return { skipped: 'done' };
    const settings = await orgSettingsFor(deps, orgId);
    return sendEmailOnce(
      deps,
      {
        orgId,
        incidentId,
        purpose: `task-reminder:${taskId}`,
        to: settings.dpoEmail,
        subject: `Due ${dueAt}: ${task.title}`,
        text: `Task ${taskId} of breach ${incidentId} is due at ${dueAt} and still open:\n\n${task.title}`,
      },
      settings,
    );
  });

  await step.sleepUntil('wait-due', dueAt);
  return step.run('escalate-overdue', async () => {
    const task = await openTask();
    if (!task) return { skipped: 'done' };
    const settings = await orgSettingsFor(deps, orgId);
    const outcome = await sendEmailOnce(
      deps,
      {
        orgId,
        incidentId,
        purpose: `task-overdue:${taskId}`,
        to: settings.escalationEmail,
        subject: `[OVERDUE] ${task.title} — breach ${incidentId}`,
        text: `Task ${taskId} of breach ${incidentId} was due at ${dueAt} and is still open. It is escalated to you as the DP lead.\n\n${task.title}`,
      },
      settings,
    );
    await deps.repos.incidents.recordChange(
      orgId,
      incidentId,
      () => ({ action: 'task.overdue', details: { taskId, dueAt, escalatedTo: settings.escalationEmail, email: outcome.status } }),
      { actor: SYSTEM_ACTOR, onceKey: `task-overdue:${taskId}`, read: 'summary' },
    );
    return outcome;
  });
}
