import { addBusinessDays, addHours } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { InvalidError } from '../shared/errors';
import {
  DEFAULT_CATEGORY_WEIGHTS,
  DEFAULT_COMBINATION_BONUS,
  DEFAULT_ENCRYPTION_POINTS,
  DEFAULT_EXPOSURE_POINTS,
  DEFAULT_GEOGRAPHY_BANDS,
  DEFAULT_VOLUME_BANDS,
  LEVELS,
} from './defaults';
import {
  SeverityConfig,
  SeverityInput,
  type DataCategory,
  type SeverityFactor,
  type SeverityLevel,
  type SeverityResult,
  type SlaPeriod,
} from './schema';

export interface ResolvedSeverityConfig {
  categoryWeights: Record<DataCategory, number>;
  combinationBonus: { perCategory: number; max: number; minWeight: number };
  volumeBands: Array<{ min: number; points: number }>;
  exposurePoints: typeof DEFAULT_EXPOSURE_POINTS;
  encryptionPoints: { full: number; partial: number };
  geographyBands: Array<{ min: number; points: number }>;
}

function toIssues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }, prefix: string) {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/** Merges an organisation's overrides over the defaults; invalid overrides are an InvalidError, never ignored. */
export function resolveSeverityConfig(config: SeverityConfig = {}): ResolvedSeverityConfig {
  const parsed = SeverityConfig.safeParse(config);
  if (!parsed.success) throw new InvalidError('Invalid severity configuration', toIssues(parsed.error, 'config'));
  const c = parsed.data;
  return {
    categoryWeights: { ...DEFAULT_CATEGORY_WEIGHTS, ...c.categoryWeights },
    combinationBonus: c.combinationBonus ?? DEFAULT_COMBINATION_BONUS,
    volumeBands: c.volumeBands ?? DEFAULT_VOLUME_BANDS,
    exposurePoints: { ...DEFAULT_EXPOSURE_POINTS, ...c.exposurePoints },
    encryptionPoints: c.encryptionPoints ?? DEFAULT_ENCRYPTION_POINTS,
    geographyBands: c.geographyBands ?? DEFAULT_GEOGRAPHY_BANDS,
  };
}

function bandPoints(bands: ReadonlyArray<{ min: number; points: number }>, value: number): number {
  let points = 0;
  for (const band of bands) if (value >= band.min) points = band.points;
  return points;
}

export function levelForScore(score: number): (typeof LEVELS)[number] {
  const found = LEVELS.find((l) => score >= l.min);
  return found ?? LEVELS[LEVELS.length - 1]!;
}

export function scoreSeverity(input: SeverityInput, config?: SeverityConfig): SeverityResult {
  const parsed = SeverityInput.safeParse(input);
  if (!parsed.success) throw new InvalidError('Invalid severity input', toIssues(parsed.error, ''));
  const i = parsed.data;
  const cfg = resolveSeverityConfig(config);
  const factors: SeverityFactor[] = [];

  if (!i.personalDataInvolved) {
    factors.push({ factor: 'data-sensitivity', points: 0, reason: 'No personal data involved' });
    return finish(0, factors);
  }

  const weighted = i.dataCategories.map((c) => ({ c, w: cfg.categoryWeights[c] })).sort((a, b) => b.w - a.w);
  const top = weighted[0];
  const extra = weighted.slice(1).filter((x) => x.w >= cfg.combinationBonus.minWeight).length;
  const bonus = Math.min(extra * cfg.combinationBonus.perCategory, cfg.combinationBonus.max);
  factors.push({
    factor: 'data-sensitivity',
    points: (top?.w ?? 0) + bonus,
    reason: top
      ? `Most sensitive category '${top.c}' (${top.w})${bonus > 0 ? `; +${bonus} for ${extra} further significant categories` : ''}`
      : 'No data categories given',
  });

  factors.push({
    factor: 'volume',
    points: bandPoints(cfg.volumeBands, i.affectedCount),
    reason: `${i.affectedCount} affected individual(s)`,
  });

  factors.push({
    factor: 'exposure',
    points: cfg.exposurePoints[i.exposureType],
    reason: `Exposure type '${i.exposureType}'`,
  });

  const encPoints =
    i.encryption.keyCompromised || i.encryption.state === 'none'
      ? 0
      : i.encryption.state === 'full'
        ? cfg.encryptionPoints.full
        : cfg.encryptionPoints.partial;
  factors.push({
    factor: 'encryption',
    points: encPoints,
    reason:
      i.encryption.state === 'none'
        ? 'Data not encrypted'
        : i.encryption.keyCompromised
          ? `Encryption (${i.encryption.state}) gives no protection: key compromised`
          : `Data ${i.encryption.state === 'full' ? 'fully' : 'partially'} encrypted`,
  });

  const distinct = new Set(i.jurisdictions.map((j) => j.trim().toUpperCase())).size;
  factors.push({
    factor: 'geographic-scope',
    points: bandPoints(cfg.geographyBands, distinct),
    reason: `${distinct} jurisdiction(s) affected`,
  });

  const raw = factors.reduce((sum, f) => sum + f.points, 0);
  return finish(Math.max(0, Math.min(100, raw)), factors);
}

function finish(score: number, factors: SeverityFactor[]): SeverityResult {
  const band = levelForScore(score);
  return {
    score,
    level: band.level,
    priority: band.priority,
    factors,
    sla: { initialAssessment: band.initialAssessment, escalationToDpLead: band.escalationToDpLead },
  };
}

export function slaForLevel(level: SeverityLevel): SeverityResult['sla'] {
  const band = LEVELS.find((l) => l.level === level)!;
  return { initialAssessment: band.initialAssessment, escalationToDpLead: band.escalationToDpLead };
}

/** Absolute due instant of an SLA period started at `from`; business days count in the organisation's time zone. */
export function computeSlaDueAt(period: SlaPeriod, from: Date, timeZone = 'UTC'): Date {
  switch (period.unit) {
    case 'immediate':
      return new Date(from.getTime());
    case 'hours':
      return addHours(from, period.amount);
    case 'business-days':
      return new Date(addBusinessDays(new TZDate(from.getTime(), timeZone), period.amount).getTime());
  }
}
