import { InvalidError } from '../shared/errors';
import { countryOf, jurisdictionCovers, normaliseJurisdiction } from '../jurisdictions/codes';
import { rulesInForce } from '../regulations/rules';
import type { Catalog, Recipient, Regime, Rule, Trigger } from '../regulations/schema';
import { normaliseDataCategories } from '../severity/categories';
import { scoreSeverity } from '../severity/rules';
import type { DataCategory, ExposureType, SeverityConfig } from '../severity/schema';
import { computeDeadline, endOfCalendarYear, type DeadlineContext } from './deadlines';
import { findAuthority, recipientAuthority, selectLeadAuthority } from './lead-authority';
import { assessRisk, riskRank } from './risk';
import {
  AssessmentInput,
  type AssessmentResult,
  type Obligation,
  type ParsedAssessmentInput,
  type RequiredState,
  type RiskAssessment,
} from './schema';

export interface AssessOptions {
  severityConfig?: SeverityConfig;
}

const RECIPIENT_LABEL: Record<Recipient, string> = {
  'supervisory-authority': 'Supervisory authority',
  individuals: 'Affected individuals',
  controller: 'The controller (data owner)',
  'attorney-general': 'State Attorney General',
  'consumer-reporting-agencies': 'Nationwide consumer reporting agencies',
  media: 'Prominent media outlets',
  public: 'The public',
  'sector-regulator': 'Sector regulator',
  'law-enforcement': 'Law enforcement',
  'internal-stakeholder': 'Internal stakeholder',
};

const RANK: Record<RequiredState, number> = { no: 0, conditional: 1, yes: 2 };

