import { z } from 'zod';
import {
  Cause,
  DeadlineAnchor,
  IncidentClass,
  JurisdictionCode,
  Nature,
  Period,
  Recipient,
  RiskLevel,
  Role,
  Sector,
  Stage,
} from '../regulations/schema';
import { Encryption, SeverityResult } from '../severity/schema';

const Instant = z.iso.datetime({ offset: true });

export const Exfiltration = z.enum(['confirmed', 'suspected', 'none']);
export type Exfiltration = z.infer<typeof Exfiltration>;

export const Mitigations = z
  .object({
    /** Data sent to / taken by a trusted recipient was returned or securely deleted, with confirmation. */
    dataRecoveredOrDeleted: z.boolean(),
    /** Systems/data restored from backup. */
    backupRestored: z.boolean(),
    /** How long the data was unavailable, in hours (availability breaches). */
    unavailableHours: z.number().min(0),
    /** Compromised credentials were reset/revoked before misuse. */
    credentialsReset: z.boolean(),
    /** The controller has taken measures ensuring a high risk is no longer likely to materialise (GDPR Art. 34(3)(b)). */
    highRiskNoLongerLikely: z.boolean(),
    /** Contacting each individual would involve disproportionate effort (GDPR Art. 34(3)(c)): a public notice replaces it. */
    individualNoticeDisproportionate: z.boolean(),
    /** Law enforcement asked for notice to be delayed. */
    lawEnforcementDelay: z.boolean(),
    description: z.string(),
  })
  .partial();
export type Mitigations = z.infer<typeof Mitigations>;

export const AffectedGroup = z.object({
  jurisdiction: JurisdictionCode,
  count: z.number().int().min(0),
});

/** How the organisation classified the incident under the cyber-incident regimes, and when. */
export const CyberIncident = z.object({
  classes: z.array(IncidentClass).default([]),
  /** When the incident was classified as significant/major/reportable (DORA, NYDFS 500.17(a)); defaults to `awareAt`. */
  classifiedAt: Instant.optional(),
  /** When the registrant determined the incident is material (SEC 8-K Item 1.05); defaults to `awareAt`. */
  materialityDeterminedAt: Instant.optional(),
  /** When an extortion payment was made (NYDFS 500.17(c)). */
  extortionPaymentAt: Instant.optional(),
});
export type CyberIncident = z.infer<typeof CyberIncident>;

export const AssessmentInput = z.object({
  awareAt: Instant,
  /** When the organisation determined the breach is notifiable (Singapore-style clocks); defaults to `awareAt`. */
  determinedAt: Instant.optional(),
  occurredAt: Instant.optional(),
  personalDataInvolved: z.boolean(),
  nature: z.array(Nature).default([]),
  cause: Cause.default('other'),
  /** Category codes or free labels (e.g. the seed form's "Personal", "Financial"). */
  dataCategories: z.array(z.string().min(1)).default([]),
  affected: z.array(AffectedGroup).default([]),
  approximateRecords: z.number().int().min(0).optional(),
  /** ENISA ease of identification; derived from the data categories when absent. */
  easeOfIdentification: z.enum(['negligible', 'limited', 'significant', 'maximum']).optional(),
  /** Who received the data: a known trusted recipient (e.g. a misdirected e-mail to a professional contact), an untrusted party, or unknown. */
  unauthorisedRecipient: z.enum(['trusted', 'untrusted', 'unknown']).optional(),
  /** Children, patients, or people in a dependent position (employees, the elderly) are among the data subjects. */
  vulnerableSubjects: z.boolean().optional(),
  encryption: Encryption.default({ state: 'none', keyCompromised: false }),
  exfiltration: Exfiltration.default('none'),
  mitigations: Mitigations.default({}),
  role: Role.default('controller'),
  /** The controller's main establishment (ISO code); drives the GDPR one-stop-shop. */
  mainEstablishment: JurisdictionCode.optional(),
  sectors: z.array(Sector).default([]),
  /** Where the organisation is established or provides its services; selects establishment-based regimes (NIS2, DORA, SOCI). */
  operatesIn: z.array(JurisdictionCode).default([]),
  cyberIncident: CyberIncident.default({ classes: [] }),
  /** Small processing agents get doubled deadlines under some regimes (e.g. Brazil). */
  smallEnterprise: z.boolean().default(false),
  /** The DPO's documented risk judgement replaces the engine's; the engine's reasons are still returned. */
  riskOverride: z.object({ level: RiskLevel, rationale: z.string().min(1) }).optional(),
});
export type AssessmentInput = z.input<typeof AssessmentInput>;
export type ParsedAssessmentInput = z.infer<typeof AssessmentInput>;

export const RequiredState = z.enum(['yes', 'no', 'conditional']);
export type RequiredState = z.infer<typeof RequiredState>;

export const ComputedDeadline = z.object({
  /** `fixed`: the law fixes an outer limit (dueAt); `standard`: only a standard such as "without undue delay". */
  kind: z.enum(['fixed', 'standard']),
  standard: z.string().optional(),
  dueAt: Instant.optional(),
  period: Period.optional(),
  from: DeadlineAnchor,
  anchorAt: Instant.optional(),
  /** Product target for standards without a fixed limit; not a legal deadline. */
  recommendedBy: Instant.optional(),
  timeZone: z.string(),
  text: z.string(),
});
export type ComputedDeadline = z.infer<typeof ComputedDeadline>;

export const ObligationStage = z.object({
  stage: Stage.shape.stage,
  description: z.string(),
  deadline: ComputedDeadline,
});

export const Obligation = z.object({
  id: z.string(),
  regimeId: z.string(),
  regimeName: z.string(),
  ruleId: z.string(),
  jurisdiction: z.string(),
  recipient: Recipient,
  recipientName: z.string(),
  required: RequiredState,
  condition: z.string().optional(),
  /** `public-communication` when Art. 34(3)(c)-style substitute notice replaces individual notice. */
  channel: z.enum(['direct', 'public-communication']).default('direct'),
  affectedCount: z.number().int().min(0),
  deadline: ComputedDeadline.nullable(),
  stages: z.array(ObligationStage),
  howToNotify: z.string().optional(),
  authorityUrl: z.string().optional(),
  reportingUrl: z.string().optional(),
  legalReference: z.string(),
  sourceUrl: z.string(),
  verified: z.boolean(),
  templateId: z.string().optional(),
  content: z.array(z.string()),
  reasoning: z.array(z.string()),
});
export type Obligation = z.infer<typeof Obligation>;

export const RiskAssessment = z.object({
  level: RiskLevel,
  source: z.enum(['engine', 'override']),
  reasons: z.array(z.string()),
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

export const AssessmentResult = z.object({
  catalogVersion: z.string(),
  awareAt: Instant,
  dataCategories: z.array(z.string()),
  riskLevel: RiskAssessment,
  severity: SeverityResult,
  leadAuthority: z.object({ regimeId: z.string(), jurisdiction: z.string(), authorityName: z.string(), reasoning: z.string() }).optional(),
  obligations: z.array(Obligation),
  warnings: z.array(z.string()),
  /** The warnings that say a regime or a rule was not verified against its source (a subset of `warnings`). */
  verificationWarnings: z.array(z.string()),
});
export type AssessmentResult = z.infer<typeof AssessmentResult>;
