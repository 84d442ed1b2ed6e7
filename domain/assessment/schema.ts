import { z } from 'zod';
import {
  Cause,
  DeadlineAnchor,
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
  encryption: Encryption.default({ state: 'none', keyCompromised: false }),
  exfiltration: Exfiltration.default('none'),
  mitigations: Mitigations.default({}),
  role: Role.default('controller'),
  /** The controller's main establishment (ISO code); drives the GDPR one-stop-shop. */
  mainEstablishment: JurisdictionCode.optional(),
  sectors: z.array(Sector).default([]),
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
  leadAuthority: z
    .object({ regimeId: z.string(), jurisdiction: z.string(), authorityName: z.string(), reasoning: z.string() })
    .optional(),
  obligations: z.array(Obligation),
  warnings: z.array(z.string()),
});
export type AssessmentResult = z.infer<typeof AssessmentResult>;
