import { createHash } from 'node:crypto';
import { orgSettingsFor } from './steps/org-settings';
import { sendEmailOnce } from './steps/send-email-once';
import { SYSTEM_ACTOR } from './steps/system-actor';
import type { WorkflowDeps } from './workflow-deps';

/** A send step's answer when the mail service did not take the message and does not answer either. */
export interface MailUnavailable {
  status: 'mail-unavailable';
  at: string;
  reason: string;
  alertAfterMinutes: number;
}

/** Waits between tries while the mail service is down: 15 s doubling to 5 minutes. */
export const mailRetryDelayMs = (attempt: number) => Math.min(15_000 * 2 ** (attempt - 1), 5 * 60_000);

/**
 * Runs `send`; when it fails while the mail service is unreachable, answers `mail-unavailable` instead of throwing, so
 * that the workflow waits out an outage of any length with sleeps rather than spending its retries in a few seconds.
 * Any other failure is thrown as before (and retried).
 */
export async function sendUnlessMailDown<T>(deps: WorkflowDeps, orgId: string, send: () => Promise<T>): Promise<T | MailUnavailable> {
  try {
    return await send();
  } catch (error) {
    if (await deps.mailer.isReachable()) throw error;
    const { noticeOutageAlertMinutes } = await orgSettingsFor(deps, orgId);
    // Step outputs live in the engine's history: the error's kind, not its message (which may quote an address).
    const { name, code } = ((error as { cause?: unknown }).cause ?? error) as Error & { code?: string };
    return {
      status: 'mail-unavailable',
      at: deps.clock.now().toISOString(),
      reason: code ? `${name} ${code}` : name,
      alertAfterMinutes: noticeOutageAlertMinutes,
    };
  }
}

/** Which copy of which notice: the recipient is read from the notification, so no step output holds the address. */
export interface NoticeCopy {
  orgId: string;
  notificationId: string;
  index: number;
  /** When the mail service first failed for this copy. */
  since: string;
}

async function readCopy(deps: WorkflowDeps, copy: NoticeCopy) {
  const notification = await deps.repos.notifications.get(copy.orgId, copy.notificationId);
  return { incidentId: notification.incidentId, subject: notification.subject, email: notification.recipients[copy.index]!.email };
}

/**
 * A legal notice could not be sent for longer than the organisation allows: the incident records it (audit entry and a
 * task for the DPO role, visible at once) and the DP lead is emailed — which, with the mail service down, goes out
 * once it takes messages again (`emailStalledNotice`).
 */
export async function recordStalledNotice(deps: WorkflowDeps, copy: NoticeCopy & { reason: string }): Promise<{ emailed: boolean }> {
  const { incidentId, subject, email } = await readCopy(deps, copy);
  const taskId = `task_unsent_${createHash('sha256').update(`${copy.notificationId}:${email}`).digest('hex').slice(0, 16)}`;
  await deps.repos.incidents.recordChange(
    copy.orgId,
    incidentId,
    () => ({
      action: 'notification.delivery.stalled',
      details: { notificationId: copy.notificationId, email, since: copy.since, reason: copy.reason },
      children: [
        {
          kind: 'task',
          mode: 'create',
          value: {
            id: taskId,
            incidentId,
            purpose: 'review',
            title: `The mail service has failed since ${copy.since}: "${subject}" to ${email} is not sent yet; send it another way if its deadline is near`,
            assignee: { type: 'role', id: 'dpo' },
            required: false,
            approval: false,
            status: 'open',
            dueAt: null,
            createdAt: deps.clock.now().toISOString(),
            version: 1,
          },
        },
      ],
    }),
    { actor: SYSTEM_ACTOR, onceKey: `notice-stalled:${copy.notificationId}:${email.toLowerCase()}`, read: 'summary' },
  );
  const outcome = await sendUnlessMailDown(deps, copy.orgId, () => emailStalledNotice(deps, copy));
  return { emailed: outcome.status !== 'mail-unavailable' };
}

/** The DP lead's email about a stalled notice (once, however often it is tried). */
export async function emailStalledNotice(deps: WorkflowDeps, copy: NoticeCopy): Promise<{ status: string }> {
  const { incidentId, subject, email } = await readCopy(deps, copy);
  const { escalationEmail } = await orgSettingsFor(deps, copy.orgId);
  const outcome = await sendEmailOnce(deps, {
    orgId: copy.orgId,
    incidentId,
    purpose: `notice-stalled:${copy.notificationId}:${email.toLowerCase()}`,
    to: escalationEmail,
    subject: `[ACTION NEEDED] Legal notice not sent: "${subject}" to ${email} (breach ${incidentId})`,
    text: `The mail service has failed since ${copy.since}, so the notice "${subject}" to ${email} for breach ${incidentId} could not be sent for longer than the organisation's limit. The system keeps trying and records the delay on the incident; if a deadline is near, send it another way and record the filing.`,
  });
  return { status: outcome.status };
}
