import { TZDate } from '@date-fns/tz';
import { normaliseJurisdiction } from '../jurisdictions/codes';
import type { FormField } from '../intake-forms/schema';

/** Reads every value posted under a name (a multi-select posts one per choice). */
export type FormValues = (name: string) => string[];

/** Posted names that are not field keys: field keys are lower-case, so these can never collide. */
export const META = { key: '_key', csrf: '_csrf', timeZone: '_tz', honeypot: 'Website' } as const;
export const otherJurisdictionsName = (key: string) => `${key}.other`;

const NUMBER_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3})\d*)?)?$/;

export function isTimeZone(name: string | undefined): name is string {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A `datetime-local` value means wall-clock time where the reporter is; stored as the UTC instant. */
export function localDateTimeToIso(value: string, timeZone: string): string | undefined {
  const m = LOCAL_DATETIME.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number];
  const at = new TZDate(y, mo - 1, d, h, mi, s, ms, timeZone);
  // TZDate rolls 2026-02-30 over into March; the reporter's calendar date must exist as typed.
  if (Number.isNaN(at.getTime()) || at.getFullYear() !== y || at.getMonth() !== mo - 1 || at.getDate() !== d) return undefined;
  return new Date(at.getTime()).toISOString();
}

/**
 * Turns a posted HTML form into the `responses` object the published version's validator judges.
 * Empty controls mean "not answered"; anything unparseable is passed through so that the validator,
 * the one authority, names the problem.
 */
export function responsesFromFormValues(fields: FormField[], values: FormValues, timeZone: string | undefined): Record<string, unknown> {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const responses: Record<string, unknown> = {};
  for (const field of fields) {
    const all = values(field.key);
    const first = all[0] ?? '';
    let answer: unknown;
    switch (field.type) {
      case 'TEXT':
        answer = first === '' ? undefined : first;
        break;
      case 'TEXTAREA':
        // Browsers post textarea line breaks as CRLF; the reporter typed one character per break.
        answer = first === '' ? undefined : first.replace(/\r\n?/g, '\n');
        break;
      case 'NUMBER': {
        const text = first.trim();
        answer = text === '' ? undefined : NUMBER_LITERAL.test(text) ? Number(text) : text;
        break;
      }
      case 'DATETIME':
        answer = first === '' ? undefined : (localDateTimeToIso(first, zone) ?? first);
        break;
      case 'BOOLEAN':
        answer = first === '' ? undefined : first === 'true' ? true : first === 'false' ? false : first;
        break;
      case 'EMAIL':
        answer = first.trim() === '' ? undefined : first.trim();
        break;
      case 'MULTI_SELECT': {
        const chosen = all.filter((v) => v !== '');
        answer = chosen.length === 0 ? undefined : chosen;
        break;
      }
      case 'JURISDICTION_SELECT': {
        const typed = values(otherJurisdictionsName(field.key)).flatMap((v) => v.split(/[\s,;]+/));
        const codes = [...new Set([...all, ...typed].filter((v) => v.trim() !== '').map(normaliseJurisdiction))];
        if (field.multiple === false) answer = codes.length === 0 ? undefined : codes.length === 1 ? codes[0] : codes;
        else answer = codes.length === 0 ? undefined : codes;
        break;
      }
      default:
        answer = first === '' ? undefined : first;
    }
    if (answer !== undefined) responses[field.key] = answer;
  }
  return responses;
}
