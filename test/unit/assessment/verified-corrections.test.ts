import { describe, expect, it } from 'vitest';
import { getRegulation } from '../../../domain/regulations';
import { catalog, get, run } from './scenario';

/** Facts corrected while checking the catalog against statute text; instants worked out by hand. */

describe('Indiana: the 45-day limit of P.L.171-2022 covers every notice of the chapter, from 1 July 2022 only', () => {
  it('gives the consumer reporting agencies and the data owner 45 days after discovery', () => {
    const r = run({ affected: [{ jurisdiction: 'US-IN', count: 2000 }] });
    // 2 March 2026 09:00 EST + 45 days = 16 April 2026 09:00 EDT.
    expect(get(r, 'us-in-breach/consumer-reporting-agencies/US-IN').deadline?.dueAt).toBe('2026-04-16T13:00:00.000Z');
    const processor = run({ role: 'processor', affected: [{ jurisdiction: 'US-IN', count: 10 }] });
    expect(get(processor, 'us-in-breach/service-provider/US-IN').deadline?.dueAt).toBe('2026-04-16T13:00:00.000Z');
  });

  it('judges an incident of June 2022 by the earlier text: without unreasonable delay, no fixed limit', () => {
    const r = run({ awareAt: '2022-06-15T14:00:00Z', affected: [{ jurisdiction: 'US-IN', count: 10 }] });
    const o = get(r, 'us-in-breach/individuals/US-IN');
    expect(o.deadline?.kind).toBe('standard');
    expect(o.verified).toBe(false);
    expect(get(run({ affected: [{ jurisdiction: 'US-IN', count: 10 }] }), 'us-in-breach/individuals/US-IN').verified).toBe(true);
  });
});

describe('Louisiana: 60 days from discovery, whatever the later determination', () => {
  it('counts the residents notice from awareness, not from determinedAt', () => {
    const r = run({ determinedAt: '2026-03-20T14:00:00Z', affected: [{ jurisdiction: 'US-LA', count: 10 }] });
    // 2 March 2026 08:00 CST + 60 days = 1 May 2026 08:00 CDT.
    expect(get(r, 'us-la-breach/individuals/US-LA').deadline?.dueAt).toBe('2026-05-01T13:00:00.000Z');
  });
});

describe('Alabama: read in the Code of Alabama', () => {
  it('tells the attorney general only above 1,000 residents, within 45 days of the determination', () => {
    expect(get(run({ affected: [{ jurisdiction: 'US-AL', count: 1000 }] }), 'us-al-breach/attorney-general/US-AL').required).toBe('no');
    const r = run({ affected: [{ jurisdiction: 'US-AL', count: 1001 }] });
    expect(get(r, 'us-al-breach/attorney-general/US-AL')).toMatchObject({ required: 'yes', verified: true });
    expect(getRegulation(catalog, 'us-al-breach').rules.every((rule) => rule.verified)).toBe(true);
  });
});
