import { workflowInputSchema, type WorkflowDefinition } from './schema';

export const DEFAULT_WORKFLOW = { id: 'wf_default_breach', version: 1 } as const;

/**
 * The seeded breach workflow: forward through the response, back to investigation when containment or
 * notification reveals more, out to DISMISSED early. Triage's SLA is the seed's initial-assessment SLA by
 * severity; leaving NOTIFICATION needs the DPO's approval of external communications, and closing needs
 * every required remediation task done.
 */
export const defaultWorkflowDefinition: WorkflowDefinition = workflowInputSchema.parse({
  name: 'Breach response',
  description: 'Default breach response workflow',
  initialStage: 'REPORTED',
  stages: [
    { key: 'REPORTED', name: 'Reported' },
    {
      key: 'TRIAGE',
      name: 'Triage',
      sla: { type: 'by-severity', measure: 'initialAssessment' },
      tasks: [
        {
          key: 'confirm-scope',
          title: 'Confirm severity, scope and affected jurisdictions',
          assignee: { type: 'role', id: 'dpo' },
          required: false,
        },
      ],
    },
    { key: 'INVESTIGATING', name: 'Investigating', sla: { type: 'fixed', amount: 72, unit: 'hours' } },
    {
      key: 'CONTAINMENT',
      name: 'Containment',
      sla: { type: 'fixed', amount: 48, unit: 'hours' },
      tasks: [
        {
          key: 'contain',
          title: 'Contain the breach (rotate credentials, revoke access, patch)',
          assignee: { type: 'team', id: 'engineering' },
          required: true,
        },
      ],
    },
    {
      key: 'NOTIFICATION',
      name: 'Notification',
      sla: { type: 'fixed', amount: 72, unit: 'hours' },
      tasks: [
        {
          key: 'approve-communications',
          title: 'Approve external communications',
          assignee: { type: 'role', id: 'dpo' },
          required: true,
          approval: true,
        },
      ],
    },
    {
      key: 'REMEDIATION',
      name: 'Remediation',
      sla: { type: 'fixed', amount: 10, unit: 'business-days' },
      tasks: [
        { key: 'lessons-learned', title: 'Record root cause and lessons learned', assignee: { type: 'role', id: 'dpo' }, required: true },
      ],
    },
    { key: 'CLOSED', name: 'Closed', final: true },
    { key: 'DISMISSED', name: 'Dismissed (not a personal data breach)', final: true },
  ],
  transitions: [
    { from: 'REPORTED', to: 'TRIAGE' },
    { from: 'REPORTED', to: 'DISMISSED' },
    { from: 'TRIAGE', to: 'INVESTIGATING' },
    { from: 'TRIAGE', to: 'DISMISSED' },
    { from: 'INVESTIGATING', to: 'CONTAINMENT' },
    { from: 'INVESTIGATING', to: 'NOTIFICATION' },
    { from: 'INVESTIGATING', to: 'DISMISSED' },
    { from: 'CONTAINMENT', to: 'INVESTIGATING' },
    { from: 'CONTAINMENT', to: 'NOTIFICATION', guards: { requiredTasksComplete: true } },
    { from: 'CONTAINMENT', to: 'REMEDIATION', guards: { requiredTasksComplete: true } },
    { from: 'NOTIFICATION', to: 'INVESTIGATING' },
    { from: 'NOTIFICATION', to: 'REMEDIATION', guards: { approvalsGiven: true } },
    { from: 'REMEDIATION', to: 'CLOSED', guards: { requiredTasksComplete: true, permission: 'breach-tasks:approve' } },
  ],
});
