import { describe, expect, it } from 'vitest';
import { addPeriod, computeDeadline, endOfCalendarYear } from '../../../domain/assessment';
import { defaultCatalog, type Calendar } from '../../../domain/regulations';

const br = defaultCatalog().calendars.find((c) => c.id === 'BR') as Calendar;
const us = defaultCatalog().calendars.find((c) => c.id === 'US-FEDERAL') as Calendar;

describe('addPeriod', () => {
  it.each([
    // [case, from, amount, unit, zone, calendar, expected]
    [
      '72 h across the EU autumn DST change stay 72 elapsed hours',
      '2026-10-23T10:00:00Z',
      72,
      'hours',
      'Europe/Paris',
      undefined,
      '2026-10-26T10:00:00.000Z',
    ],
    [
      '30 calendar days keep local wall-clock time across EU autumn DST',
      '2026-10-20T08:00:00Z',
      30,
      'calendar-days',
      'Europe/Paris',
      undefined,
      '2026-11-19T09:00:00.000Z',
    ],
    [
      '30 calendar days across US spring DST',
      '2026-03-01T17:00:00Z',
      30,
      'calendar-days',
      'America/Los_Angeles',
      undefined,
      '2026-03-31T16:00:00.000Z',
    ],
    [
      '3 business days from a Friday land on Wednesday',
      '2026-03-06T15:00:00Z',
      3,
      'business-days',
      'America/Sao_Paulo',
      br,
      '2026-03-11T15:00:00.000Z',
    ],
    [
      '3 business days from a Saturday land on Wednesday',
      '2026-03-07T15:00:00Z',
      3,
      'business-days',
      'America/Sao_Paulo',
      br,
      '2026-03-11T15:00:00.000Z',
    ],
    [
      'business days skip Tiradentes (Tue 21 Apr 2026)',
      '2026-04-17T15:00:00Z',
      3,
      'business-days',
      'America/Sao_Paulo',
      br,
      '2026-04-23T15:00:00.000Z',
    ],
    [
      'business days skip Christmas and New Year',
      '2026-12-23T15:00:00Z',
      3,
      'business-days',
      'America/Sao_Paulo',
      br,
      '2026-12-29T15:00:00.000Z',
    ],
    [
      'business days count in the calendar zone: late Friday UTC is still Friday in São Paulo',
      '2026-03-07T01:00:00Z',
      1,
      'business-days',
      'America/Sao_Paulo',
      br,
      '2026-03-10T01:00:00.000Z',
    ],
    ['US business days skip Thanksgiving', '2026-11-25T15:00:00Z', 2, 'business-days', 'America/New_York', us, '2026-11-30T15:00:00.000Z'],
  ] as const)('%s', (_name, from, amount, unit, zone, calendar, expected) => {
    expect(addPeriod(new Date(from), { amount, unit }, zone, calendar).toISOString()).toBe(expected);
  });
});

describe('computeDeadline', () => {
  const awareness = new Date('2026-03-02T09:00:00Z');

  it('a fixed limit gives dueAt; a standard gives a labelled recommended target only', () => {
    const fixed = computeDeadline(
      { standard: 'without undue delay', within: { amount: 72, unit: 'hours' }, from: 'awareness' },
      { timeZone: 'Europe/London', anchors: { awareness } },
    );
    expect(fixed).toMatchObject({ kind: 'fixed', dueAt: '2026-03-05T09:00:00.000Z' });
    const standard = computeDeadline(
      { standard: 'without undue delay', recommendedWithin: { amount: 24, unit: 'hours' }, from: 'awareness' },
      { timeZone: 'Europe/London', anchors: { awareness } },
    );
    expect(standard.kind).toBe('standard');
    expect(standard.dueAt).toBeUndefined();
    expect(standard.recommendedBy).toBe('2026-03-03T09:00:00.000Z');
    expect(standard.text).toContain('not a legal limit');
  });

  it('a missing anchor leaves the deadline without an instant instead of inventing one', () => {
    const d = computeDeadline(
      { within: { amount: 15, unit: 'calendar-days' }, from: 'individual-notice' },
      { timeZone: 'UTC', anchors: { awareness } },
    );
    expect(d.kind).toBe('fixed');
    expect(d.dueAt).toBeUndefined();
  });

  it('a factor doubles fixed periods', () => {
    const d = computeDeadline(
      { within: { amount: 3, unit: 'calendar-days' }, from: 'awareness' },
      { timeZone: 'UTC', anchors: { awareness }, factor: 2 },
    );
    expect(d.dueAt).toBe('2026-03-08T09:00:00.000Z');
    expect(d.period).toEqual({ amount: 6, unit: 'calendar-days' });
  });
});

describe('endOfCalendarYear', () => {
  it('is local midnight on 1 January of the next year', () => {
    expect(endOfCalendarYear(new Date('2026-12-31T23:30:00-05:00'), 'America/New_York').toISOString()).toBe('2027-01-01T05:00:00.000Z');
    // 31 Dec 23:30 in New York is already 1 Jan in UTC; the calendar year is still 2026 there.
    expect(endOfCalendarYear(new Date('2027-01-01T04:30:00Z'), 'America/New_York').toISOString()).toBe('2027-01-01T05:00:00.000Z');
  });
});
