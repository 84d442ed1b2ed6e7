import { describe, expect, it } from 'vitest';
import type { IncidentChange } from '../../../domain/incidents/changes';
import type { IncidentAggregate } from '../../../domain/incidents/schema';
import { defaultWorkflowDefinition } from '../../../domain/workflow/default-workflow';
import { workflowInputSchema } from '../../../domain/workflow/schema';
import { SYSTEM_PERMISSIONS } from '../../../workflows/steps/system-actor';
import { withStageMove } from '../../../workflows/steps/stage-transition';

const now = new Date('2026-03-10T09:30:00Z');
const aggregate = (stage: string): IncidentAggregate => ({
  incident: {
    id: 'inc_1',
    formId: 'form_standard_breach_report',
    formVersion: 1,
    breachTypeId: null,
    responses: {},
    stage,
    status: 'open',
    severity: null,
    source: 'api',
    workflow: { id: 'wf_default_breach', version: 1 },
    reportedAt: now.toISOString(),
    discoveredAt: now.toISOString(),
    discoveredAtSource: 'request',
    occurredAt: null,
    createdBy: 'u',
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    audit: { head: '0'.repeat(64), seq: 1 },
  },
  assessment: null,
  obligations: [],
  tasks: [],
  notifications: [],
  comments: [],
  reassessments: [],
  attachments: [],
});
const triaged: IncidentChange = {
  action: 'incident.triaged',
  details: { severity: 'high' },
  set: { severity: { level: 'high', score: 70 } },
  children: [],
};
const context = { orgId: 'o', notes: 'Automated triage complete', permissions: SYSTEM_PERMISSIONS, now };

describe('the automated move folded into another change', () => {
  it('adds the stage, its tasks, its event and its own audit record to the change', () => {
    const { change, moved } = withStageMove(aggregate('REPORTED'), triaged, defaultWorkflowDefinition, 'TRIAGE', context);
    expect(moved).toBe(true);
    expect(change.action).toBe('incident.triaged');
    expect(change.set).toMatchObject({ severity: { level: 'high' }, stage: 'TRIAGE', status: 'open' });
    expect(change.alsoRecords).toEqual([
      { action: 'incident.stage.changed', details: { from: 'REPORTED', to: 'TRIAGE', notes: 'Automated triage complete' } },
    ]);
    // The entry of the stage is the version the one write makes (the same as a move of its own would have used).
    expect(change.children?.map((c) => c.value.id)).toEqual(['task_triage_confirm-scope_2']);
    expect(change.events?.map((e) => [e.name, e.id, (e.data as { version: number }).version])).toEqual([
      ['breach/incident.stage.changed', 'inc_1-v2', 2],
    ]);
  });

  it('leaves the change alone when the incident has moved on or the rule refuses the move', () => {
    expect(withStageMove(aggregate('INVESTIGATING'), triaged, defaultWorkflowDefinition, 'TRIAGE', context)).toEqual({
      change: triaged,
      moved: false,
    });
    const guarded = workflowInputSchema.parse({
      ...defaultWorkflowDefinition,
      transitions: [{ from: 'REPORTED', to: 'TRIAGE', guards: { permission: 'workflows:edit' } }],
    });
    expect(withStageMove(aggregate('REPORTED'), triaged, guarded, 'TRIAGE', { ...context, permissions: new Set() })).toEqual({
      change: triaged,
      moved: false,
    });
  });
});
