import { describe, expect, it } from 'vitest';
import type { AssessmentInput } from '../../../domain/assessment';
import { find, get, run } from './scenario';

/**
 * One scenario family per regime family added for issue 14: a deadline instant, a threshold edge and an
 * effective-date edge each. Expected instants are worked out by hand from the rule text, not read back from the engine.
 */

describe('US states and territories added for full coverage', () => {
  it('Puerto Rico: DACO within 10 days of detection; encrypted files are outside the law', () => {
    const r = run({ affected: [{ jurisdiction: 'US-PR', count: 20 }] });
    expect(get(r, 'us-pr-breach/daco/US-PR')).toMatchObject({ required: 'yes', deadline: { dueAt: '2026-03-12T14:00:00.000Z' } });
    const encrypted = run({ affected: [{ jurisdiction: 'US-PR', count: 20 }], encryption: { state: 'full', keyCompromised: false } });
    expect(get(encrypted, 'us-pr-breach/daco/US-PR').required).toBe('no');
  });

  it('Oklahoma: the Attorney General notice starts on 1 January 2026 local time, for 500 residents or more', () => {
    const ok = (awareAt: string, count: number) => run({ awareAt, affected: [{ jurisdiction: 'US-OK', count }] });
    // 23:30 on 31 December in Oklahoma City is already 2026 in UTC, but the amendment is not yet in force there.
    expect(find(ok('2026-01-01T05:30:00Z', 600), 'us-ok-breach/attorney-general/US-OK')).toBeUndefined();
    expect(get(ok('2026-01-01T06:30:00Z', 600), 'us-ok-breach/attorney-general/US-OK').required).toBe('yes');
    expect(get(ok('2026-03-02T14:00:00Z', 499), 'us-ok-breach/attorney-general/US-OK').required).toBe('no');
    const at500 = get(ok('2026-03-02T14:00:00Z', 500), 'us-ok-breach/attorney-general/US-OK');
    expect(at500.required).toBe('yes');
    // Counted from the notice to residents, which has no fixed limit: no instant is invented.
    expect(at500.deadline).toMatchObject({ kind: 'fixed', from: 'individual-notice' });
    expect(at500.deadline?.dueAt).toBeUndefined();
    expect(at500.deadline?.text).toContain('60 calendar days of notifying the individuals');
  });

  it('District of Columbia: the Attorney General from 50 residents', () => {
    expect(get(run({ affected: [{ jurisdiction: 'US-DC', count: 49 }] }), 'us-dc-breach/attorney-general/US-DC').required).toBe('no');
    expect(get(run({ affected: [{ jurisdiction: 'US-DC', count: 50 }] }), 'us-dc-breach/attorney-general/US-DC').required).toBe('yes');
  });

  it('Pennsylvania: Act 33 of 2024 adds the Attorney General and lowers the CRA threshold from 26 September 2024', () => {
    const before = run({ awareAt: '2024-09-25T16:00:00Z', affected: [{ jurisdiction: 'US-PA', count: 600 }] });
    expect(find(before, 'us-pa-breach/attorney-general/US-PA')).toBeUndefined();
    expect(get(before, 'us-pa-breach/consumer-reporting-agencies/US-PA').required).toBe('no');
    const after = run({ awareAt: '2024-09-26T16:00:00Z', affected: [{ jurisdiction: 'US-PA', count: 600 }] });
    expect(get(after, 'us-pa-breach/attorney-general/US-PA').required).toBe('yes');
    expect(get(after, 'us-pa-breach/consumer-reporting-agencies/US-PA').required).toBe('yes');
    expect(get(run({ affected: [{ jurisdiction: 'US-PA', count: 500 }] }), 'us-pa-breach/attorney-general/US-PA').required).toBe('no');
  });

  it('Arkansas: the Attorney General within 45 days of determination across the spring DST change, above 1,000', () => {
    const ar = (count: number) =>
      run({ awareAt: '2026-03-02T15:00:00Z', determinedAt: '2026-03-02T15:00:00Z', affected: [{ jurisdiction: 'US-AR', count }] });
    expect(get(ar(1001), 'us-ar-breach/attorney-general/US-AR')).toMatchObject({
      required: 'yes',
      deadline: { dueAt: '2026-04-16T14:00:00.000Z' },
    });
    expect(get(ar(1001), 'us-ar-breach/attorney-general/US-AR').deadline?.text).toContain('whichever is earliest');
    expect(get(ar(1000), 'us-ar-breach/attorney-general/US-AR').required).toBe('no');
  });

  it('Ohio and Wisconsin: 45-day limits for individuals', () => {
    expect(get(run({ affected: [{ jurisdiction: 'US-OH', count: 5 }] }), 'us-oh-breach/individuals/US-OH').deadline?.dueAt).toBe(
      '2026-04-16T13:00:00.000Z',
    );
    expect(
      get(run({ awareAt: '2026-03-02T15:00:00Z', affected: [{ jurisdiction: 'US-WI', count: 5 }] }), 'us-wi-breach/individuals/US-WI')
        .deadline?.dueAt,
    ).toBe('2026-04-16T14:00:00.000Z');
  });
});

