import type { RiskLevel } from '../regulations/schema';
import type { DataCategory } from '../severity/schema';
import type { ParsedAssessmentInput } from './schema';

/**
 * Risk to individuals as severity × likelihood.
 *
 * Severity follows ENISA's methodology for personal data breach severity (2013): SE = DPC × EI + CB, where the
 * data processing context (DPC, 1–4 by the kind of data, raised for vulnerable people) is multiplied by the ease
 * of identification (EI, 0.25–1) and the circumstances of the breach (CB: who received the data, whether it can be
 * recovered, malicious intent) are added. The number of people, which EDPB Guidelines 9/2022 and 01/2021 name as a
 * factor ("the larger the number, the greater the impact"), adds a volume step. SE < 2 is low, < 3 medium, < 4 high,
 * otherwise very high (ENISA's bands).
 *
 * Likelihood follows the mitigations the EDPB examples credit: data unintelligible because the key is safe, data
 * returned or deleted by a trusted recipient, credentials reset before misuse, availability restored from backup
 * quickly. The level is then: negligible (unintelligible data) → no risk; unlikely → no risk below high severity, a
 * risk at high; otherwise a risk below high severity and a high risk from high severity up. Missing facts never
 * lower the level.
 */

/** Categories whose exposure is likely to cause significant damage on its own (GDPR Art. 9/10 data, children, fraud enablers). */
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

/** ENISA's base data processing context: 1 simple, 2 behavioural, 3 financial (and fraud enablers), 4 sensitive. */
const DPC_BASE: Record<DataCategory, number> = {
  public: 0,
  anonymised: 0,
  contact: 1,
  identity: 1,
  children: 1,
  employment: 2,
  location: 2,
  communications: 2,
  'purchase-history': 2,
  financial: 3,
  'payment-card': 3,
  credentials: 3,
  'government-id': 3,
  health: 4,
  genetic: 4,
  biometric: 4,
  'special-category': 4,
  criminal: 4,
};

/** ENISA's ease-of-identification multipliers; the input's `easeOfIdentification`, maximum when not stated. */
export const EASE_OF_IDENTIFICATION = { negligible: 0.25, limited: 0.5, significant: 0.75, maximum: 1 } as const;
export type EaseOfIdentification = keyof typeof EASE_OF_IDENTIFICATION;

/** Volume steps: EDPB 9/2022 — the larger the number of individuals, the greater the impact. */
export const VOLUME_STEPS: ReadonlyArray<{ atLeast: number; add: number }> = [
  { atLeast: 1_000_000, add: 1 },
  { atLeast: 100_000, add: 0.75 },
  { atLeast: 10_000, add: 0.5 },
  { atLeast: 1_000, add: 0.25 },
];

/** Availability loss that a backup restore bounds; longer outages are treated as a risk. */
export const SHORT_OUTAGE_HOURS = 24;

const MALICIOUS_CAUSES = new Set(['cyber-attack', 'ransomware', 'phishing', 'malware', 'insider-malicious', 'theft']);

const ORDER: RiskLevel[] = ['no-risk', 'risk', 'high-risk'];
export const riskRank = (l: RiskLevel): number => ORDER.indexOf(l);
const maxRisk = (a: RiskLevel, b: RiskLevel): RiskLevel => (riskRank(a) >= riskRank(b) ? a : b);

export type SeverityBand = 'low' | 'medium' | 'high' | 'very-high';
export type Likelihood = 'negligible' | 'unlikely' | 'possible' | 'likely';

export function severityBand(score: number): SeverityBand {
  return score < 2 ? 'low' : score < 3 ? 'medium' : score < 4 ? 'high' : 'very-high';
}

/**
 * The published reasoning as a matrix: data unintelligible to the recipient is no risk whatever its kind (EDPB 9/2022
 * on encrypted data); an unlikely harm is no risk unless severe; a possible or likely one is a risk, high when severe.
 */
export function riskFromMatrix(band: SeverityBand, likelihood: Likelihood): RiskLevel {
  if (likelihood === 'negligible') return 'no-risk';
  const severe = band === 'high' || band === 'very-high';
  if (likelihood === 'unlikely') return severe ? 'risk' : 'no-risk';
  return severe ? 'high-risk' : 'risk';
}

export interface EngineRisk {
  level: RiskLevel;
  reasons: string[];
}

