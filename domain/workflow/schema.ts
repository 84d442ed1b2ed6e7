import { z } from 'zod';
import { permissionSchema } from '../auth/permissions';
import { assigneeSchema } from '../tasks/schema';

export const stageKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'an upper-case stage key such as INVESTIGATING');

/** A stage SLA is a fixed duration, or taken from the seed's severity table once the incident is scored. */
export const stageSlaSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed'), amount: z.number().int().min(1).max(10_000), unit: z.enum(['hours', 'business-days']) }),
  z.object({ type: z.literal('by-severity'), measure: z.enum(['initialAssessment', 'escalationToDpLead']) }),
]);
export type StageSla = z.infer<typeof stageSlaSchema>;

export const taskTemplateSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, _ or -'),
  title: z.string().trim().min(1).max(300),
  assignee: assigneeSchema.nullable().default(null),
  required: z.boolean().default(true),
  approval: z.boolean().default(false),
});

export const stageNotificationSchema = z.object({
  to: z.union([z.enum(['dpo', 'escalation']), z.email()]),
  subject: z.string().trim().min(1).max(300),
});

export const stageSchema = z.object({
  key: stageKeySchema,
  name: z.string().trim().min(1).max(120),
  final: z.boolean().default(false),
  sla: stageSlaSchema.nullable().default(null),
  tasks: z.array(taskTemplateSchema).max(50).default([]),
  notifyOnEnter: z.array(stageNotificationSchema).max(20).default([]),
});

export const transitionRuleSchema = z.object({
  from: stageKeySchema,
  to: stageKeySchema,
  guards: z
    .object({
      requiredTasksComplete: z.boolean().default(false),
      approvalsGiven: z.boolean().default(false),
      permission: permissionSchema.optional(),
    })
    .default({ requiredTasksComplete: false, approvalsGiven: false }),
});

export const workflowInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  initialStage: stageKeySchema,
  stages: z.array(stageSchema).min(2, 'at least two stages').max(40),
  transitions: z.array(transitionRuleSchema).min(1).max(400),
});
export type WorkflowInput = z.input<typeof workflowInputSchema>;
export type WorkflowDefinition = z.infer<typeof workflowInputSchema>;

export interface WorkflowVersion {
  workflowId: string;
  number: number;
  definition: WorkflowDefinition;
  createdAt: string;
  createdBy: string;
}

export interface Workflow {
  id: string;
  name: string;
  currentVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}
