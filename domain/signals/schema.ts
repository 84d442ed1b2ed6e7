import { z } from 'zod';
import type { ChainHead } from '../audit/chain';

export const signalSourceSchema = z.enum(['sentry', 'audit-log']);
export type SignalSource = z.infer<typeof signalSourceSchema>;

/** One scale for every source; ordered from least to most severe. */
export const signalLevels = ['debug', 'info', 'warning', 'error', 'critical', 'fatal'] as const;
export const signalLevelSchema = z.enum(signalLevels);
export type SignalLevel = z.infer<typeof signalLevelSchema>;

export const signalStatusSchema = z.enum(['recorded', 'incident-opened', 'attached', 'dismissed']);
export type SignalStatus = z.infer<typeof signalStatusSchema>;

/** What a rule makes a signal do: only record it, open an incident (or attach to the open one), or only attach. */
export const signalActionSchema = z.enum(['record', 'open-incident', 'attach']);
export type SignalAction = z.infer<typeof signalActionSchema>;

export const signalLinkSchema = z.object({ label: z.string(), url: z.string() });

/** What a source mapper extracts from one verified delivery. */
export interface SignalDraft {
  source: SignalSource;
  resource: string;
  externalId: string;
  fingerprint: string;
  title: string;
  level: SignalLevel;
  /** False for lifecycle news (resolved, assigned…): such a signal is recorded, never acted on. */
  actionable: boolean;
  links: z.infer<typeof signalLinkSchema>[];
  excerpt: string;
  excerptTruncated: boolean;
  detectedAt: string;
}

export interface Signal extends SignalDraft {
  id: string;
  deliveryId: string;
  receivedAt: string;
  status: SignalStatus;
  /** The rule's decision at intake; a user's promote or dismiss is recorded in the audit trail. */
  plannedAction: SignalAction;
  incidentId: string | null;
  relatedSignalId: string | null;
  dismissal: { by: string; at: string; reason: string } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  audit: ChainHead;
}

export const signalRuleSchema = z.object({
  source: signalSourceSchema.optional(),
  resource: z.string().min(1).max(60).optional(),
  minLevel: signalLevelSchema.optional(),
  action: signalActionSchema,
});
export type SignalRule = z.infer<typeof signalRuleSchema>;

export const signalRulesInputSchema = z.object({
  rules: z.array(signalRuleSchema).max(50, 'at most 50 rules'),
  defaultAction: signalActionSchema.default('record'),
  attachWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
});
export type SignalRules = z.infer<typeof signalRulesInputSchema>;

export const dismissSignalSchema = z.object({ reason: z.string().trim().min(1, 'required').max(2_000) });
export const promoteSignalSchema = z.object({ notes: z.string().max(2_000).optional() });

export const webhookSecretInputSchema = z.object({
  /** Sentry issues the client secret, so it is supplied; for audit-log one is generated when omitted. */
  secret: z.string().min(16, 'at least 16 characters').max(512).optional(),
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
});

const instant = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time with a time zone, e.g. 2026-03-10T09:30:00Z' });
export const awarenessDecisionSchema = z.object({
  aware: z.boolean(),
  decidedAt: instant.optional(),
  rationale: z.string().trim().min(1, 'required').max(10_000),
});
export type AwarenessDecisionInput = z.infer<typeof awarenessDecisionSchema>;
