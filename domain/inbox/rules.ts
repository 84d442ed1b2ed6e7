import { createHash } from 'node:crypto';
import type { ResolvedOrgSettings } from '../org-settings/schema';
import type { Assignee } from '../tasks/schema';

/** One message in the in-app inbox of a role, a team or a user of the organisation. */
export interface InboxMessage {
  id: string;
  audience: Assignee;
  incidentId: string;
  /** What the message is for (the email's purpose, or `task-assigned:<taskId>`). */
  purpose: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** What a person reads: addressed to their `sub`, any of their roles, or any of their teams. */
export interface Reader {
  subject: string;
  roles: readonly string[];
  teams: readonly string[];
}

export const audienceKey = (audience: Assignee) => `${audience.type}:${audience.id}`;

export const audiencesOf = (reader: Reader): Assignee[] => [
  { type: 'user', id: reader.subject },
  ...reader.roles.map((id) => ({ type: 'role' as const, id })),
  ...reader.teams.map((id) => ({ type: 'team' as const, id })),
];

/** The same message to the same audience for the same purpose is one message, however often a step is retried. */
export const inboxMessageId = (org: string, incidentId: string, purpose: string, audience: Assignee) =>
  `msg_${createHash('sha256')
    .update(`${org}\n${incidentId}\n${purpose}\n${audienceKey(audience)}`)
    .digest('hex')
    .slice(0, 32)}`;

/**
 * Whose inbox an email to `address` also lands in: the DPO's and the DP lead's addresses go to the inboxes the
 * organisation names for them (the `dpo` role by default), a stakeholder's to their user when they have one.
 * An address of nobody in the organisation (a regulator, a data subject) has no inbox.
 */
export function inboxAudiencesFor(
  settings: Pick<ResolvedOrgSettings, 'dpoEmail' | 'escalationEmail' | 'inbox' | 'stakeholders'>,
  address: string,
): Assignee[] {
  const same = (a: string) => a.toLowerCase() === address.toLowerCase();
  const found: Assignee[] = [];
  if (same(settings.dpoEmail)) found.push(settings.inbox.dpo);
  if (same(settings.escalationEmail)) found.push(settings.inbox.escalation);
  for (const stakeholder of settings.stakeholders)
    if (stakeholder.sub && same(stakeholder.email)) found.push({ type: 'user', id: stakeholder.sub });
  return [...new Map(found.map((a) => [audienceKey(a), a])).values()];
}
