import { describe, expect, it } from 'vitest';
import { US_SUBDIVISIONS } from '../../../domain/jurisdictions/codes';
import { defaultCatalog, summariseRegulations } from '../../../domain/regulations';

const catalog = defaultCatalog();
const isUs = (j: string) => j === 'US' || j.startsWith('US-');

describe('catalog coverage (issue 14)', () => {
  it('lists at least 105 regimes', () => {
    expect(summariseRegulations(catalog).length).toBeGreaterThanOrEqual(105);
  });

  it('has a breach law for every US state, DC, Puerto Rico, Guam and the US Virgin Islands', () => {
    const covered = new Set(catalog.regimes.filter((r) => r.appliesBy === 'affected-residents').flatMap((r) => r.jurisdictions));
    // American Samoa, the Northern Mariana Islands and the minor outlying islands have no breach statute to encode.
    const expected = [...US_SUBDIVISIONS].filter((s) => !['AS', 'MP', 'UM'].includes(s)).map((s) => `US-${s}`);
    expect(expected).toHaveLength(54);
    expect(expected.filter((code) => !covered.has(code))).toEqual([]);
  });

  it('has at least 50 regimes outside the US, the EEA counted once for the GDPR', () => {
    const outside = catalog.regimes.filter((r) => !r.jurisdictions.every(isUs));
    expect(outside.length).toBeGreaterThanOrEqual(50);
  });

  it('names the cyber-incident regimes beside the privacy laws', () => {
    const ids = catalog.regimes.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining(['eu-nis2', 'eu-dora', 'us-sec-8k-cyber', 'us-nydfs-500', 'us-ftc-safeguards', 'us-sec-reg-s-p', 'au-soci']),
    );
  });

  it('gives every unverified rule a reason and every rule an effective date and an anchor', () => {
    for (const regime of catalog.regimes) {
      for (const rule of regime.rules) {
        expect(rule.effectiveFrom, `${regime.id}/${rule.id}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(rule.deadline.from, `${regime.id}/${rule.id}`).toBeTruthy();
        if (!rule.verified) expect((rule.note ?? regime.note ?? '').length, `${regime.id}/${rule.id}`).toBeGreaterThan(20);
      }
    }
  });

  it('marks a regime verified in the summary only when it and every rule were checked', () => {
    const pr = summariseRegulations(catalog, { jurisdiction: 'US-PR' }).find((s) => s.id === 'us-pr-breach')!;
    expect(pr.verified).toBe(true);
    const ok = summariseRegulations(catalog, { jurisdiction: 'US-OK' }).find((s) => s.id === 'us-ok-breach')!;
    expect(ok.verified).toBe(false);
  });

  it('chains later stages only to rules of the same regime', () => {
    for (const regime of catalog.regimes) {
      for (const rule of regime.rules.filter((r) => r.deadline.from === 'previous-stage')) {
        expect(
          regime.rules.map((r) => r.id),
          `${regime.id}/${rule.id}`,
        ).toContain(rule.deadline.afterRule);
      }
    }
  });
});
