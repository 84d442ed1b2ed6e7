import type { Attachment } from '../attachments/schema';
import { z } from 'zod';
import type { ChainHead } from '../audit/chain';
import type { ObligationSummary, TrackedObligation } from '../obligations/schema';
import type { Notification } from '../notifications/schema';
import type { Task } from '../tasks/schema';
import type { SlaPeriod } from '../severity/schema';

export const incidentStatusSchema = z.enum(['open', 'closed']);
export const incidentSourceSchema = z.enum(['api', 'web-form', 'sentry', 'audit-log']);
export const severityLevelSchema = z.enum(['critical', 'high', 'medium', 'low']);

const instant = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time with a time zone, e.g. 2026-03-10T09:30:00Z' });

export const createIncidentSchema = z.object({
  formId: z.string().min(1, 'required').max(100),
  breachTypeId: z.string().min(1).max(100).optional(),
  responses: z.record(z.string(), z.unknown()),
  occurredAt: instant.optional(),
  discoveredAt: instant.optional(),
});
export type CreateIncidentInput = z.infer<typeof createIncidentSchema>;

export const transitionSchema = z.object({
  targetStage: z.string().min(1, 'required').max(40),
  notes: z.string().max(10_000).optional(),
});

export const commentSchema = z.object({ body: z.string().trim().min(1, 'required').max(20_000) });

/** How `discoveredAt` was decided; the record says so because regulators ask. */
export const discoveredAtSourceSchema = z.enum(['request', 'form-field', 'defaulted-to-reported-at', 'awareness-decision']);

export interface IncidentAwareness {
  status: 'pending' | 'aware' | 'not-a-breach';
  signalId: string;
  slaHours: number;
  requestedAt: string;
  dueAt: string;
  decidedAt?: string;
  decidedBy?: string;
  rationale?: string;
  recordedAt?: string;
}

export interface Incident {
  id: string;
  formId: string;
  formVersion: number;
  breachTypeId: string | null;
  responses: Record<string, unknown>;
  stage: string;
  status: z.infer<typeof incidentStatusSchema>;
  severity: { level: z.infer<typeof severityLevelSchema>; score: number } | null;
  source: z.infer<typeof incidentSourceSchema>;
  workflow: { id: string; version: number };
  reportedAt: string;
  discoveredAt: string;
  discoveredAtSource: z.infer<typeof discoveredAtSourceSchema>;
  occurredAt: string | null;
  /** Signal-opened incidents: when the signal detected it, and the awareness decision that sets discoveredAt. */
  detectedAt?: string;
  awareness?: IncidentAwareness;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  audit: ChainHead;
  /** Set by automated triage: the assessment's outcome and the obligations it tracks. */
  triage?: {
    triagedAt: string;
    riskLevel: string;
    priority: string;
  };
  /** Counts and the next deadline of the obligations, kept on the summary so a list never reads them. */
  obligationSummary?: ObligationSummary;
  /** Set when a workflow that owns a legal clock failed for good: a person must take over. */
  automation?: AutomationFailure;
  /** Facts responders supplied after the report (categories, people per jurisdiction...), which override the form's answers in assessments. */
  assessmentFacts?: Record<string, unknown>;
}

export interface AutomationFailure {
  status: 'failed';
  functionId: string;
  reason: string;
  failedAt: string;
}

export interface IncidentComment {
  id: string;
  body: string;
  author: string;
  createdAt: string;
}

/** Facts a responder supplied after the report, kept as the request made them. */
export interface Reassessment {
  id: string;
  facts: Record<string, unknown>;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

/** What the register's lists show of an incident: the summary item, without the report's answers. */
export type IncidentSummary = Omit<Incident, 'responses'> & { responses?: Record<string, unknown> };

/** The assessment's reasoning, kept beside the summary (it grows with the jurisdictions; the summary must not). */
export interface IncidentAssessment {
  id: 'current';
  assessedAt: string;
  riskReasons: string[];
  assumptions: string[];
  warnings: string[];
  /** The seed's SLAs for the severity (they follow from the level; kept here as assessed). */
  sla?: { initialAssessment: SlaPeriod; escalationToDpLead: SlaPeriod };
  leadAuthority?: { regimeId: string; jurisdiction: string; authorityName: string };
}

/** The whole incident: its summary item and every child item of its collection. */
export interface IncidentAggregate {
  incident: Incident;
  assessment: IncidentAssessment | null;
  obligations: TrackedObligation[];
  tasks: Task[];
  notifications: Notification[];
  comments: IncidentComment[];
  reassessments: Reassessment[];
  attachments: Attachment[];
}
