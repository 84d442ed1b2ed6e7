import type { DataCategory, ExposureType, SeverityLevel, SlaPeriod, Priority } from './schema';

/**
 * Base sensitivity points. Calibrated so that the category alone lands in the seed's band for its examples
 * (biometric/children/credentials near Critical, health/government IDs High, contact/employment Medium,
 * public/anonymised Low) and volume, exposure and scope move the score within and across bands.
 */
export const DEFAULT_CATEGORY_WEIGHTS: Record<DataCategory, number> = {
  biometric: 80,
  genetic: 80,
  children: 80,
  credentials: 80,
  'payment-card': 75,
  'special-category': 74,
  health: 70,
  criminal: 70,
  'government-id': 70,
  financial: 66,
  location: 45,
  communications: 42,
  identity: 36,
  contact: 35,
  employment: 35,
  'purchase-history': 32,
  public: 5,
  anonymised: 0,
};

export const DEFAULT_COMBINATION_BONUS = { perCategory: 2, max: 6, minWeight: 30 };

export const DEFAULT_VOLUME_BANDS = [
  { min: 0, points: 0 },
  { min: 2, points: 1 },
  { min: 10, points: 2 },
  { min: 100, points: 4 },
  { min: 1_000, points: 6 },
  { min: 10_000, points: 8 },
  { min: 100_000, points: 10 },
];

export const DEFAULT_EXPOSURE_POINTS: Record<ExposureType, number> = {
  exfiltration: 10,
  'unauthorized-access': 6,
  // Unknown exposure is scored like unauthorized access: assume the worse plausible case until investigated.
  unknown: 6,
  'accidental-disclosure': 3,
  loss: 1,
};

export const DEFAULT_ENCRYPTION_POINTS = { full: -30, partial: -10 };

export const DEFAULT_GEOGRAPHY_BANDS = [
  { min: 0, points: 0 },
  { min: 2, points: 3 },
  { min: 3, points: 5 },
  { min: 5, points: 7 },
];

/** Seed table: score ranges and SLAs per level. */
export const LEVELS: ReadonlyArray<{
  level: SeverityLevel;
  min: number;
  priority: Priority;
  initialAssessment: SlaPeriod;
  escalationToDpLead: SlaPeriod;
}> = [
  {
    level: 'critical',
    min: 90,
    priority: 'P1',
    initialAssessment: { amount: 4, unit: 'hours', label: '4 hours' },
    escalationToDpLead: { amount: 0, unit: 'immediate', label: 'Immediate' },
  },
  {
    level: 'high',
    min: 70,
    priority: 'P2',
    initialAssessment: { amount: 12, unit: 'hours', label: '12 hours' },
    escalationToDpLead: { amount: 24, unit: 'hours', label: '24 hours' },
  },
  {
    level: 'medium',
    min: 40,
    priority: 'P3',
    initialAssessment: { amount: 24, unit: 'hours', label: '24 hours' },
    escalationToDpLead: { amount: 48, unit: 'hours', label: '48 hours' },
  },
  {
    level: 'low',
    min: 0,
    priority: 'P4',
    initialAssessment: { amount: 48, unit: 'hours', label: '48 hours' },
    escalationToDpLead: { amount: 5, unit: 'business-days', label: '5 business days' },
  },
];