describe('regimes outside the US added for coverage', () => {
  const HEALTH: Partial<AssessmentInput> = { dataCategories: ['health'], exfiltration: 'confirmed' };

  it('Chile: Law 21.719 applies from 1 December 2026 in Santiago; sensitive data is told to the individuals', () => {
    const before = run({ ...HEALTH, awareAt: '2026-12-01T02:00:00Z', affected: [{ jurisdiction: 'CL', count: 10 }] });
    expect(before.warnings.join('\n')).toContain('Chile Law 21.719: no rule in force');
    const after = run({ ...HEALTH, awareAt: '2026-12-01T04:00:00Z', affected: [{ jurisdiction: 'CL', count: 10 }] });
    expect(get(after, 'cl-pdp/agency/CL')).toMatchObject({
      required: 'yes',
      deadline: { kind: 'standard', recommendedBy: '2026-12-04T04:00:00.000Z' },
    });
    expect(get(after, 'cl-pdp/individuals/CL').required).toBe('yes');
    const ordinary = run({ dataCategories: ['contact'], awareAt: '2026-12-02T12:00:00Z', affected: [{ jurisdiction: 'CL', count: 10 }] });
    expect(get(ordinary, 'cl-pdp/individuals/CL').required).toBe('no');
  });

  it('Peru: 48 hours for large or sensitive incidents; ordinary data is a judgement call', () => {
    expect(get(run({ ...HEALTH, affected: [{ jurisdiction: 'PE', count: 10 }] }), 'pe-pdp/anpd/PE')).toMatchObject({
      required: 'yes',
      deadline: { dueAt: '2026-03-04T14:00:00.000Z' },
    });
    expect(get(run({ dataCategories: ['contact'], affected: [{ jurisdiction: 'PE', count: 10 }] }), 'pe-pdp/anpd/PE').required).toBe(
      'conditional',
    );
    expect(
      run({ ...HEALTH, awareAt: '2025-03-29T12:00:00Z', affected: [{ jurisdiction: 'PE', count: 10 }] }).warnings.join('\n'),
    ).toContain('Peru LPDP: no rule in force');
  });

  it('Indonesia: 3 × 24 hours, enforceable from 17 October 2024 in Jakarta', () => {
    const before = run({ awareAt: '2024-10-16T16:00:00Z', affected: [{ jurisdiction: 'ID', count: 10 }] });
    expect(before.warnings.join('\n')).toContain('Indonesia PDP Law: no rule in force');
    const after = run({ awareAt: '2024-10-16T17:30:00Z', affected: [{ jurisdiction: 'ID', count: 10 }] });
    expect(get(after, 'id-pdp/pdp-agency/ID')).toMatchObject({ required: 'yes', deadline: { dueAt: '2024-10-19T17:30:00.000Z' } });
  });

  it('Vietnam: Decree 13 until 31 December 2025, the PDP Law from 1 January 2026 local time', () => {
    const ref = (awareAt: string) =>
      get(run({ awareAt, affected: [{ jurisdiction: 'VN', count: 10 }] }), 'vn-pdp/mps-a05/VN').legalReference;
    expect(ref('2025-12-31T16:30:00Z')).toContain('Decree 13/2023');
    expect(ref('2025-12-31T17:30:00Z')).toContain('Law 91/2025');
  });

  it('Egypt: the data subjects three days after the Center, whose own limit is 72 hours', () => {
    const r = run({ affected: [{ jurisdiction: 'EG', count: 10 }] });
    expect(get(r, 'eg-pdpl/pdpc/EG').deadline?.dueAt).toBe('2026-03-05T14:00:00.000Z');
    expect(get(r, 'eg-pdpl/individuals/EG').deadline).toMatchObject({ from: 'previous-stage', dueAt: '2026-03-08T14:00:00.000Z' });
  });

  it('Colombia: 15 business days, skipping weekends and the San José holiday (Monday 23 March 2026)', () => {
    const r = run({ awareAt: '2026-03-06T15:00:00Z', affected: [{ jurisdiction: 'CO', count: 10 }] });
    expect(get(r, 'co-habeas-data/sic/CO').deadline?.dueAt).toBe('2026-03-30T15:00:00.000Z');
  });

  it('Indonesia reports every failure of protection; Guernsey only one likely to result in a risk, within 72 hours', () => {
    const lowRisk: Partial<AssessmentInput> = {
      awareAt: '2026-03-02T09:00:00Z',
      riskOverride: { level: 'no-risk', rationale: 'Misdirected e-mail deleted unread' },
    };
    expect(get(run({ ...lowRisk, affected: [{ jurisdiction: 'ID', count: 1 }] }), 'id-pdp/pdp-agency/ID')).toMatchObject({
      required: 'yes',
      deadline: { dueAt: '2026-03-05T09:00:00.000Z' },
    });
    expect(get(run({ ...lowRisk, affected: [{ jurisdiction: 'GG', count: 1 }] }), 'gg-dpgl/authority/GG').required).toBe('no');
    expect(
      get(run({ awareAt: '2026-03-02T09:00:00Z', affected: [{ jurisdiction: 'GG', count: 1 }] }), 'gg-dpgl/authority/GG'),
    ).toMatchObject({
      required: 'yes',
      deadline: { dueAt: '2026-03-05T09:00:00.000Z' },
    });
  });

  it('Russia: Roskomnadzor within 24 hours, investigation results within 72', () => {
    const r = run({ affected: [{ jurisdiction: 'RU', count: 10 }] });
    expect(get(r, 'ru-152fz/roskomnadzor-initial/RU').deadline?.dueAt).toBe('2026-03-03T14:00:00.000Z');
    expect(get(r, 'ru-152fz/roskomnadzor-investigation/RU').deadline?.dueAt).toBe('2026-03-05T14:00:00.000Z');
  });

  it('EU ePrivacy: a telecom provider tells the national authority within 24 hours, in full within 3 days', () => {
    const telco = run({ sectors: ['electronic-communications-provider'], affected: [{ jurisdiction: 'FR', count: 100 }] });
    const o = get(telco, 'eu-eprivacy-breach/national-authority/FR');
    expect(o.deadline?.dueAt).toBe('2026-03-03T14:00:00.000Z');
    expect(o.stages.find((s) => s.stage === 'final')?.deadline.dueAt).toBe('2026-03-05T14:00:00.000Z');
    expect(find(run({ affected: [{ jurisdiction: 'FR', count: 100 }] }), 'eu-eprivacy-breach/national-authority/FR')).toBeUndefined();
  });
});

