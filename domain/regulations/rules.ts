import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import type { Regime, Rule } from './schema';

/** The calendar date (YYYY-MM-DD) of an instant in a time zone: laws come into force on local dates. */
export function localDate(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), 'yyyy-MM-dd');
}

/** Rules whose effective window [effectiveFrom, effectiveTo) contains the local date of `at` in the regime's zone. */
export function rulesInForce(regime: Regime, at: Date): Rule[] {
  const day = localDate(at, regime.timeZone);
  return regime.rules.filter((r) => r.effectiveFrom <= day && (!r.effectiveTo || day < r.effectiveTo));
}
