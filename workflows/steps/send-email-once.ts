import { keys } from '../../infra/dynamo/keys';
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

export type EmailOutcome = { status: 'sent'; messageId: string } | { status: 'already-sent' } | { status: 'in-doubt' };

/** Sends one email to one recipient at most once, however often the step that calls it is retried. */
export async function sendEmailOnce(deps: WorkflowDeps, email: EmailOnce): Promise<EmailOutcome> {
  const partition = keys.incidentPartition(email.orgId, email.incidentId);
  const deliveryKey = `${email.purpose}:${email.to.toLowerCase()}`;
  const claim = await deps.repos.deliveries.claim(partition, deliveryKey, deps.clock.now());
  if (claim === 'already-sent') return { status: 'already-sent' };
  if (claim === 'in-doubt') {
    deps.logger.warn('email delivery in doubt; not sending a duplicate', { incidentId: email.incidentId, purpose: email.purpose, to: email.to });
    return { status: 'in-doubt' };
  }
  try {
    const { messageId } = await deps.mailer.send({ to: [email.to], subject: email.subject, text: email.text });
    await deps.repos.deliveries.markSent(partition, deliveryKey, messageId, [email.to], email.subject, deps.clock.now());
    return { status: 'sent', messageId };
  } catch (error) {
    await deps.repos.deliveries.release(partition, deliveryKey);
    throw error;
  }
}
