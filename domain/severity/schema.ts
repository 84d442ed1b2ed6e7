import { z } from 'zod';

/** Stable data-category codes; labels from forms are mapped onto these by `normaliseDataCategory`. */
export const DataCategory = z.enum([
  'contact',
  'identity',
  'government-id',
  'financial',
  'payment-card',
  'credentials',
  'health',
  'genetic',
  'biometric',
  'children',
  'special-category',
  'criminal',
  'location',
  'employment',
  'purchase-history',
  'communications',
  'public',
  'anonymised',
]);
export type DataCategory = z.infer<typeof DataCategory>;

/** Ordered from most to least serious, as the issue ranks them. */
export const ExposureType = z.enum(['exfiltration', 'unauthorized-access', 'accidental-disclosure', 'loss', 'unknown']);
export type ExposureType = z.infer<typeof ExposureType>;

export const EncryptionState = z.enum(['none', 'partial', 'full']);
export type EncryptionState = z.infer<typeof EncryptionState>;

export const Encryption = z.object({
  state: EncryptionState,
  keyCompromised: z.boolean().default(false),
});
export type Encryption = z.infer<typeof Encryption>;

export const SeverityLevel = z.enum(['critical', 'high', 'medium', 'low']);
export type SeverityLevel = z.infer<typeof SeverityLevel>;

export const Priority = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Priority = z.infer<typeof Priority>;

export const SeverityFactorName = z.enum(['data-sensitivity', 'volume', 'exposure', 'encryption', 'geographic-scope']);

export const SeverityInput = z.object({
  personalDataInvolved: z.boolean().default(true),
  dataCategories: z.array(DataCategory).default([]),
  affectedCount: z.number().int().min(0),
  exposureType: ExposureType,
  encryption: Encryption.default({ state: 'none', keyCompromised: false }),
  /** Distinct jurisdictions whose residents are affected (ISO codes). */
  jurisdictions: z.array(z.string().min(2)).default([]),
});
export type SeverityInput = z.input<typeof SeverityInput>;

const Points = z.number().int().min(0).max(100);

/** Bands must be sorted by `min` with non-decreasing points, otherwise "more people never lowers the score" breaks. */
const Bands = z
  .array(z.object({ min: z.number().int().min(0), points: Points }))
  .min(1)
  .superRefine((bands, ctx) => {
    bands.forEach((b, i) => {
      const prev = bands[i - 1];
      if (prev && (b.min <= prev.min || b.points < prev.points)) {
        ctx.addIssue({ code: 'custom', path: [i], message: 'bands must have increasing min and non-decreasing points' });
      }
    });
  });

/** Per-organisation overrides; every field optional and merged over the defaults. */
export const SeverityConfig = z
  .object({
    categoryWeights: z.partialRecord(DataCategory, Points),
    /** Points added per extra category weighing at least `minWeight`, capped at `max`. */
    combinationBonus: z.object({ perCategory: Points, max: Points, minWeight: Points }),
    volumeBands: Bands,
    exposurePoints: z.partialRecord(ExposureType, Points),
    /** Reductions are zero or negative so that encryption can never raise a score. */
    encryptionPoints: z.object({ full: z.number().int().min(-100).max(0), partial: z.number().int().min(-100).max(0) }),
    geographyBands: Bands,
  })
  .partial();
export type SeverityConfig = z.input<typeof SeverityConfig>;

export const SeverityFactor = z.object({
  factor: SeverityFactorName,
  points: z.number().int(),
  reason: z.string(),
});
export type SeverityFactor = z.infer<typeof SeverityFactor>;

export const SlaPeriod = z.object({
  amount: z.number().int().min(0),
  unit: z.enum(['immediate', 'hours', 'business-days']),
  label: z.string(),
});
export type SlaPeriod = z.infer<typeof SlaPeriod>;

export const SeverityResult = z.object({
  score: z.number().int().min(0).max(100),
  level: SeverityLevel,
  priority: Priority,
  factors: z.array(SeverityFactor),
  sla: z.object({ initialAssessment: SlaPeriod, escalationToDpLead: SlaPeriod }),
});
export type SeverityResult = z.infer<typeof SeverityResult>;
