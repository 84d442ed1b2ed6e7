import { RetryAfterError } from 'inngest';
import { createHash } from 'node:crypto';
import { inboxAudiencesFor, inboxMessageId } from '../../domain/inbox/rules';
import { orgSettingsFor } from './org-settings';
import { SYSTEM_ACTOR } from './system-actor';
import type { ResolvedOrgSettings } from '../../domain/org-settings/schema';
import type { Ledger } from '../../infra/dynamo/delivery-repository';
import type { WorkflowDeps } from '../workflow-deps';

export interface EmailOnce {
  orgId: string;
  incidentId: string;
  /** What this email is for (e.g. `triage:dpo`, `reminder:obl_x:2`); with the recipient it makes the delivery key. */
  purpose: string;
  to: string;
  subject: string;
  text: string;
}

/** How long a step waits before trying again while the mail service does not answer (each wait spends one retry). */
const MAIL_OUTAGE_RETRY_AFTER = '5m';

export type EmailOutcome = { status: 'sent'; messageId: string } | { status: 'already-sent' } | { status: 'in-doubt' };

/**
 * Sends one email to one recipient at most once, however often the step that calls it is retried. An email to a
 * person of the organisation also lands in their in-app inbox first, so it is there even while mail is down.
 * A step that read the organisation's settings passes them, so they are read once per step, not once per email.
 */
export async function sendEmailOnce(deps: WorkflowDeps, email: EmailOnce, settings?: ResolvedOrgSettings): Promise<EmailOutcome> {
  const resolved = settings ?? (await orgSettingsFor(deps, email.orgId));
  await deliverToInboxes(deps, email, resolved);
  const ledger = { org: email.orgId, incidentId: email.incidentId };
  const deliveryKey = `${email.purpose}:${email.to.toLowerCase()}`;
  const claim = await deps.repos.deliveries.claim(ledger, deliveryKey, deps.clock.now());
  if (claim === 'already-sent') return { status: 'already-sent' };
  if (claim === 'in-doubt') {
    deps.logger.warn('email delivery in doubt; not sending a duplicate', {
      incidentId: email.incidentId,
      purpose: email.purpose,
      to: email.to,
    });
    await recordDeliveryInDoubt(deps, email);
    // Someone must hear of it: the DP lead gets a short notice under a purpose of its own (never a second copy of the original).
    if (!email.purpose.startsWith('in-doubt:')) {
      await sendEmailOnce(
        deps,
        {
          orgId: email.orgId,
          incidentId: email.incidentId,
          purpose: `in-doubt:${email.purpose}:${email.to.toLowerCase()}`,
          to: resolved.escalationEmail,
          subject: `Delivery unconfirmed: "${email.subject}" to ${email.to}`,
          text: `A crash interrupted the delivery of "${email.subject}" to ${email.to} for breach ${email.incidentId}; it was not resent to avoid a duplicate. Confirm it arrived (a review task is on the incident).`,
        },
        resolved,
      );
    }
    return { status: 'in-doubt' };
  }
  return sendClaimed(deps, ledger, deliveryKey, email);
}

/** Sends an email whose delivery key this step has claimed, and records it; a failed send releases the claim. */
export async function sendClaimed(
  deps: WorkflowDeps,
  ledger: Ledger,
  deliveryKey: string,
  email: { to: string; subject: string; text: string },
): Promise<EmailOutcome> {
  try {
    const { messageId } = await deps.mailer.send({ to: [email.to], subject: email.subject, text: email.text });
    await deps.repos.deliveries.markSent(ledger, deliveryKey, messageId, [email.to], email.subject, deps.clock.now());
    return { status: 'sent', messageId };
  } catch (error) {
    await deps.repos.deliveries.release(ledger, deliveryKey);
    // A mail outage is waited out, not retried at once: the usual backoff would spend a function's retries in seconds.
    if (!(await deps.mailer.isReachable()))
      throw new RetryAfterError(`The mail service is unavailable (${(error as Error).name})`, MAIL_OUTAGE_RETRY_AFTER, { cause: error });
    throw error;
  }
}

/**
 * A crash between SES accepting a message and the ledger recording it leaves the delivery unknowable. Rather
 * than risk a duplicate, the incident gets an audited task for a person to confirm the message arrived.
 */
async function recordDeliveryInDoubt(deps: WorkflowDeps, email: EmailOnce) {
  const taskId = `task_check_${createHash('sha256').update(`${email.purpose}:${email.to}`).digest('hex').slice(0, 16)}`;
  await deps.repos.incidents.recordChange(
    email.orgId,
    email.incidentId,
    () => ({
      action: 'email.delivery.in-doubt',
      details: { purpose: email.purpose, to: email.to, subject: email.subject },
      children: [
        {
          kind: 'task',
          mode: 'create',
          value: {
            id: taskId,
            incidentId: email.incidentId,
            purpose: 'review',
            title: `Confirm that ${email.to} received "${email.subject}" (delivery could not be confirmed after a crash)`,
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
    { actor: SYSTEM_ACTOR, onceKey: `in-doubt:${email.purpose}:${email.to.toLowerCase()}`, read: 'summary' },
  );
}

async function deliverToInboxes(deps: WorkflowDeps, email: EmailOnce, settings: ResolvedOrgSettings) {
  const createdAt = deps.clock.now().toISOString();
  await Promise.all(
    inboxAudiencesFor(settings, email.to).map((audience) =>
      deps.repos.inbox.deliver(email.orgId, {
        id: inboxMessageId(email.orgId, email.incidentId, email.purpose, audience),
        audience,
        incidentId: email.incidentId,
        purpose: email.purpose,
        subject: email.subject,
        text: email.text,
        createdAt,
      }),
    ),
  );
}
