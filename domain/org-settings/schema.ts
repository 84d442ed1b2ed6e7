import { z } from 'zod';
import { MAX_SINGLE_UPLOAD_BYTES } from '../attachments/schema';
import { SeverityConfig, SeverityLevel } from '../severity/schema';
import { assigneeSchema } from '../tasks/schema';

export const evidenceSettingsSchema = z.strictObject({
  /** The largest file one upload may declare. */
  maxUploadBytes: z.number().int().min(1024).max(MAX_SINGLE_UPLOAD_BYTES).optional(),
  /** How long a verified file is kept under governance-mode retention (where the bucket has Object Lock). */
  retentionDays: z.number().int().min(1).max(36_500).optional(),
  /** A withdrawn file is put under legal hold rather than left to its retention. */
  legalHoldOnWithdrawal: z.boolean().optional(),
});

export const stakeholderRoleSchema = z.enum([
  'executive-sponsor',
  'data-fiduciary',
  'legal-counsel',
  'communications',
  'insurer',
  'processor-contact',
  'controller-contact',
]);

/** A person the organisation informs of its breaches beside regulators and data subjects, and when. */
export const stakeholderSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  role: stakeholderRoleSchema,
  name: z.string().trim().min(1).max(200),
  email: z.email('an email address'),
  /** Their user id (the token's `sub`): what the system sends them also lands in their in-app inbox. */
  sub: z.string().min(1).max(200).optional(),
  inform: z.strictObject({
    /** Incidents of this severity or worse. */
    severityAtLeast: SeverityLevel,
    /** By when: the escalation SLA of the incident's severity, or a fixed number of hours after triage. */
    within: z.union([
      z.literal('escalation-sla'),
      z.strictObject({
        hours: z
          .number()
          .int()
          .min(1)
          .max(24 * 90),
      }),
    ]),
  }),
});
export type Stakeholder = z.infer<typeof stakeholderSchema>;

/** What each organisation configures for itself; anything unset falls back to the deployment's defaults. */
export const orgSettingsInputSchema = z.object({
  dpoEmail: z.email().optional(),
  escalationEmail: z.email().optional(),
  role: z.enum(['controller', 'processor']).optional(),
  mainEstablishment: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code such as DE or DE-BY')
    .optional(),
  severity: SeverityConfig.optional(),
  /** Regulatory-clock reminders as fractions of the window from awareness to the deadline. */
  reminderFractions: z.array(z.number().gt(0).lt(1)).min(1).max(10).optional(),
  /** How long a legal notice may stay unsent because the mail service fails before the DP lead is told. */
  noticeOutageAlertMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
  evidence: evidenceSettingsSchema.optional(),
  stakeholders: z
    .array(stakeholderSchema)
    .max(50)
    .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'stakeholder ids must be unique')
    .optional(),
  /** Whose in-app inbox receives what is emailed to the DPO and to the DP lead (a role or a user); both default to the `dpo` role. */
  inbox: z.strictObject({ dpo: assigneeSchema.optional(), escalation: assigneeSchema.optional() }).optional(),
});
export type OrgSettingsInput = z.infer<typeof orgSettingsInputSchema>;

export interface OrgSettings extends OrgSettingsInput {
  version: number;
  updatedAt: string | null;
}

export interface ResolvedOrgSettings {
  dpoEmail: string;
  escalationEmail: string;
  role: 'controller' | 'processor';
  mainEstablishment?: string;
  severity?: z.infer<typeof SeverityConfig>;
  reminderFractions?: number[];
  noticeOutageAlertMinutes: number;
  evidence: Required<z.infer<typeof evidenceSettingsSchema>>;
  stakeholders: Stakeholder[];
  inbox: { dpo: Assignee; escalation: Assignee };
}

type Assignee = z.infer<typeof assigneeSchema>;

const DEFAULT_EVIDENCE = { maxUploadBytes: 100 * 1024 ** 2, retentionDays: 5 * 365, legalHoldOnWithdrawal: true };
const DEFAULT_NOTICE_OUTAGE_ALERT_MINUTES = 60;
const DPO_ROLE: Assignee = { type: 'role', id: 'dpo' };

/** What the deployment configures; the rest of the defaults are the product's own. */
export type DeploymentDefaults = Pick<ResolvedOrgSettings, 'dpoEmail' | 'escalationEmail' | 'role' | 'mainEstablishment'> &
  Partial<ResolvedOrgSettings>;

/** The organisation's own choices over the deployment's defaults. */
export function resolveOrgSettings(settings: OrgSettingsInput, defaults: DeploymentDefaults): ResolvedOrgSettings {
  return {
    dpoEmail: settings.dpoEmail ?? defaults.dpoEmail,
    escalationEmail: settings.escalationEmail ?? defaults.escalationEmail,
    role: settings.role ?? defaults.role,
    mainEstablishment: settings.mainEstablishment ?? defaults.mainEstablishment,
    severity: settings.severity ?? defaults.severity,
    reminderFractions: settings.reminderFractions ?? defaults.reminderFractions,
    noticeOutageAlertMinutes: settings.noticeOutageAlertMinutes ?? defaults.noticeOutageAlertMinutes ?? DEFAULT_NOTICE_OUTAGE_ALERT_MINUTES,
    evidence: { ...DEFAULT_EVIDENCE, ...defaults.evidence, ...settings.evidence },
    stakeholders: settings.stakeholders ?? defaults.stakeholders ?? [],
    inbox: { dpo: settings.inbox?.dpo ?? DPO_ROLE, escalation: settings.inbox?.escalation ?? DPO_ROLE },
  };
}
