import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidError } from '../../../domain/shared/errors';
import {
  computeSlaDueAt,
  DataCategory,
  DEFAULT_CATEGORY_WEIGHTS,
  ExposureType,
  normaliseDataCategories,
  normaliseDataCategory,
  scoreSeverity,
  type SeverityInput,
} from '../../../domain/severity';

const base: SeverityInput = {
  dataCategories: ['contact'],
  affectedCount: 1,
  exposureType: 'loss',
  encryption: { state: 'none', keyCompromised: false },
  jurisdictions: ['GB'],
};

describe('scoreSeverity: seed bands, SLAs and the runbook priority', () => {
  it.each([
    // [case, input overrides, level, priority, initial assessment, escalation]
    [
      'biometric exfiltrated from many people',
      { dataCategories: ['biometric'], affectedCount: 5_000, exposureType: 'exfiltration' },
      'critical',
      'P1',
      '4 hours',
      'Immediate',
    ],
    [
      "children's data accessed at scale",
      { dataCategories: ['children'], affectedCount: 20_000, exposureType: 'unauthorized-access' },
      'critical',
      'P1',
      '4 hours',
      'Immediate',
    ],
    [
      'health records accessed',
      { dataCategories: ['health'], affectedCount: 1_500, exposureType: 'unauthorized-access' },
      'high',
      'P2',
      '12 hours',
      '24 hours',
    ],
    [
      'government IDs disclosed by mistake',
      { dataCategories: ['government-id'], affectedCount: 50, exposureType: 'accidental-disclosure' },
      'high',
      'P2',
      '12 hours',
      '24 hours',
    ],
    [
      'contact details accessed',
      { dataCategories: ['contact'], affectedCount: 1_500, exposureType: 'unauthorized-access' },
      'medium',
      'P3',
      '24 hours',
      '48 hours',
    ],
    [
      'employment data in a log file',
      { dataCategories: ['employment'], affectedCount: 30, exposureType: 'accidental-disclosure' },
      'medium',
      'P3',
      '24 hours',
      '48 hours',
    ],
    [
      'public information',
      { dataCategories: ['public'], affectedCount: 10_000, exposureType: 'exfiltration' },
      'low',
      'P4',
      '48 hours',
      '5 business days',
    ],
    [
      'anonymised dataset lost',
      { dataCategories: ['anonymised'], affectedCount: 100, exposureType: 'loss' },
      'low',
      'P4',
      '48 hours',
      '5 business days',
    ],
  ] as const)('%s → %s', (_name, overrides, level, priority, initial, escalation) => {
    const r = scoreSeverity({ ...base, ...overrides, dataCategories: [...overrides.dataCategories] });
    expect(r.level).toBe(level);
    expect(r.priority).toBe(priority);
    expect(r.sla.initialAssessment.label).toBe(initial);
    expect(r.sla.escalationToDpLead.label).toBe(escalation);
    expect(r.score).toBeGreaterThanOrEqual({ critical: 90, high: 70, medium: 40, low: 0 }[level]);
    expect(r.score).toBeLessThanOrEqual({ critical: 100, high: 89, medium: 69, low: 39 }[level]);
  });

  it('explains every factor and the factors add up to the score when not clamped', () => {
    const r = scoreSeverity({
      ...base,
      dataCategories: ['health', 'contact'],
      affectedCount: 1_500,
      exposureType: 'unauthorized-access',
      jurisdictions: ['DE', 'FR'],
    });
    expect(r.factors.map((f) => f.factor)).toEqual(['data-sensitivity', 'volume', 'exposure', 'encryption', 'geographic-scope']);
    expect(r.factors.reduce((s, f) => s + f.points, 0)).toBe(r.score);
    expect(r.factors.find((f) => f.factor === 'data-sensitivity')!.reason).toContain("'health'");
    expect(r.factors.find((f) => f.factor === 'geographic-scope')!.points).toBeGreaterThan(0);
  });

  it('scores 0 / P4 when no personal data is involved', () => {
    const r = scoreSeverity({ ...base, personalDataInvolved: false, dataCategories: ['biometric'], affectedCount: 1_000_000 });
    expect(r).toMatchObject({ score: 0, level: 'low', priority: 'P4' });
  });

  it('a compromised key cancels the encryption reduction', () => {
    const input = {
      ...base,
      dataCategories: ['payment-card'] as DataCategory[],
      affectedCount: 5_000,
      exposureType: 'exfiltration' as const,
    };
    const plain = scoreSeverity(input).score;
    const encrypted = scoreSeverity({ ...input, encryption: { state: 'full', keyCompromised: false } }).score;
    const leakedKey = scoreSeverity({ ...input, encryption: { state: 'full', keyCompromised: true } }).score;
    expect(encrypted).toBeLessThan(plain);
    expect(leakedKey).toBe(plain);
  });

  it('applies organisation overrides of weights and refuses invalid ones', () => {
    const input = { ...base, dataCategories: ['purchase-history'] as DataCategory[], affectedCount: 10 };
    const standard = scoreSeverity(input);
    const custom = scoreSeverity(input, { categoryWeights: { 'purchase-history': 70 } });
    expect(custom.score - standard.score).toBe(70 - DEFAULT_CATEGORY_WEIGHTS['purchase-history']);
    expect(() => scoreSeverity(input, { encryptionPoints: { full: 10, partial: 0 } })).toThrow(InvalidError);
    expect(() =>
      scoreSeverity(input, {
        volumeBands: [
          { min: 0, points: 5 },
          { min: 10, points: 1 },
        ],
      }),
    ).toThrow(InvalidError);
  });

  it('refuses invalid input with field paths', () => {
    try {
      scoreSeverity({ ...base, affectedCount: -1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidError);
      expect((e as InvalidError).issues[0]!.path).toBe('affectedCount');
    }
  });
});

describe('scoreSeverity properties', () => {
  const categories = fc.uniqueArray(fc.constantFrom(...DataCategory.options), { maxLength: 5 });
  const input = fc.record({
    dataCategories: categories,
    affectedCount: fc.integer({ min: 0, max: 5_000_000 }),
    exposureType: fc.constantFrom(...ExposureType.options),
    encryption: fc.record({ state: fc.constantFrom('none', 'partial', 'full'), keyCompromised: fc.boolean() }),
    jurisdictions: fc.uniqueArray(fc.constantFrom('GB', 'DE', 'FR', 'US-CA', 'IN', 'BR'), { maxLength: 6 }),
  });

  it('more affected people never lowers the score', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 10_000_000 }), (i, extra) => {
        expect(scoreSeverity({ ...i, affectedCount: i.affectedCount + extra }).score).toBeGreaterThanOrEqual(scoreSeverity(i).score);
      }),
    );
  });

  it('encryption never raises the score', () => {
    fc.assert(
      fc.property(input, fc.constantFrom('partial', 'full'), (i, state) => {
        const unencrypted = scoreSeverity({ ...i, encryption: { state: 'none', keyCompromised: false } }).score;
        expect(scoreSeverity({ ...i, encryption: { state, keyCompromised: false } }).score).toBeLessThanOrEqual(unencrypted);
      }),
    );
  });

  it('adding a more sensitive category never lowers the score', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(...DataCategory.options), (i, added) => {
        const current = Math.max(-1, ...i.dataCategories.map((c) => DEFAULT_CATEGORY_WEIGHTS[c]));
        fc.pre(DEFAULT_CATEGORY_WEIGHTS[added] > current && !i.dataCategories.includes(added));
        expect(scoreSeverity({ ...i, dataCategories: [...i.dataCategories, added] }).score).toBeGreaterThanOrEqual(scoreSeverity(i).score);
      }),
    );
  });

  it('the score always stays within 0-100', () => {
    fc.assert(
      fc.property(input, (i) => {
        const { score } = scoreSeverity(i);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('data category labels', () => {
  it.each([
    ['Personal', ['identity', 'contact']],
    ['Financial', ['financial']],
    ['Health', ['health']],
    ['Biometric', ['biometric']],
    ['Children', ['children']],
    ['Aadhaar', ['government-id']],
    ['purchase_history', ['purchase-history']],
    ['special-category', ['special-category']],
  ])('%s → %j', (label, codes) => {
    expect(normaliseDataCategory(label)).toEqual(codes);
  });

  it('reports unknown labels instead of dropping them', () => {
    expect(normaliseDataCategories(['Health', 'Shoe size'])).toEqual({ categories: ['health'], unknown: ['Shoe size'] });
  });
});

describe('computeSlaDueAt', () => {
  it('counts 5 business days over a weekend in the organisation time zone', () => {
    // Friday 2026-03-06 16:00 London → the following Friday 16:00.
    const due = computeSlaDueAt(
      { amount: 5, unit: 'business-days', label: '5 business days' },
      new Date('2026-03-06T16:00:00Z'),
      'Europe/London',
    );
    expect(due.toISOString()).toBe('2026-03-13T16:00:00.000Z');
  });

  it('hours are elapsed time and immediate is now', () => {
    const from = new Date('2026-03-28T23:00:00Z');
    expect(computeSlaDueAt({ amount: 4, unit: 'hours', label: '4 hours' }, from).toISOString()).toBe('2026-03-29T03:00:00.000Z');
    expect(computeSlaDueAt({ amount: 0, unit: 'immediate', label: 'Immediate' }, from).getTime()).toBe(from.getTime());
  });
});
