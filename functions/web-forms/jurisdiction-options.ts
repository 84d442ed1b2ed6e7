import { isJurisdictionCode, US_SUBDIVISIONS } from '../../domain/jurisdictions/codes';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

let countries: string[] | undefined;

/** Every ISO 3166-1 alpha-2 code the domain accepts, derived from it so the picker cannot drift. */
export function jurisdictionCountryCodes(): string[] {
  countries ??= [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b)).filter((code) => isJurisdictionCode(code));
  return countries;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

export interface JurisdictionOption {
  code: string;
  label: string;
}

/** Countries by English name, then US states and territories (whose breach laws are per state). */
export function jurisdictionOptions(): { countries: JurisdictionOption[]; usSubdivisions: JurisdictionOption[] } {
  const list = jurisdictionCountryCodes()
    .map((code) => ({ code, label: `${regionNames.of(code) ?? code} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'));
  const us = [...US_SUBDIVISIONS].map((s) => ({ code: `US-${s}`, label: `US-${s}` })).sort((a, b) => a.code.localeCompare(b.code));
  return { countries: list, usSubdivisions: us };
}
