import { z } from 'zod';
import { isJurisdictionCode } from '../jurisdictions/codes';
import { DataCategory } from '../severity/schema';

export const JurisdictionCode = z.string().refine(isJurisdictionCode, { message: 'not an ISO 3166-1 alpha-2 or ISO 3166-2 code' });

const IsoDate = z.iso.date();
const Url = z.url();

export const Recipient = z.enum([
  'supervisory-authority',
  'individuals',
  'controller',
  'attorney-general',
  'consumer-reporting-agencies',
  'media',
  'public',
  'sector-regulator',
  'law-enforcement',
  /** A person of the organisation told by its own rule (executive sponsor, counsel, insurer...), not by a law. */
  'internal-stakeholder',
]);
export type Recipient = z.infer<typeof Recipient>;

export const Role = z.enum(['controller', 'processor']);
export type Role = z.infer<typeof Role>;

export const Nature = z.enum(['confidentiality', 'integrity', 'availability']);
export type Nature = z.infer<typeof Nature>;

export const Cause = z.enum([
  'cyber-attack',
  'ransomware',
  'phishing',
  'malware',
  'insider-malicious',
  'theft',
  'human-error',
  'misconfiguration',
  'lost-device',
  'system-failure',
  'other',
]);
export type Cause = z.infer<typeof Cause>;

/**
 * Sector memberships and entity types that switch sector-specific regimes on (HIPAA, telecom rules, CERT-In scope)
 * and the cyber-incident regimes that are addressed to a kind of entity rather than to whoever holds personal data.
 */
export const Sector = z.enum([
  'hipaa-covered-entity',
  'hipaa-business-associate',
  'electronic-communications-provider',
  'financial-services',
  'nis2-essential-entity',
  'nis2-important-entity',
  'dora-financial-entity',
  'sec-registrant',
  'sec-reg-s-p-covered-institution',
  'nydfs-covered-entity',
  'glba-financial-institution',
  'soci-responsible-entity',
]);
export type Sector = z.infer<typeof Sector>;

export const RiskLevel = z.enum(['no-risk', 'risk', 'high-risk']);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const PeriodUnit = z.enum(['hours', 'calendar-days', 'business-days', 'calendar-months']);
export type PeriodUnit = z.infer<typeof PeriodUnit>;

export const Period = z.object({ amount: z.number().int().positive(), unit: PeriodUnit });
export type Period = z.infer<typeof Period>;

/**
 * What a deadline is counted from; `awareness` is the input's `awareAt`. `classification`,
 * `materiality-determination` and `extortion-payment` come from the input's `cyberIncident`;
 * `previous-stage` is the due instant of another rule of the same regime (named by `afterRule`).
 */
export const DeadlineAnchor = z.enum([
  'awareness',
  'determination',
  'individual-notice',
  'end-of-calendar-year',
  'first-report',
  'classification',
  'materiality-determination',
  'extortion-payment',
  'previous-stage',
]);
export type DeadlineAnchor = z.infer<typeof DeadlineAnchor>;

/**
 * A legal deadline: a fixed outer limit (`within`) and/or a standard ("without undue delay").
 * Where only a standard exists, `recommendedWithin` is the product's target, labelled as such, never as law.
 */
export const Deadline = z
  .object({
    standard: z.string().optional(),
    within: Period.optional(),
    from: DeadlineAnchor.default('awareness'),
    recommendedWithin: Period.optional(),
    /** For `from: 'previous-stage'`: the id of the rule whose due instant is the anchor. */
    afterRule: z.string().optional(),
    /**
     * Further outer limits, the earliest of which wins ("4 hours after classification and at most 24 hours after
     * awareness"; "with the notice to residents or within 45 days, whichever is first"). Without `within` the limit
     * is the anchor instant itself ("at the same time as").
     */
    earliestOf: z.array(z.object({ within: Period.optional(), from: DeadlineAnchor, label: z.string() })).optional(),
    note: z.string().optional(),
  })
  .refine((d) => d.standard !== undefined || d.within !== undefined, {
    message: 'a deadline needs a standard or a fixed period',
  })
  .refine((d) => (d.from === 'previous-stage') === (d.afterRule !== undefined), {
    message: "afterRule is required with from 'previous-stage' and only then",
  });
export type Deadline = z.infer<typeof Deadline>;

export const Stage = z.object({
  stage: z.enum(['initial', 'preliminary', 'final', 'supplementary', 'detailed']),
  description: z.string(),
  deadline: Deadline,
});
export type Stage = z.infer<typeof Stage>;

/**
 * How the organisation classified a cyber incident under the regimes that key on it: NIS2 `significant`
 * (Art. 23(3)), DORA `major` (Art. 18), SEC `material` (8-K Item 1.05), NYDFS `reportable` (500.17(a)),
 * `extortion-payment` (NYDFS 500.17(c)), SOCI `critical` (significant impact, s 30BC) or `relevant-impact` (s 30BD).
 */
export const IncidentClass = z.enum(['significant', 'major', 'material', 'reportable', 'extortion-payment', 'critical', 'relevant-impact']);
export type IncidentClass = z.infer<typeof IncidentClass>;

