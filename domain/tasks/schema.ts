import { z } from 'zod';

export const taskStatusSchema = z.enum(['open', 'completed', 'approved', 'rejected']);
export const assigneeSchema = z.object({ type: z.enum(['user', 'team', 'role']), id: z.string().trim().min(1).max(200) });

export type Assignee = z.infer<typeof assigneeSchema>;

export const taskSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  purpose: z.enum(['notification', 'awareness', 'review', 'general', 'information-request', 'stakeholder']),
  title: z.string(),
  obligationId: z.string().optional(),
  stage: z.string().optional(),
  assignee: assigneeSchema.nullable(),
  required: z.boolean(),
  approval: z.boolean(),
  status: taskStatusSchema,
  dueAt: z.string().nullable(),
  note: z.string().optional(),
  completedAt: z.string().optional(),
  completedBy: z.string().optional(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Task = z.infer<typeof taskSchema>;
