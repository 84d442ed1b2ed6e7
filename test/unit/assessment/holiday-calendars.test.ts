import { describe, expect, it } from 'vitest';
import { addPeriod } from '../../../domain/assessment/deadlines';
import { catalog, get, run } from './scenario';

/** Business-day deadlines in Colombia and Ecuador skip the national holidays; instants are worked out by hand. */
const calendar = (id: string) => {
  const c = catalog.calendars.find((x) => x.id === id);
  if (!c) throw new Error(`no calendar ${id}`);
  return c;
};

describe('Colombian holidays (Ley 51 de 1983)', () => {
  it('moves the movable feasts to the following Monday and keeps the fixed ones on their day', () => {
    const days = new Set(calendar('CO').holidays);
    // Epiphany 2026 falls on a Tuesday: the holiday is Monday 12 January, and 6 January is a working day.
    expect(days.has('2026-01-12')).toBe(true);
    expect(days.has('2026-01-06')).toBe(false);
    // Holy Thursday and Good Friday stay put (Easter 2026 is 5 April); Ascension, Corpus Christi and Sacred Heart move to Mondays.
    for (const d of ['2026-04-02', '2026-04-03', '2026-05-18', '2026-06-08', '2026-06-15', '2026-07-20', '2026-08-07', '2026-12-08'])
      expect(days.has(d)).toBe(true);
    expect([...days].filter((d) => d.startsWith('2026-')).length).toBe(18);
  });

  it('counts the SIC report across Holy Week: Holy Thursday and Good Friday are not business days', () => {
    // Aware Monday 30 March 2026, 09:00 in Bogotá; 2 and 3 April are holidays, so the 15th business day is Wednesday 22 April.
    const r = run({ awareAt: '2026-03-30T14:00:00Z', affected: [{ jurisdiction: 'CO', count: 10 }] });
    expect(get(r, 'co-habeas-data/sic/CO').deadline?.dueAt).toBe('2026-04-22T14:00:00.000Z');
  });

  it('never lands on a holiday: a period ending on a moved feast goes to the next business day', () => {
    // From Monday 2 November 2026 (All Saints, moved), 10 business days: 3-6, 9-13 (5 + 4 = 9), Monday 16 November is Cartagena's independence (moved), so Tuesday 17.
    const due = addPeriod(new Date('2026-11-02T15:00:00Z'), { amount: 10, unit: 'business-days' }, 'America/Bogota', calendar('CO'));
    expect(due.toISOString()).toBe('2026-11-17T15:00:00.000Z');
  });
});

describe('Ecuadorian holidays (official calendars 2025 and 2026)', () => {
  it('skips Carnival Monday and Tuesday for the five-day report to the Superintendency', () => {
    // Aware Thursday 12 February 2026, 10:00 in Guayaquil: 13 (1), 16-17 Carnival, 18 (2), 19 (3), 20 (4), 23 (5).
    const r = run({ awareAt: '2026-02-12T15:00:00Z', affected: [{ jurisdiction: 'EC', count: 10 }] });
    expect(get(r, 'ec-lopdp/superintendency/EC').deadline?.dueAt).toBe('2026-02-23T15:00:00.000Z');
  });

  it('uses the moved rest day, not the calendar date: 24 May 2026 (a Sunday) is rested on Monday 25 May', () => {
    const days = new Set(calendar('EC').holidays);
    expect(days.has('2026-05-25')).toBe(true);
    // Three business days from Friday 22 May: 26, 27, 28.
    const due = addPeriod(new Date('2026-05-22T15:00:00Z'), { amount: 3, unit: 'business-days' }, 'America/Guayaquil', calendar('EC'));
    expect(due.toISOString()).toBe('2026-05-28T15:00:00.000Z');
  });

  it('says which years it covers, and only those are listed', () => {
    const ec = calendar('EC');
    expect(ec.holidays.every((d) => ec.coversYears.includes(Number(d.slice(0, 4))))).toBe(true);
    const co = calendar('CO');
    expect(co.holidays.every((d) => co.coversYears.includes(Number(d.slice(0, 4))))).toBe(true);
  });
});