/** Conditions that must all hold; a rule triggers when any of its triggers holds. */
export const Trigger = z.object({
  riskAtLeast: z.enum(['risk', 'high-risk']).optional(),
  /** When the assessed risk is one level below `riskAtLeast`, report `conditional` (a judgement the law leaves open). */
  conditionalOneLevelBelow: z.boolean().default(false),
  natureAny: z.array(Nature).optional(),
  dataCategoriesAny: z.array(DataCategory).optional(),
  causeAny: z.array(Cause).optional(),
  causeNotAny: z.array(Cause).optional(),
  exfiltrationAny: z.array(z.enum(['confirmed', 'suspected', 'none'])).optional(),
  /** Affected people in the obligation's jurisdiction, inclusive ("more than 500" is written 501). */
  minAffected: z.number().int().min(0).optional(),
  /** Inclusive upper bound ("fewer than 500" is written 499). */
  maxAffected: z.number().int().min(0).optional(),
  sectorsAny: z.array(Sector).optional(),
  incidentAny: z.array(IncidentClass).optional(),
});
export type Trigger = z.infer<typeof Trigger>;

export const ExemptionKind = z.enum([
  'encryption',
  'subsequent-measures',
  'disproportionate-effort',
  'risk-of-harm',
  'low-probability-of-compromise',
  'law-enforcement-delay',
  'small-enterprise-extension',
  'other',
]);
export type ExemptionKind = z.infer<typeof ExemptionKind>;

export const Exemption = z.object({
  kind: ExemptionKind,
  text: z.string(),
  legalReference: z.string().optional(),
});
export type Exemption = z.infer<typeof Exemption>;

const Provenance = {
  sourceUrl: Url,
  /** False where the fact could not be checked against a regulator's page or statute text. */
  verified: z.boolean(),
  /** The page actually read to confirm the fact, when it is not `sourceUrl` itself (e.g. a regulator summary). */
  verifiedVia: z.array(Url).optional(),
  note: z.string().optional(),
};

export const Rule = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  recipient: Recipient,
  recipientName: z.string().optional(),
  /** Whose duty it is: the controller (owner/licensor, fiduciary), the processor (service provider), or either. */
  appliesTo: z.enum(['controller', 'processor', 'any']),
  /** Count and report per subdivision of the regime's territory (e.g. HIPAA media notice per State). */
  perSubdivision: z.boolean().default(false),
  /** `cyber-incident` rules apply to incidents whether or not personal data is involved (NIS2, DORA, SEC 8-K). */
  scope: z.enum(['personal-data', 'cyber-incident']).default('personal-data'),
  effectiveFrom: IsoDate,
  effectiveTo: IsoDate.optional(),
  /** Human summary of the threshold, shown as the condition of `conditional` obligations. */
  threshold: z.string(),
  triggers: z.array(Trigger).min(1),
  deadline: Deadline,
  stages: z.array(Stage).default([]),
  exemptions: z.array(Exemption).default([]),
  content: z.array(z.string()).default([]),
  legalReference: z.string(),
  templateId: z.string().optional(),
  ...Provenance,
});
export type Rule = z.infer<typeof Rule>;

export const Authority = z.object({
  /** Jurisdictions this authority is competent for (a country, or a subdivision such as `DE-BY`). */
  jurisdictions: z.array(JurisdictionCode).min(1),
  /** Which rules' reports it receives: the data protection authority, or a sector body such as a national CSIRT. */
  receives: z.enum(['supervisory-authority', 'sector-regulator']).default('supervisory-authority'),
  name: z.string(),
  url: Url,
  howToNotify: z.string(),
  reportingUrl: Url.optional(),
  ...Provenance,
});
export type Authority = z.infer<typeof Authority>;

export const Regime = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  shortName: z.string(),
  /** Where the affected people must be for the regime to apply. */
  jurisdictions: z.array(JurisdictionCode).min(1),
  /**
   * `affected-residents`: applies where the affected people are (privacy laws). `establishment`: applies where the
   * organisation is established or operates (`operatesIn`, else `mainEstablishment`), as NIS2, DORA or SOCI do.
   */
  appliesBy: z.enum(['affected-residents', 'establishment']).default('affected-residents'),
  /** One-stop-shop: a controller with a main establishment in these jurisdictions reports to the lead authority only. */
  oneStopShop: z.boolean().default(false),
  timeZone: z.string(),
  calendarId: z.string().optional(),
  authorities: z.array(Authority).default([]),
  rules: z.array(Rule).min(1),
  ...Provenance,
});
export type Regime = z.infer<typeof Regime>;

export const Calendar = z.object({
  id: z.string(),
  timeZone: z.string(),
  /** Non-working dates (YYYY-MM-DD) besides Saturday and Sunday. */
  holidays: z.array(IsoDate),
  coversYears: z.array(z.number().int()),
  ...Provenance,
});
export type Calendar = z.infer<typeof Calendar>;

export const Catalog = z.object({
  version: z.string(),
  regimes: z.array(Regime),
  calendars: z.array(Calendar),
});
export type Catalog = z.infer<typeof Catalog>;
export type CatalogInput = z.input<typeof Catalog>;

export const RegulationSummary = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  jurisdictions: z.array(z.string()),
  recipients: z.array(Recipient),
  ruleCount: z.number().int(),
  /** True only when the regime and every one of its rules were checked against a source. */
  verified: z.boolean(),
  sourceUrl: z.string(),
});
export type RegulationSummary = z.infer<typeof RegulationSummary>;
