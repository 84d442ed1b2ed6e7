import { describe, expect, it } from 'vitest';
import { EEA_COUNTRIES } from '../../../domain/jurisdictions';
import { defaultCatalog, getRegulation, listRegulations, loadCatalog, RAW_CATALOG_FOR_TEST, rulesInForce } from './helpers';
import { InvalidError, NotFoundError } from '../../../domain/shared/errors';

const catalog = defaultCatalog();
const clone = () => structuredClone(RAW_CATALOG_FOR_TEST) as { version: string; regimes: any[]; calendars: any[] };

describe('regulations catalog data', () => {
  it('parses as a whole', () => {
    expect(() => loadCatalog()).not.toThrow();
  });

  it('has at least 40 distinct regimes and 20 US states', () => {
    const ids = catalog.regimes.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(40);
    const states = new Set(catalog.regimes.flatMap((r) => r.jurisdictions).filter((j) => j.startsWith('US-')));
    expect(states.size).toBeGreaterThanOrEqual(20);
  });

  it('gives every regime, rule, authority and calendar a source URL, and a note where unverified', () => {
    const items = [
      ...catalog.regimes,
      ...catalog.regimes.flatMap((r) => r.rules),
      ...catalog.regimes.flatMap((r) => r.authorities),
      ...catalog.calendars,
    ];
    for (const item of items) {
      expect(item.sourceUrl).toMatch(/^https?:\/\/\S+$/);
      expect(typeof item.verified).toBe('boolean');
    }
    for (const regime of catalog.regimes) {
      for (const rule of regime.rules) {
        if (!rule.verified && !regime.verified) expect(rule.note ?? regime.note, `${regime.id}/${rule.id}`).toBeTruthy();
      }
    }
  });

  it('names an authority for every EEA country', () => {
    const gdpr = getRegulation(catalog, 'eu-gdpr');
    for (const country of EEA_COUNTRIES) {
      expect(
        gdpr.authorities.some((a) => a.jurisdictions.includes(country)),
        country,
      ).toBe(true);
    }
    expect(gdpr.jurisdictions.sort()).toEqual([...EEA_COUNTRIES].sort());
  });

  it('covers the regimes the issue names', () => {
    for (const id of [
      'eu-gdpr',
      'uk-gdpr',
      'in-dpdpa',
      'in-cert-in',
      'us-hipaa',
      'us-ca-breach',
      'us-co-breach',
      'us-fl-breach',
      'us-wa-breach',
      'us-tx-breach',
      'ca-pipeda',
      'au-ndb',
      'nz-privacy-act',
      'br-lgpd',
      'sg-pdpa',
      'jp-appi',
      'kr-pipa',
      'cn-pipl',
      'za-popia',
      'ch-fadp',
    ]) {
      expect(() => getRegulation(catalog, id), id).not.toThrow();
    }
  });

  it('keeps successive versions of a rule non-overlapping', () => {
    for (const regime of catalog.regimes) {
      const byId = new Map<string, typeof regime.rules>();
      regime.rules.forEach((r) => byId.set(`${r.id}|${r.recipient}`, [...(byId.get(`${r.id}|${r.recipient}`) ?? []), r]));
      for (const [key, versions] of byId) {
        const sorted = [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
        sorted.slice(1).forEach((_v, i) => expect(sorted[i]!.effectiveTo, `${regime.id} ${key}`).toBeDefined());
        sorted.slice(1).forEach((v, i) => expect(sorted[i]!.effectiveTo! <= v.effectiveFrom, `${regime.id} ${key}`).toBe(true));
      }
    }
  });
});

describe('loadCatalog validation', () => {
  const issuesOf = (raw: unknown) => {
    try {
      loadCatalog(raw);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidError);
      return (e as InvalidError).issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    }
    throw new Error('expected the catalog to be refused');
  };

  it('refuses a rule without a source URL', () => {
    const raw = clone();
    delete raw.regimes[0].rules[0].sourceUrl;
    expect(issuesOf(raw)).toContain('regimes.0.rules.0.sourceUrl');
  });

  it('refuses duplicate regime ids', () => {
    const raw = clone();
    raw.regimes.push(structuredClone(raw.regimes[0]));
    expect(issuesOf(raw)).toContain('duplicate regime id');
  });

  it('refuses a business-day deadline without a holiday calendar', () => {
    const raw = clone();
    const br = raw.regimes.find((r) => r.id === 'br-lgpd');
    delete br.calendarId;
    expect(issuesOf(raw)).toContain('business-day deadline needs a regime calendarId');
  });

  it('refuses a non-ISO jurisdiction', () => {
    const raw = clone();
    raw.regimes[1].jurisdictions = ['UK'];
    expect(issuesOf(raw)).toContain('regimes.1.jurisdictions.0');
  });

  it('refuses an unknown time zone', () => {
    const raw = clone();
    raw.regimes[2].timeZone = 'Mars/Olympus_Mons';
    expect(issuesOf(raw)).toContain('regimes.2.timeZone: unknown IANA time zone');
  });

  it('adding a regime is a data change only', () => {
    const raw = clone();
    raw.regimes.push({
      id: 'xx-test',
      name: 'Test regime',
      shortName: 'Test',
      jurisdictions: ['AR'],
      timeZone: 'America/Argentina/Buenos_Aires',
      sourceUrl: 'https://example.org/law',
      verified: false,
      note: 'fixture',
      rules: [
        {
          id: 'authority',
          recipient: 'supervisory-authority',
          appliesTo: 'controller',
          effectiveFrom: '2020-01-01',
          threshold: 'any',
          triggers: [{}],
          deadline: { within: { amount: 5, unit: 'calendar-days' } },
          legalReference: 'Art. 1',
          sourceUrl: 'https://example.org/law',
          verified: false,
        },
      ],
    });
    const loaded = loadCatalog(raw);
    expect(listRegulations(loaded, { jurisdiction: 'AR' }).map((r) => r.id)).toEqual(['xx-test']);
  });
});