describe('cyber-incident regimes beside the privacy laws', () => {
  const noPersonalData: Partial<AssessmentInput> = {
    personalDataInvolved: false,
    nature: ['availability'],
    dataCategories: [],
    exfiltration: 'none',
    affected: [],
  };

  it('NIS2: early warning 24 h, notification 72 h, final report one month after the notification, without personal data', () => {
    const r = run({
      ...noPersonalData,
      awareAt: '2026-03-02T09:00:00Z',
      sectors: ['nis2-essential-entity'],
      operatesIn: ['DE'],
      cyberIncident: { classes: ['significant'] },
    });
    expect(get(r, 'eu-nis2/early-warning/DE')).toMatchObject({ required: 'yes', deadline: { dueAt: '2026-03-03T09:00:00.000Z' } });
    expect(get(r, 'eu-nis2/incident-notification/DE').deadline?.dueAt).toBe('2026-03-05T09:00:00.000Z');
    // One month after 5 March 10:00 CET is 5 April 10:00 CEST.
    expect(get(r, 'eu-nis2/final-report/DE').deadline?.dueAt).toBe('2026-04-05T08:00:00.000Z');
  });

  it('regimes for sectors the organisation is not in stay silent, even before they came into force', () => {
    const r = run({ awareAt: '2023-06-01T09:00:00Z', affected: [{ jurisdiction: 'DE', count: 100 }] });
    expect(r.warnings.join('\n')).not.toMatch(/NIS2|DORA|SEC|NYDFS|FTC|SOCI/);
    expect(r.obligations.filter((o) => o.regimeId.startsWith('eu-') && o.regimeId !== 'eu-gdpr')).toEqual([]);
  });

  it('NIS2: not significant, or not an essential/important entity, means no clock; in force from 18 October 2024', () => {
    const notSignificant = run({ ...noPersonalData, sectors: ['nis2-important-entity'], operatesIn: ['FR'] });
    expect(get(notSignificant, 'eu-nis2/early-warning/FR').required).toBe('no');
    const notInScope = run({ ...noPersonalData, operatesIn: ['FR'], cyberIncident: { classes: ['significant'] } });
    expect(notInScope.obligations.filter((o) => o.regimeId === 'eu-nis2')).toEqual([]);
    const early = run({
      ...noPersonalData,
      awareAt: '2024-10-17T21:30:00Z',
      sectors: ['nis2-essential-entity'],
      operatesIn: ['DE'],
      cyberIncident: { classes: ['significant'] },
    });
    expect(early.warnings.join('\n')).toContain('EU NIS2: no rule in force');
    const inForce = run({
      ...noPersonalData,
      awareAt: '2024-10-17T22:30:00Z',
      sectors: ['nis2-essential-entity'],
      operatesIn: ['DE'],
      cyberIncident: { classes: ['significant'] },
    });
    expect(get(inForce, 'eu-nis2/early-warning/DE').required).toBe('yes');
  });

  const bank: Partial<AssessmentInput> = {
    awareAt: '2026-03-02T09:00:00Z',
    dataCategories: ['financial'],
    sectors: ['dora-financial-entity'],
    mainEstablishment: 'DE',
    operatesIn: ['DE'],
    affected: [{ jurisdiction: 'DE', count: 5000 }],
  };

  it('DORA and the GDPR side by side for a personal-data breach at a German bank', () => {
    const r = run({ ...bank, cyberIncident: { classes: ['major'], classifiedAt: '2026-03-02T19:00:00Z' } });
    expect(get(r, 'eu-gdpr/art-33-authority/DE')).toMatchObject({ required: 'yes', deadline: { dueAt: '2026-03-05T09:00:00.000Z' } });
    expect(get(r, 'eu-dora/initial-notification/DE').deadline?.dueAt).toBe('2026-03-02T23:00:00.000Z');
    expect(get(r, 'eu-dora/intermediate-report/DE').deadline?.dueAt).toBe('2026-03-05T19:00:00.000Z');
    expect(get(r, 'eu-dora/final-report/DE').deadline?.dueAt).toBe('2026-04-05T18:00:00.000Z');
    expect(get(r, 'eu-dora/clients/DE').required).toBe('yes');
  });

  it('DORA: a late classification still leaves at most 24 hours from awareness', () => {
    const r = run({ ...bank, cyberIncident: { classes: ['major'], classifiedAt: '2026-03-03T07:00:00Z' } });
    expect(get(r, 'eu-dora/initial-notification/DE').deadline?.dueAt).toBe('2026-03-03T09:00:00.000Z');
    const notMajor = run({ ...bank, cyberIncident: { classes: [] } });
    expect(get(notMajor, 'eu-dora/initial-notification/DE').required).toBe('no');
    expect(get(notMajor, 'eu-gdpr/art-33-authority/DE').required).toBe('yes');
  });

  it('DORA applies from 17 January 2025 in Brussels time', () => {
    const before = run({ ...bank, awareAt: '2025-01-16T22:30:00Z', cyberIncident: { classes: ['major'] } });
    expect(before.warnings.join('\n')).toContain('EU DORA: no rule in force');
    const after = run({ ...bank, awareAt: '2025-01-16T23:30:00Z', cyberIncident: { classes: ['major'] } });
    expect(get(after, 'eu-dora/initial-notification/DE').deadline?.dueAt).toBe('2025-01-17T03:30:00.000Z');
  });

  it('SEC 8-K Item 1.05: four business days after the materiality determination, skipping Thanksgiving', () => {
    const sec = (classes: 'material'[], awareAt = '2026-11-18T15:00:00Z') =>
      run({
        ...noPersonalData,
        awareAt,
        sectors: ['sec-registrant'],
        cyberIncident: { classes, materialityDeterminedAt: '2026-11-20T21:00:00Z' },
      });
    expect(get(sec(['material']), 'us-sec-8k-cyber/form-8-k/US')).toMatchObject({
      required: 'yes',
      deadline: { dueAt: '2026-11-27T21:00:00.000Z' },
    });
    expect(get(sec([]), 'us-sec-8k-cyber/form-8-k/US').required).toBe('no');
    expect(sec(['material'], '2023-12-17T15:00:00Z').warnings.join('\n')).toContain('SEC 8-K Item 1.05: no rule in force');
  });

  it('NYDFS 500.17: 72 hours after the determination, 24 hours and 30 days after an extortion payment', () => {
    const r = run({
      sectors: ['nydfs-covered-entity'],
      affected: [{ jurisdiction: 'US-CA', count: 10 }],
      cyberIncident: {
        classes: ['reportable', 'extortion-payment'],
        classifiedAt: '2026-03-03T15:00:00Z',
        extortionPaymentAt: '2026-03-04T20:00:00Z',
      },
    });
    expect(get(r, 'us-nydfs-500/cybersecurity-event/US-NY').deadline?.dueAt).toBe('2026-03-06T15:00:00.000Z');
    expect(get(r, 'us-nydfs-500/extortion-payment/US-NY').deadline?.dueAt).toBe('2026-03-05T20:00:00.000Z');
    expect(get(r, 'us-nydfs-500/extortion-payment-reasons/US-NY').deadline?.dueAt).toBe('2026-04-03T19:00:00.000Z');
  });

  it('NYDFS: before 1 December 2023 the 2017 rule applies and there is no extortion-payment notice', () => {
    const r = run({
      awareAt: '2023-11-30T15:00:00Z',
      sectors: ['nydfs-covered-entity'],
      operatesIn: ['US-NY'],
      cyberIncident: { classes: ['reportable', 'extortion-payment'] },
    });
    expect(get(r, 'us-nydfs-500/cybersecurity-event/US-NY').legalReference).toContain('(2017)');
    expect(find(r, 'us-nydfs-500/extortion-payment/US-NY')).toBeUndefined();
  });

  it('FTC Safeguards: 500 consumers nationwide within 30 days; a safe key keeps it out', () => {
    const ftc = (counts: number[], patch: Partial<AssessmentInput> = {}) =>
      run({
        sectors: ['glba-financial-institution'],
        affected: [
          { jurisdiction: 'US-CA', count: counts[0]! },
          { jurisdiction: 'US-TX', count: counts[1]! },
        ],
        ...patch,
      });
    expect(get(ftc([300, 200]), 'us-ftc-safeguards/ftc-notice/US')).toMatchObject({
      required: 'yes',
      deadline: { dueAt: '2026-04-01T13:00:00.000Z' },
    });
    expect(get(ftc([300, 199]), 'us-ftc-safeguards/ftc-notice/US').required).toBe('no');
    expect(get(ftc([300, 200], { encryption: { state: 'full', keyCompromised: false } }), 'us-ftc-safeguards/ftc-notice/US').required).toBe(
      'no',
    );
    expect(get(ftc([300, 200], { encryption: { state: 'full', keyCompromised: true } }), 'us-ftc-safeguards/ftc-notice/US').required).toBe(
      'yes',
    );
    expect(find(ftc([300, 200], { awareAt: '2024-05-12T12:00:00Z' }), 'us-ftc-safeguards/ftc-notice/US')).toBeUndefined();
    expect(get(ftc([300, 200], { awareAt: '2024-05-13T12:00:00Z' }), 'us-ftc-safeguards/ftc-notice/US').required).toBe('yes');
  });

  it('Reg S-P: customers within 30 days; a service provider tells the institution within 72 hours', () => {
    const r = run({ sectors: ['sec-reg-s-p-covered-institution'], affected: [{ jurisdiction: 'US-NY', count: 10 }] });
    expect(get(r, 'us-sec-reg-s-p/customers/US').deadline?.dueAt).toBe('2026-04-01T13:00:00.000Z');
    const sp = run({ role: 'processor', sectors: ['sec-reg-s-p-covered-institution'], affected: [{ jurisdiction: 'US-NY', count: 10 }] });
    expect(get(sp, 'us-sec-reg-s-p/service-provider/US').deadline?.dueAt).toBe('2026-03-05T14:00:00.000Z');
    expect(
      find(
        run({
          awareAt: '2025-12-02T15:00:00Z',
          sectors: ['sec-reg-s-p-covered-institution'],
          affected: [{ jurisdiction: 'US-NY', count: 10 }],
        }),
        'us-sec-reg-s-p/customers/US',
      ),
    ).toBeUndefined();
  });

  it('SOCI: a critical incident runs the 12-hour and the 72-hour clocks; a relevant impact only the 72-hour one', () => {
    const soci = (classes: ('critical' | 'relevant-impact')[]) =>
      run({ ...noPersonalData, sectors: ['soci-responsible-entity'], operatesIn: ['AU'], cyberIncident: { classes } });
    const critical = soci(['critical']);
    expect(get(critical, 'au-soci/critical-incident/AU').deadline?.dueAt).toBe('2026-03-03T02:00:00.000Z');
    expect(get(critical, 'au-soci/other-incident/AU').deadline?.dueAt).toBe('2026-03-05T14:00:00.000Z');
    expect(
      run({
        ...noPersonalData,
        awareAt: '2022-07-07T12:00:00Z',
        sectors: ['soci-responsible-entity'],
        operatesIn: ['AU'],
        cyberIncident: { classes: ['critical'] },
      }).warnings.join('\n'),
    ).toContain('AU SOCI Act: no rule in force');
    const relevant = soci(['relevant-impact']);
    expect(get(relevant, 'au-soci/critical-incident/AU').required).toBe('no');
    expect(get(relevant, 'au-soci/other-incident/AU').required).toBe('yes');
  });
});
