import type { RiskLevel } from '../regulations/schema';
import type { DataCategory } from '../severity/schema';
import type { ParsedAssessmentInput } from './schema';

/**
 * Categories whose exposure is likely to cause significant damage on its own (GDPR Art. 9/10 data,
 * children, and data enabling fraud or identity theft), per the factors in recital 75 and EDPB Guidelines 9/2022.
 */
export const HIGH_HARM_CATEGORIES: ReadonlySet<DataCategory> = new Set<DataCategory>([
  'health',
  'genetic',
  'biometric',
  'children',
  'special-category',
  'criminal',
  'government-id',
  'financial',
  'payment-card',
  'credentials',
]);

/** Data whose exposure carries little or no risk to individuals. */
const NEGLIGIBLE_CATEGORIES: ReadonlySet<DataCategory> = new Set<DataCategory>(['public', 'anonymised']);

/** Availability loss that the runbook's backup restore bounds; longer outages are treated as a risk. */
export const SHORT_OUTAGE_HOURS = 24;

const ORDER: RiskLevel[] = ['no-risk', 'risk', 'high-risk'];
export const riskRank = (l: RiskLevel): number => ORDER.indexOf(l);
const maxRisk = (a: RiskLevel, b: RiskLevel): RiskLevel => (riskRank(a) >= riskRank(b) ? a : b);
const lower = (l: RiskLevel): RiskLevel => ORDER[Math.max(0, riskRank(l) - 1)]!;

export interface EngineRisk {
  level: RiskLevel;
  reasons: string[];
}

/**
 * The runbook's decision tree, steps 1–4, as a risk level. Deliberately conservative: where facts are
 * missing (no categories given) the breach is treated as a risk, never as no-risk.
 */
export function assessRisk(input: ParsedAssessmentInput, categories: readonly DataCategory[]): EngineRisk {
  const reasons: string[] = [];
  if (!input.personalDataInvolved) {
    return { level: 'no-risk', reasons: ['No personal data involved: not a personal data breach (document internally).'] };
  }
  const nature = new Set(input.nature);
  if (input.exfiltration !== 'none' && !nature.has('confidentiality')) {
    nature.add('confidentiality');
    reasons.push(`Exfiltration ${input.exfiltration}: treated as a confidentiality breach.`);
  }
  if (nature.size === 0) {
    return {
      level: 'no-risk',
      reasons: [...reasons, 'Data was not accessed, disclosed, altered or lost: no breach to notify (document internally).'],
    };
  }

  const highHarm = categories.filter((c) => HIGH_HARM_CATEGORIES.has(c));
  const meaningful = categories.filter((c) => !NEGLIGIBLE_CATEGORIES.has(c));
  const m = input.mitigations;
  // Unknown categories must not lower the risk: assume ordinary personal data.
  const base: RiskLevel =
    highHarm.length > 0 ? 'high-risk' : meaningful.length > 0 || categories.length === 0 ? 'risk' : 'no-risk';
  const baseReason =
    highHarm.length > 0
      ? `Sensitive categories involved (${highHarm.join(', ')}): damage to individuals likely to be severe.`
      : meaningful.length > 0
        ? `Personal data involved (${meaningful.join(', ')}).`
        : categories.length === 0
          ? 'Data categories not stated: assumed to be ordinary personal data.'
          : 'Only public or anonymised data involved.';

  let level: RiskLevel = 'no-risk';

  if (nature.has('confidentiality')) {
    let c: RiskLevel = base;
    const why = [baseReason];
    if (input.encryption.state === 'full' && !input.encryption.keyCompromised) {
      c = 'no-risk';
      why.push('Data fully encrypted and key not compromised: unintelligible to the unauthorised party.');
    } else {
      if (input.encryption.keyCompromised) why.push('Encryption key compromised: encryption gives no protection.');
      if (input.encryption.state === 'partial') why.push('Only partly encrypted: the unencrypted part is exposed.');
      if (m.dataRecoveredOrDeleted && input.exfiltration === 'none') {
        c = lower(c);
        why.push('Data recovered or deleted by a trusted recipient, no exfiltration: likelihood of harm reduced.');
      }
      const onlyCredentials = highHarm.length === 1 && highHarm[0] === 'credentials';
      if (m.credentialsReset && onlyCredentials && c === 'high-risk') {
        c = 'risk';
        why.push('Credentials reset before misuse: account takeover no longer likely.');
      }
      if (input.exfiltration === 'confirmed') why.push('Exfiltration confirmed: data is in unauthorised hands.');
    }
    reasons.push(`Confidentiality: ${c}. ${why.join(' ')}`);
    level = maxRisk(level, c);
  }

  if (nature.has('integrity')) {
    let c: RiskLevel = base === 'no-risk' ? 'no-risk' : highHarm.some((x) => x === 'health' || x === 'financial') ? 'high-risk' : 'risk';
    const why = ['Data was altered.'];
    if (m.backupRestored) {
      c = lower(c);
      why.push('Correct data restored from backup.');
    }
    reasons.push(`Integrity: ${c}. ${why.join(' ')}`);
    level = maxRisk(level, c);
  }

  if (nature.has('availability')) {
    let c: RiskLevel;
    const why: string[] = [];
    const hours = m.unavailableHours;
    if (base === 'no-risk') {
      c = 'no-risk';
      why.push('Only public or anonymised data was unavailable.');
    } else if (m.backupRestored && hours !== undefined && hours <= SHORT_OUTAGE_HOURS && !highHarm.includes('health')) {
      c = 'no-risk';
      why.push(`Restored from backup within ${hours} h: no lasting consequence for individuals.`);
    } else if (!m.backupRestored) {
      c = highHarm.length > 0 ? 'high-risk' : 'risk';
      why.push('Data lost or unavailable without restore from backup.');
    } else {
      c = highHarm.includes('health') ? 'high-risk' : 'risk';
      why.push(
        hours === undefined
          ? 'Restored from backup after an unstated outage.'
          : `Unavailable for ${hours} h before restore${highHarm.includes('health') ? ' (health data: care may be affected)' : ''}.`,
      );
    }
    reasons.push(`Availability: ${c}. ${why.join(' ')}`);
    level = maxRisk(level, c);
  }

  return { level, reasons };
}