describe('listRegulations / getRegulation / rulesInForce', () => {
  it('filters by jurisdiction, a country covering its subdivisions', () => {
    const ids = listRegulations(catalog, { jurisdiction: 'US-CA' }).map((r) => r.id);
    expect(ids).toContain('us-ca-breach');
    expect(ids).toContain('us-hipaa');
    expect(ids).not.toContain('us-tx-breach');
  });

  it('drops regimes with no rule in force at a date', () => {
    expect(listRegulations(catalog, { jurisdiction: 'IN', at: new Date('2026-01-01T00:00:00Z') }).map((r) => r.id)).toEqual(['in-cert-in']);
    expect(
      listRegulations(catalog, { jurisdiction: 'IN', at: new Date('2027-12-01T00:00:00Z') })
        .map((r) => r.id)
        .sort(),
    ).toEqual(['in-cert-in', 'in-dpdpa']);
  });

  it('picks the California rule version in force on the local date', () => {
    const ca = getRegulation(catalog, 'us-ca-breach');
    // 31 Dec 2025 20:00 in Los Angeles is already 1 Jan 2026 in UTC, but the old rule still applies.
    const before = rulesInForce(ca, new Date('2026-01-01T04:00:00Z')).find((r) => r.recipient === 'individuals')!;
    const after = rulesInForce(ca, new Date('2026-01-01T09:00:00Z')).find((r) => r.recipient === 'individuals')!;
    expect(before.deadline.within).toBeUndefined();
    expect(after.deadline.within).toEqual({ amount: 30, unit: 'calendar-days' });
  });

  it('throws NotFoundError for an unknown id', () => {
    expect(() => getRegulation(catalog, 'xx-nope')).toThrow(NotFoundError);
  });
});

describe('summariseRegulations', () => {
  it('lists recipients and marks a regime verified only when all its rules are', async () => {
    const { summariseRegulations } = await import('../../../domain/regulations');
    const summaries = summariseRegulations(catalog, { jurisdiction: 'US-TX' });
    const tx = summaries.find((s) => s.id === 'us-tx-breach')!;
    expect(tx.recipients).toEqual(expect.arrayContaining(['individuals', 'attorney-general', 'consumer-reporting-agencies', 'controller']));
    expect(tx.verified).toBe(true);
    const hipaa = summaries.find((s) => s.id === 'us-hipaa')!;
    expect(hipaa.verified).toBe(false);
  });
});