interface Context {
  dpc: number;
  ei: number;
  volume: number;
  malicious: number;
  why: string[];
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

function processingContext(input: ParsedAssessmentInput, categories: readonly DataCategory[]): Context {
  const why: string[] = [];
  const known = categories.length > 0;
  let dpc = known ? Math.max(...categories.map((c) => DPC_BASE[c])) : 1;
  why.push(
    known
      ? `Data processing context ${dpc} (${categories.join(', ')}: ${['public/anonymised', 'simple', 'behavioural', 'financial or fraud-enabling', 'sensitive'][dpc]} data).`
      : 'Data categories not stated: assumed to be simple personal data (context 1).',
  );
  const vulnerable = input.vulnerableSubjects === true || categories.includes('children');
  if (vulnerable && dpc > 0) {
    dpc = Math.min(4, dpc + 1);
    why.push(`Vulnerable data subjects (children, patients or people in a dependent position): context raised to ${dpc}.`);
  }
  // An unstated ease of identification is taken at its maximum: missing facts never lower the level.
  const ease: EaseOfIdentification = input.easeOfIdentification ?? 'maximum';
  const ei = EASE_OF_IDENTIFICATION[ease];
  why.push(`Ease of identification ${ease} (× ${ei})${input.easeOfIdentification ? ', as stated' : ', assumed as not stated'}.`);

  const people = input.affected.reduce((s, a) => s + a.count, 0) || input.approximateRecords || 0;
  const step = VOLUME_STEPS.find((s) => people >= s.atLeast);
  const volume = step?.add ?? 0;
  if (step)
    why.push(
      `${people.toLocaleString('en-US')} people affected: + ${step.add} for volume (at least ${step.atLeast.toLocaleString('en-US')}).`,
    );
  const malicious = MALICIOUS_CAUSES.has(input.cause) ? 0.5 : 0;
  if (malicious) why.push(`Malicious cause (${input.cause}): + 0.5.`);
  return { dpc, ei, volume, malicious, why };
}

/**
 * The runbook's decision tree as a risk level with reasons. Deliberately conservative: where facts are missing
 * (no categories, no recipient, no restore time) the breach is treated as at least a risk, never as no-risk.
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
  if (categories.length > 0 && categories.every((c) => DPC_BASE[c] === 0)) {
    return { level: 'no-risk', reasons: [...reasons, 'Only public or anonymised data involved.'] };
  }

  const ctx = processingContext(input, categories);
  reasons.push(...ctx.why);
  const base = ctx.dpc * ctx.ei + ctx.volume + ctx.malicious;
  const m = input.mitigations;
  const highHarm = categories.filter((c) => HIGH_HARM_CATEGORIES.has(c));
  let level: RiskLevel = 'no-risk';

  const judge = (label: string, circumstances: number, circumstancesWhy: string, likelihood: Likelihood, likelihoodWhy: string): void => {
    const score = base + circumstances;
    const band = severityBand(score);
    const result = riskFromMatrix(band, likelihood);
    reasons.push(
      `${label}: ${result}. Severity ${fmt(ctx.dpc)} × ${fmt(ctx.ei)}${ctx.volume ? ` + ${fmt(ctx.volume)}` : ''}${ctx.malicious ? ' + 0.5' : ''} + ${fmt(circumstances)} = ${fmt(score)} (${band}); ${circumstancesWhy} Likelihood ${likelihood}: ${likelihoodWhy}`,
    );
    level = maxRisk(level, result);
  };

  if (nature.has('confidentiality')) {
    const recipient = input.unauthorisedRecipient ?? (input.exfiltration !== 'none' ? 'untrusted' : 'unknown');
    const cb = recipient === 'trusted' ? 0.25 : 0.5;
    const cbWhy =
      recipient === 'trusted'
        ? 'disclosed to a known, trusted recipient (+ 0.25).'
        : `disclosed to ${recipient === 'untrusted' ? 'an untrusted party' : 'recipients not known to be trusted'} (+ 0.5).`;
    let likelihood: Likelihood = input.exfiltration === 'confirmed' || recipient === 'untrusted' ? 'likely' : 'possible';
    let lw = input.exfiltration === 'confirmed' ? 'the data is confirmed to be in unauthorised hands.' : 'misuse cannot be ruled out.';
    if (input.encryption.state === 'full' && !input.encryption.keyCompromised) {
      likelihood = 'negligible';
      lw = 'the data is fully encrypted and the key was not compromised, so it is unintelligible to the recipient.';
    } else if (m.dataRecoveredOrDeleted && input.exfiltration === 'none' && recipient !== 'untrusted') {
      likelihood = 'unlikely';
      lw = 'a trusted recipient returned or deleted the data, with confirmation, and nothing was exfiltrated.';
    } else if (m.credentialsReset && highHarm.length === 1 && highHarm[0] === 'credentials') {
      likelihood = 'unlikely';
      lw = 'the credentials were reset before misuse, so account takeover is no longer likely.';
    } else {
      if (input.encryption.keyCompromised) lw += ' The encryption key was compromised: encryption gives no protection.';
      if (input.encryption.state === 'partial') lw += ' Only partly encrypted: the unencrypted part is exposed.';
    }
    judge('Confidentiality', cb, cbWhy, likelihood, lw);
  }

  if (nature.has('integrity')) {
    const cb = m.backupRestored ? 0.25 : 0.5;
    judge(
      'Integrity',
      cb,
      m.backupRestored ? 'altered data can be and was restored (+ 0.25).' : 'altered data may have been used and was not restored (+ 0.5).',
      m.backupRestored ? 'unlikely' : 'possible',
      m.backupRestored ? 'the correct data was restored from backup.' : 'decisions may rest on wrong data.',
    );
  }

  if (nature.has('availability')) {
    const hours = m.unavailableHours;
    const cb = m.backupRestored ? 0.25 : 0.5;
    const careAffected = highHarm.includes('health');
    const quick = m.backupRestored && hours !== undefined && hours <= SHORT_OUTAGE_HOURS && !careAffected;
    judge(
      'Availability',
      cb,
      m.backupRestored ? 'temporary loss, restored from backup (+ 0.25).' : 'data lost or unavailable without a restore (+ 0.5).',
      quick ? 'unlikely' : m.backupRestored && !careAffected ? 'possible' : 'likely',
      quick
        ? `restored from backup within ${hours} h: no lasting consequence for individuals.`
        : m.backupRestored
          ? hours === undefined
            ? 'restored after an outage of unstated length.'
            : `unavailable for ${hours} h before the restore${careAffected ? ' (health data: care may be affected)' : ''}.`
          : 'nothing restores the data.',
    );
  }

  return { level, reasons };
}
