import { z } from 'zod';

export const obligationStatusSchema = z.enum(['open', 'filed', 'not-notifying', 'not-required']);

export const filingSchema = z.object({
  phase: z.enum(['initial', 'supplementary', 'final']),
  filedAt: z.string(),
  reference: z.string().optional(),
  recordedBy: z.string(),
  late: z.boolean(),
  delayReason: z.string().optional(),
  summary: z.string().optional(),
});
export type Filing = z.infer<typeof filingSchema>;

/** One notification duty as the incident tracks it: what the assessment decided, and what was done. */
export const trackedObligationSchema = z.object({
  id: z.string(),
  regimeId: z.string(),
  regimeName: z.string(),
  jurisdiction: z.string(),
  recipient: z.string(),
  recipientName: z.string(),
  required: z.enum(['yes', 'no', 'conditional']),
  condition: z.string().optional(),
  dueAt: z.string().nullable(),
  recommendedBy: z.string().nullable(),
  deadlineText: z.string(),
  legalReference: z.string(),
  templateId: z.string().optional(),
  /** Whether the rule was checked against its source; where not, its source is the place to check it. */
  verified: z.boolean().optional(),
  sourceUrl: z.string().optional(),
  status: obligationStatusSchema,
  filings: z.array(filingSchema),
  decision: z
    .object({ decision: z.literal('not-notifying'), rationale: z.string(), approvedBy: z.string(), decidedAt: z.string() })
    .optional(),
  overdueAt: z.string().optional(),
  /** Bumped when a reassessment moves the deadline, so the old clock can be stopped and a new one started. */
  clockGeneration: z.number().int().min(1).optional(),
});
export type TrackedObligation = z.infer<typeof trackedObligationSchema>;

export const filingInputSchema = z.object({
  phase: z.enum(['initial', 'supplementary', 'final']),
  filedAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time' }).optional(),
  reference: z.string().trim().min(1).max(200).optional(),
  summary: z.string().max(20_000).optional(),
  delayReason: z.string().trim().min(1).max(10_000).optional(),
});

export const decisionInputSchema = z.object({
  decision: z.literal('not-notifying'),
  rationale: z.string().trim().min(1, 'required: Art. 33(5) needs the reasons on record').max(10_000),
  approvedBy: z.string().trim().min(1, 'required').max(200),
});

/** What a list shows of an incident's obligations without reading them. */
export const obligationSummarySchema = z.object({
  total: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  nextDueAt: z.string().nullable(),
  nextObligationId: z.string().nullable(),
});
export type ObligationSummary = z.infer<typeof obligationSummarySchema>;
