import { renderNotice } from '../notice-templates';
import type { Notification } from '../notifications/schema';
import type { Stakeholder } from '../org-settings/schema';
import { computeSlaDueAt } from '../severity/rules';
import type { SeverityLevel, SlaPeriod } from '../severity/schema';
import type { Task } from '../tasks/schema';

const WORST_FIRST: SeverityLevel[] = ['critical', 'high', 'medium', 'low'];
const atLeast = (level: SeverityLevel, threshold: SeverityLevel) => WORST_FIRST.indexOf(level) <= WORST_FIRST.indexOf(threshold);

/** "Immediately" still needs a person to read and send the briefing: the task falls due an hour after triage. */
const IMMEDIATE_FLOOR_MS = 3_600_000;

const ROLE_LABEL: Record<Stakeholder['role'], string> = {
  'executive-sponsor': 'executive sponsor',
  'data-fiduciary': 'data fiduciary',
  'legal-counsel': 'legal counsel',
  communications: 'communications lead',
  insurer: 'insurer',
  'processor-contact': "processor's contact",
  'controller-contact': "controller's contact",
};

export interface StakeholderContext {
  incidentId: string;
  severity: SeverityLevel;
  riskLevel: string;
  /** The seed's escalation SLA for the incident's severity. */
  escalationSla?: SlaPeriod;
  facts: Record<string, unknown>;
  now: Date;
}

export function dueFor(stakeholder: Stakeholder, context: Pick<StakeholderContext, 'escalationSla' | 'now'>): Date {
  const { within } = stakeholder.inform;
  if (within !== 'escalation-sla') return new Date(context.now.getTime() + within.hours * 3_600_000);
  const due = context.escalationSla ? computeSlaDueAt(context.escalationSla, context.now) : context.now;
  return new Date(Math.max(due.getTime(), context.now.getTime() + IMMEDIATE_FLOOR_MS));
}

/**
 * The organisation's own rules of whom to tell: each stakeholder whose threshold the incident's severity reaches
 * gets a required task for the DPO, due by the rule, and a briefing drafted from the template for the DPO to
 * approve and send. Ids are derived from the incident and the stakeholder, so a retried triage writes the same items.
 */
export function stakeholderNotices(
  stakeholders: Stakeholder[],
  context: StakeholderContext,
): { tasks: Task[]; notifications: Notification[] } {
  const chosen = stakeholders.filter((s) => atLeast(context.severity, s.inform.severityAtLeast));
  const at = context.now.toISOString();
  const tasks: Task[] = [];
  const notifications: Notification[] = [];
  for (const stakeholder of chosen) {
    const role = ROLE_LABEL[stakeholder.role];
    const notificationId = `ntf_${context.incidentId.replace(/^inc_/, '')}_${stakeholder.id}`;
    const rendered = renderNotice('stakeholder-briefing', {
      ...context.facts,
      reference: context.incidentId,
      severity: context.severity,
      riskLevel: context.riskLevel,
      stakeholder: { name: stakeholder.name, role },
    });
    tasks.push({
      id: `task_stakeholder_${stakeholder.id}`,
      incidentId: context.incidentId,
      purpose: 'stakeholder',
      title: `Inform the ${role}, ${stakeholder.name} (notification ${notificationId})`,
      stage: 'NOTIFICATION',
      assignee: { type: 'role', id: 'dpo' },
      required: true,
      approval: false,
      status: 'open',
      dueAt: dueFor(stakeholder, context).toISOString(),
      createdAt: at,
      version: 1,
    });
    notifications.push({
      id: notificationId,
      incidentId: context.incidentId,
      obligationId: null,
      templateId: rendered.templateId,
      subject: rendered.subject,
      body: rendered.body,
      missing: rendered.missing,
      recipients: [{ email: stakeholder.email, name: stakeholder.name }],
      status: 'draft',
      deliveries: [],
      acknowledgement: null,
      createdAt: at,
      createdBy: 'system:triage',
      approvedAt: null,
      approvedBy: null,
      sentAt: null,
      chasedAt: null,
      version: 1,
    });
  }
  return { tasks, notifications };
}