export function parseAssessmentInput(input: unknown): ParsedAssessmentInput {
  const parsed = AssessmentInput.safeParse(input);
  if (!parsed.success) {
    throw new InvalidError(
      'Invalid assessment input',
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/** The seed's exposure ranking derived from the facts: exfiltration above access above disclosure above loss. */
export function deriveExposureType(i: ParsedAssessmentInput): ExposureType {
  if (i.exfiltration !== 'none') return 'exfiltration';
  switch (i.cause) {
    case 'cyber-attack':
    case 'phishing':
    case 'malware':
    case 'ransomware':
    case 'insider-malicious':
      return 'unauthorized-access';
    case 'human-error':
    case 'misconfiguration':
      return 'accidental-disclosure';
    case 'lost-device':
    case 'theft':
    case 'system-failure':
      return 'loss';
    default:
      return i.nature.length === 1 && i.nature[0] === 'availability' ? 'loss' : 'unknown';
  }
}

interface Facts {
  input: ParsedAssessmentInput;
  categories: DataCategory[];
  risk: RiskAssessment;
  effectiveNature: Set<string>;
}

interface TriggerOutcome {
  state: RequiredState;
  reasons: string[];
}

function evaluateTrigger(t: Trigger, facts: Facts, count: number): TriggerOutcome {
  const reasons: string[] = [];
  let state: RequiredState = 'yes';
  const { input, categories, risk } = facts;
  if (t.riskAtLeast) {
    const gap = riskRank(t.riskAtLeast) - riskRank(risk.level);
    if (gap <= 0) reasons.push(`Risk is ${risk.level} (threshold ${t.riskAtLeast}).`);
    else if (gap === 1 && t.conditionalOneLevelBelow) {
      state = 'conditional';
      reasons.push(`Risk assessed as ${risk.level}, one level below the ${t.riskAtLeast} threshold: a judgement call.`);
    } else return { state: 'no', reasons: [`Risk is ${risk.level}, below the ${t.riskAtLeast} threshold.`] };
  }
  if (t.natureAny && !t.natureAny.some((n) => facts.effectiveNature.has(n))) {
    return { state: 'no', reasons: [`Breach nature is not ${t.natureAny.join(' or ')}.`] };
  }
  if (t.dataCategoriesAny) {
    const hit = t.dataCategoriesAny.filter((c) => categories.includes(c));
    if (hit.length === 0) return { state: 'no', reasons: [`No covered data category (${t.dataCategoriesAny.join(', ')}).`] };
    reasons.push(`Covered data involved: ${hit.join(', ')}.`);
  }
  if (t.causeAny) {
    if (!t.causeAny.includes(input.cause)) return { state: 'no', reasons: [`Cause '${input.cause}' is not one the trigger names.`] };
    reasons.push(`Cause '${input.cause}'.`);
  }
  if (t.causeNotAny?.includes(input.cause)) {
    return { state: 'no', reasons: [`Cause '${input.cause}' is covered by a different rule.`] };
  }
  if (t.exfiltrationAny && !t.exfiltrationAny.includes(input.exfiltration)) {
    return { state: 'no', reasons: [`Exfiltration '${input.exfiltration}' does not meet the trigger.`] };
  }
  if (t.minAffected !== undefined) {
    if (count < t.minAffected) return { state: 'no', reasons: [`${count} affected, below the threshold of ${t.minAffected}.`] };
    reasons.push(`${count} affected (threshold ${t.minAffected}).`);
  }
  if (t.maxAffected !== undefined) {
    if (count > t.maxAffected) return { state: 'no', reasons: [`${count} affected, above the ${t.maxAffected} this rule covers.`] };
    reasons.push(`${count} affected (at most ${t.maxAffected}).`);
  }
  if (t.sectorsAny) {
    const hit = t.sectorsAny.filter((s) => input.sectors.includes(s));
    if (hit.length === 0) return { state: 'no', reasons: [`Organisation is not in sector ${t.sectorsAny.join(' or ')}.`] };
    reasons.push(`Sector: ${hit.join(', ')}.`);
  }
  if (t.incidentAny) {
    const hit = t.incidentAny.filter((c) => input.cyberIncident.classes.includes(c));
    if (hit.length === 0) return { state: 'no', reasons: [`Incident not classified as ${t.incidentAny.join(' or ')}.`] };
    reasons.push(`Incident classified as ${hit.join(', ')}.`);
  }
  return { state, reasons };
}

function evaluateTriggers(rule: Rule, facts: Facts, count: number): TriggerOutcome {
  const outcomes = rule.triggers.map((t) => evaluateTrigger(t, facts, count));
  const best = outcomes.reduce((a, b) => (RANK[b.state] > RANK[a.state] ? b : a));
  return best.state === 'no' ? { state: 'no', reasons: outcomes.flatMap((o) => o.reasons) } : best;
}

interface Group {
  jurisdiction: string;
  count: number;
}

/** Affected people grouped by the regime's own jurisdiction codes (GDPR per country, a state law per state). */
function groupsFor(regime: Regime, affected: ParsedAssessmentInput['affected']): Group[] {
  const groups = new Map<string, number>();
  for (const a of affected) {
    const code = normaliseJurisdiction(a.jurisdiction);
    const covering = regime.jurisdictions.filter((j) => jurisdictionCovers(j, code)).sort((x, y) => y.length - x.length)[0];
    if (!covering) continue;
    groups.set(covering, (groups.get(covering) ?? 0) + a.count);
  }
  return [...groups].map(([jurisdiction, count]) => ({ jurisdiction, count }));
}

/**
 * Rules addressed to another kind of organisation are left out rather than listed as "no": a controller has no
 * use for processor duties, and sector rules (HIPAA, telecom) only concern organisations in that sector.
 * A processor still sees the controller's duties, marked "no", because it must help the controller meet them.
 */
function ruleConcernsOrganisation(rule: Rule, i: ParsedAssessmentInput): boolean {
  if (i.role === 'controller' && rule.appliesTo === 'processor') return false;
  return ruleConcernsSectors(rule, i);
}

function ruleConcernsSectors(rule: Rule, i: ParsedAssessmentInput): boolean {
  const sectorGated = rule.triggers.every((t) => t.sectorsAny !== undefined);
  return !sectorGated || rule.triggers.some((t) => t.sectorsAny!.some((s) => i.sectors.includes(s)));
}

/**
 * Establishment-based regimes (NIS2, DORA, SOCI, SEC) apply where the organisation is established or operates,
 * not where the affected people live; the count is still the affected people in that territory (FTC's 500).
 * Without a declared place the affected jurisdictions stand in, and a single-territory regime whose sector the
 * organisation declares applies in its territory.
 */
function establishmentGroups(regime: Regime, i: ParsedAssessmentInput, affected: ParsedAssessmentInput['affected']): Group[] {
  const declared = [...i.operatesIn, ...(i.mainEstablishment ? [i.mainEstablishment] : [])];
  const coveringOf = (code: string) =>
    regime.jurisdictions.filter((j) => jurisdictionCovers(j, normaliseJurisdiction(code))).sort((x, y) => y.length - x.length)[0];
  let places = [...new Set(declared.map(coveringOf).filter((c): c is string => c !== undefined))];
  if (places.length === 0)
    places = [...new Set(affected.map((a) => coveringOf(a.jurisdiction)).filter((c): c is string => c !== undefined))];
  const declaresSector = regime.rules.some((r) => r.triggers.some((t) => t.sectorsAny?.some((s) => i.sectors.includes(s))));
  if (places.length === 0 && regime.jurisdictions.length === 1 && declaresSector) places = [regime.jurisdictions[0]!];
  return places.map((jurisdiction) => ({
    jurisdiction,
    count: affected.filter((a) => jurisdictionCovers(jurisdiction, normaliseJurisdiction(a.jurisdiction))).reduce((s, a) => s + a.count, 0),
  }));
}

/** Individuals first, so "N days after notifying individuals" resolves; a later stage after the stage it counts from. */
function orderRules(rules: Rule[]): Rule[] {
  const pending = [...rules].sort((a, b) => Number(b.recipient === 'individuals') - Number(a.recipient === 'individuals'));
  const ordered: Rule[] = [];
  while (pending.length > 0) {
    const next = pending.findIndex(
      (r) =>
        !r.deadline.afterRule || ordered.some((o) => o.id === r.deadline.afterRule) || !pending.some((p) => p.id === r.deadline.afterRule),
    );
    ordered.push(...pending.splice(next === -1 ? 0 : next, 1));
  }
  return ordered;
}

function subdivisionGroups(regime: Regime, affected: ParsedAssessmentInput['affected']): Group[] {
  const groups = new Map<string, number>();
  for (const a of affected) {
    const code = normaliseJurisdiction(a.jurisdiction);
    if (!regime.jurisdictions.some((j) => jurisdictionCovers(j, code))) continue;
    groups.set(code, (groups.get(code) ?? 0) + a.count);
  }
  return [...groups].map(([jurisdiction, count]) => ({ jurisdiction, count }));
}

export function assessObligations(input: unknown, catalog: Catalog, options: AssessOptions = {}): AssessmentResult {
  const i = parseAssessmentInput(input);
  const { categories, unknown } = normaliseDataCategories(i.dataCategories);
  if (unknown.length > 0) {
    throw new InvalidError(
      'Unknown data categories',
      unknown.map((label) => ({
        path: `dataCategories.${i.dataCategories.indexOf(label)}`,
        message: `'${label}' is not a known data category or label`,
      })),
    );
  }
  const awareAt = new Date(i.awareAt);
  const warnings: string[] = [];

  const engine = assessRisk(i, categories);
  const risk: RiskAssessment = i.riskOverride
    ? {
        level: i.riskOverride.level,
        source: 'override',
        reasons: [`Override: ${i.riskOverride.rationale}`, ...engine.reasons.map((r) => `Engine (${engine.level}): ${r}`)],
      }
    : { level: engine.level, source: 'engine', reasons: engine.reasons };

  const affectedJurisdictions = [...new Set(i.affected.filter((a) => a.count > 0).map((a) => normaliseJurisdiction(a.jurisdiction)))];
  const severity = scoreSeverity(
    {
      personalDataInvolved: i.personalDataInvolved,
      dataCategories: categories,
      affectedCount: i.affected.reduce((s, a) => s + a.count, 0),
      exposureType: deriveExposureType(i),
      encryption: i.encryption,
      jurisdictions: affectedJurisdictions,
    },
    options.severityConfig,
  );

  const effectiveNature = new Set<string>(i.nature);
  if (i.exfiltration !== 'none') effectiveNature.add('confidentiality');
  const facts: Facts = { input: i, categories, risk, effectiveNature };

  const obligations: Obligation[] = [];
  let leadAuthority: AssessmentResult['leadAuthority'];
  const covered = new Set<string>();
  const positiveAffected = i.affected.filter((a) => a.count > 0);

  for (const regime of catalog.regimes) {
    // A regime addressed only to sectors the organisation is not in (HIPAA, NIS2, DORA…) is skipped silently.
    if (!regime.rules.some((r) => ruleConcernsSectors(r, i))) continue;
    const byEstablishment = regime.appliesBy === 'establishment';
    const groups = byEstablishment ? establishmentGroups(regime, i, positiveAffected) : groupsFor(regime, positiveAffected);
    if (groups.length === 0) continue;
    if (!byEstablishment) {
      positiveAffected.forEach((a) => {
        if (regime.jurisdictions.some((j) => jurisdictionCovers(j, a.jurisdiction))) covered.add(normaliseJurisdiction(a.jurisdiction));
      });
    }
    const rules = rulesInForce(regime, awareAt);
    if (rules.length === 0) {
      warnings.push(`${regime.shortName}: no rule in force on ${awareAt.toISOString()}.`);
      continue;
    }

    const lead =
      i.role === 'controller' && !byEstablishment
        ? selectLeadAuthority(
            regime,
            i.mainEstablishment,
            groups.map((g) => g.jurisdiction),
          )
        : undefined;
    if (lead) {
      leadAuthority = {
        regimeId: regime.id,
        jurisdiction: lead.jurisdiction,
        authorityName: lead.authority?.name ?? lead.jurisdiction,
        reasoning: lead.reasoning,
      };
    } else if (regime.oneStopShop && i.role === 'controller' && groups.length > 0) {
      warnings.push(
        `${regime.shortName}: no main establishment in its territory given, so every supervisory authority whose residents are affected is notified (EDPB Guidelines 9/2022).`,
      );
    }

    const hasProcessorRule = rules.some((r) => r.appliesTo !== 'controller');
    if (i.role === 'processor' && !hasProcessorRule) {
      warnings.push(
        `${regime.shortName}: the catalog records no direct duty for processors/service providers; notify the controller as your contract requires.`,
      );
    }

    const ctxBase = (): Omit<DeadlineContext, 'anchors'> => ({
      timeZone: regime.timeZone,
      calendar: catalog.calendars.find((c) => c.id === regime.calendarId),
    });
    const individualsDue = new Map<string, Date>();
    const stageDue = new Map<string, Date>();
    const cyber = i.cyberIncident;

    for (const rule of orderRules(rules)) {
      if (!ruleConcernsOrganisation(rule, i)) continue;
      const perGroup: Group[] =
        lead && rule.recipient === 'supervisory-authority' && rule.appliesTo === 'controller'
          ? [{ jurisdiction: lead.jurisdiction, count: groups.reduce((s, g) => s + g.count, 0) }]
          : rule.perSubdivision
            ? subdivisionGroups(regime, positiveAffected)
            : groups;
      for (const group of perGroup) {
        const ob = buildObligation(regime, rule, group, facts, {
          ...ctxBase(),
          anchors: {
            awareness: awareAt,
            determination: i.determinedAt ? new Date(i.determinedAt) : awareAt,
            'end-of-calendar-year': endOfCalendarYear(awareAt, regime.timeZone),
            ...(individualsDue.get(group.jurisdiction) ? { 'individual-notice': individualsDue.get(group.jurisdiction) } : {}),
            classification: cyber.classifiedAt ? new Date(cyber.classifiedAt) : awareAt,
            'materiality-determination': cyber.materialityDeterminedAt ? new Date(cyber.materialityDeterminedAt) : awareAt,
            ...(cyber.extortionPaymentAt ? { 'extortion-payment': new Date(cyber.extortionPaymentAt) } : {}),
            ...(rule.deadline.afterRule && stageDue.get(`${rule.deadline.afterRule}|${group.jurisdiction}`)
              ? { 'previous-stage': stageDue.get(`${rule.deadline.afterRule}|${group.jurisdiction}`) }
              : {}),
          },
          factor: i.smallEnterprise && rule.exemptions.some((e) => e.kind === 'small-enterprise-extension') ? 2 : 1,
        });
        if (lead && rule.recipient === 'supervisory-authority' && rule.appliesTo === 'controller') {
          ob.reasoning.unshift(lead.reasoning);
        }
        if (rule.recipient === 'individuals' && ob.deadline) {
          const due = ob.deadline.dueAt ?? ob.deadline.recommendedBy;
          if (due) individualsDue.set(group.jurisdiction, new Date(due));
        }
        if (rule.deadline.from === 'determination' && !i.determinedAt && ob.required !== 'no') {
          ob.reasoning.push('No determinedAt given: counted from awareAt, the earliest possible determination.');
        }
        const anchorsUsed = [rule.deadline.from, ...(rule.deadline.earliestOf ?? []).map((l) => l.from)];
        if (anchorsUsed.includes('classification') && !cyber.classifiedAt && ob.required !== 'no') {
          ob.reasoning.push('No cyberIncident.classifiedAt given: counted from awareAt, the earliest possible classification.');
        }
        if (anchorsUsed.includes('materiality-determination') && !cyber.materialityDeterminedAt && ob.required !== 'no') {
          ob.reasoning.push('No cyberIncident.materialityDeterminedAt given: counted from awareAt, the earliest possible determination.');
        }
        if (rule.deadline.from === 'previous-stage' && ob.required !== 'no') {
          ob.reasoning.push(
            `Counted from the latest permitted time of '${rule.deadline.afterRule}'; filing that stage earlier brings this one forward.`,
          );
        }
        const stageAt = ob.required !== 'no' ? (ob.deadline?.dueAt ?? ob.deadline?.recommendedBy) : undefined;
        if (stageAt) stageDue.set(`${rule.id}|${group.jurisdiction}`, new Date(stageAt));
        obligations.push(ob);
      }
      if (lead?.crossBorder && rule.recipient === 'supervisory-authority' && rule.appliesTo === 'controller') {
        for (const g of groups.filter((g) => countryOf(g.jurisdiction) !== countryOf(lead.jurisdiction))) {
          const authority = findAuthority(regime, g.jurisdiction);
          obligations.push({
            ...skeleton(regime, rule, g),
            recipientName: authority?.name ?? RECIPIENT_LABEL[rule.recipient],
            required: 'no',
            deadline: null,
            reasoning: [`One-stop-shop: reported to the lead authority (${leadAuthority?.authorityName}) instead.`],
          });
        }
      }
    }
  }

  for (const a of positiveAffected) {
    const code = normaliseJurisdiction(a.jurisdiction);
    if (!covered.has(code)) warnings.push(`No regime in the catalog covers ${code}: obligations there are not assessed.`);
  }
  if (i.personalDataInvolved && positiveAffected.length === 0) {
    warnings.push('No affected jurisdictions given: no regime could be applied.');
  }
  const verificationWarnings: string[] = [];
  for (const regime of catalog.regimes) {
    const used = obligations.some((o) => o.regimeId === regime.id && o.required !== 'no');
    if (used && !regime.verified)
      verificationWarnings.push(`${regime.shortName}: regime facts not fully verified (${regime.note ?? 'see catalog'}).`);
  }
  for (const o of obligations) {
    if (!o.verified && o.required !== 'no')
      verificationWarnings.push(`${o.id}: rule not verified against its source; check ${o.sourceUrl}.`);
  }
  warnings.push(...verificationWarnings);

  return {
    catalogVersion: catalog.version,
    awareAt: awareAt.toISOString(),
    dataCategories: categories,
    riskLevel: risk,
    severity,
    ...(leadAuthority ? { leadAuthority } : {}),
    obligations,
    warnings,
    verificationWarnings,
  };
}

function skeleton(regime: Regime, rule: Rule, group: Group): Omit<Obligation, 'required' | 'deadline' | 'reasoning' | 'recipientName'> {
  const authority = recipientAuthority(regime, rule, group.jurisdiction);
  return {
    id: `${regime.id}/${rule.id}/${group.jurisdiction}`,
    regimeId: regime.id,
    regimeName: regime.name,
    ruleId: rule.id,
    jurisdiction: group.jurisdiction,
    recipient: rule.recipient,
    channel: 'direct',
    affectedCount: group.count,
    stages: [],
    ...(authority ? { howToNotify: authority.howToNotify, authorityUrl: authority.url } : {}),
    ...(authority?.reportingUrl ? { reportingUrl: authority.reportingUrl } : {}),
    legalReference: rule.legalReference,
    sourceUrl: rule.sourceUrl,
    verified: rule.verified && (authority?.verified ?? true),
    ...(rule.templateId ? { templateId: rule.templateId } : {}),
    content: rule.content,
  };
}

function buildObligation(regime: Regime, rule: Rule, group: Group, facts: Facts, ctx: DeadlineContext): Obligation {
  const { input } = facts;
  const authority = recipientAuthority(regime, rule, group.jurisdiction);
  const base = skeleton(regime, rule, group);
  const recipientName = authority?.name ?? rule.recipientName ?? RECIPIENT_LABEL[rule.recipient];
  const reasoning: string[] = [`Threshold: ${rule.threshold}`];

  if (rule.appliesTo !== 'any' && rule.appliesTo !== input.role) {
    return {
      ...base,
      recipientName,
      required: 'no',
      deadline: null,
      reasoning: [
        rule.appliesTo === 'controller'
          ? `Duty of the controller/data owner; as ${input.role} you notify and assist the controller.`
          : `Duty of processors/service providers; you act as ${input.role}.`,
      ],
    };
  }
  if (!input.personalDataInvolved && rule.scope === 'personal-data') {
    return { ...base, recipientName, required: 'no', deadline: null, reasoning: ['No personal data involved.'] };
  }

  const outcome = evaluateTriggers(rule, facts, group.count);
  reasoning.push(...outcome.reasons);
  let required = outcome.state;
  let condition: string | undefined = required === 'conditional' ? rule.threshold : undefined;
  let channel: Obligation['channel'] = 'direct';

  if (required !== 'no') {
    for (const ex of rule.exemptions) {
      const ref = ex.legalReference ? ` (${ex.legalReference})` : '';
      switch (ex.kind) {
        case 'encryption':
          if (input.encryption.state === 'full' && !input.encryption.keyCompromised) {
            required = 'no';
            reasoning.push(`Exemption${ref}: ${ex.text} Data fully encrypted and key not compromised.`);
          } else if (input.encryption.state !== 'none') {
            reasoning.push(
              `Encryption exemption${ref} does not apply: ${input.encryption.keyCompromised ? 'key compromised' : 'encryption only partial'}.`,
            );
          }
          break;
        case 'subsequent-measures':
          if (input.mitigations.highRiskNoLongerLikely || input.mitigations.dataRecoveredOrDeleted) {
            required = 'no';
            reasoning.push(`Exemption${ref}: ${ex.text}`);
          }
          break;
        case 'disproportionate-effort':
          if (input.mitigations.individualNoticeDisproportionate) {
            channel = 'public-communication';
            reasoning.push(`Substitute notice${ref}: ${ex.text}`);
          }
          break;
        case 'risk-of-harm':
        case 'low-probability-of-compromise':
          if (facts.risk.level === 'no-risk' && required === 'yes') {
            required = 'conditional';
            condition = ex.text;
            reasoning.push(`Risk assessed as no-risk: ${ex.text}${ref}`);
          }
          break;
        case 'law-enforcement-delay':
          if (input.mitigations.lawEnforcementDelay) {
            reasoning.push(`Law enforcement delay${ref}: ${ex.text}`);
            condition = condition ? `${condition}; ${ex.text}` : ex.text;
          }
          break;
        case 'small-enterprise-extension':
          if (input.smallEnterprise) reasoning.push(`Small enterprise${ref}: ${ex.text}`);
          break;
        case 'other':
          reasoning.push(`To check${ref}: ${ex.text}`);
          break;
      }
      if (required === 'no') break;
    }
  }
  if (rule.note) reasoning.push(rule.note);
  if (!rule.verified) reasoning.push('Unverified rule: confirm against the source before relying on it.');

  if (required === 'no') {
    if (rule.recipient === 'supervisory-authority') reasoning.push('Document the breach internally (e.g. GDPR Art. 33(5)).');
    return { ...base, recipientName, required, deadline: null, reasoning };
  }
  const deadline = computeDeadline(rule.deadline, ctx);
  const firstReport = deadline.dueAt ?? deadline.recommendedBy;
  const stages = rule.stages.map((s) => ({
    stage: s.stage,
    description: s.description,
    deadline: computeDeadline(s.deadline, {
      ...ctx,
      anchors: { ...ctx.anchors, ...(firstReport ? { 'first-report': new Date(firstReport) } : {}) },
    }),
  }));
  return {
    ...base,
    recipientName,
    required,
    ...(condition ? { condition } : {}),
    channel,
    deadline,
    stages,
    reasoning,
  };
}
