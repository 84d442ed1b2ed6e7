import { addBusinessDays, addDays, addHours, addMonths, addYears, format, startOfYear } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import type { Calendar, Deadline, Period } from '../regulations/schema';
import type { ComputedDeadline } from './schema';

export interface DeadlineContext {
  timeZone: string;
  calendar?: Calendar;
  /** Instants for anchors other than awareness; missing anchors leave the deadline without a dueAt. */
  anchors: Partial<Record<Deadline['from'], Date>>;
  /** Multiplies fixed periods (e.g. doubled deadlines for small agents). */
  factor?: number;
}

/**
 * Adds a legal period to an instant. Hours are elapsed time (a DST change does not stretch 72 hours);
 * calendar and business days keep the local wall-clock time in the regime's zone, skipping weekends and
 * the calendar's public holidays.
 */
export function addPeriod(from: Date, period: Period, timeZone: string, calendar?: Calendar): Date {
  switch (period.unit) {
    case 'hours':
      return addHours(from, period.amount);
    case 'calendar-days':
      return new Date(addDays(new TZDate(from.getTime(), timeZone), period.amount).getTime());
    case 'calendar-months':
      // "One month after 31 January" is the last day of February, as date-fns and most courts count it.
      return new Date(addMonths(new TZDate(from.getTime(), timeZone), period.amount).getTime());
    case 'business-days': {
      const zone = calendar?.timeZone ?? timeZone;
      const holidays = new Set(calendar?.holidays ?? []);
      const isHoliday = (d: Date) => holidays.has(format(d, 'yyyy-MM-dd'));
      let d: Date = new TZDate(from.getTime(), zone);
      for (let i = 0; i < period.amount; i++) {
        d = addBusinessDays(d, 1);
        while (isHoliday(d)) d = addBusinessDays(d, 1);
      }
      return new Date(d.getTime());
    }
  }
}

/** 1 January 00:00 of the year after `at`, in the zone: the anchor for "within N days after the end of the calendar year". */
export function endOfCalendarYear(at: Date, timeZone: string): Date {
  return new Date(startOfYear(addYears(new TZDate(at.getTime(), timeZone), 1)).getTime());
}

export function describePeriod(p: Period): string {
  const unit = { hours: 'hour', 'calendar-days': 'calendar day', 'business-days': 'business day', 'calendar-months': 'month' }[p.unit];
  return `${p.amount} ${unit}${p.amount === 1 ? '' : 's'}`;
}

const ANCHOR_TEXT: Record<Deadline['from'], string> = {
  awareness: 'becoming aware',
  determination: 'determining that the breach is notifiable',
  'individual-notice': 'notifying the individuals',
  'end-of-calendar-year': 'the end of the calendar year of discovery',
  'first-report': 'the first report',
  classification: 'classifying the incident',
  'materiality-determination': 'determining that the incident is material',
  'extortion-payment': 'making the extortion payment',
  'previous-stage': 'the previous report',
};

/** The earliest of the extra outer limits whose anchors are known, with the text that explains each. */
function earliestLimit(deadline: Deadline, ctx: DeadlineContext, period: (p: Period) => Period): { at?: Date; text: string } {
  let at: Date | undefined;
  const parts: string[] = [];
  for (const limit of deadline.earliestOf ?? []) {
    const anchor = ctx.anchors[limit.from];
    parts.push(
      limit.within
        ? `${limit.label}: within ${describePeriod(period(limit.within))} of ${ANCHOR_TEXT[limit.from]}`
        : `${limit.label}: at ${ANCHOR_TEXT[limit.from]}`,
    );
    if (!anchor) continue;
    const due = limit.within ? addPeriod(anchor, period(limit.within), ctx.timeZone, ctx.calendar) : anchor;
    if (!at || due < at) at = due;
  }
  return { ...(at ? { at } : {}), text: parts.length ? `; whichever is earliest of that and ${parts.join('; ')}` : '' };
}

export function computeDeadline(deadline: Deadline, ctx: DeadlineContext): ComputedDeadline {
  const anchor = ctx.anchors[deadline.from];
  const calendar = ctx.calendar;
  const scaled = (p: Period): Period => ({ ...p, amount: p.amount * (ctx.factor ?? 1) });
  const base = {
    from: deadline.from,
    timeZone: ctx.timeZone,
    ...(anchor ? { anchorAt: anchor.toISOString() } : {}),
  };
  if (deadline.within) {
    const period = scaled(deadline.within);
    const own = anchor ? addPeriod(anchor, period, ctx.timeZone, calendar) : undefined;
    const extra = earliestLimit(deadline, ctx, scaled);
    // biome-ignore lint/complexity/useMathMinMax: these are Dates; Math.min would turn the earlier one into a number
    const due = own && extra.at ? (extra.at < own ? extra.at : own) : own;
    const dueAt = due?.toISOString();
    const text =
      (deadline.standard ? `${deadline.standard}, and ` : '') +
      `within ${describePeriod(period)} of ${ANCHOR_TEXT[deadline.from]}` +
      extra.text +
      (deadline.note ? ` (${deadline.note})` : '');
    return { ...base, kind: 'fixed', standard: deadline.standard, period, ...(dueAt ? { dueAt } : {}), text };
  }
  const recommended =
    anchor && deadline.recommendedWithin ? addPeriod(anchor, deadline.recommendedWithin, ctx.timeZone, calendar).toISOString() : undefined;
  const text =
    `${deadline.standard}` +
    (deadline.recommendedWithin
      ? `; recommended target ${describePeriod(deadline.recommendedWithin)} from ${ANCHOR_TEXT[deadline.from]} (not a legal limit)`
      : '') +
    (deadline.note ? ` (${deadline.note})` : '');
  return { ...base, kind: 'standard', standard: deadline.standard, ...(recommended ? { recommendedBy: recommended } : {}), text };
}
