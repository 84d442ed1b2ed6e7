/** ISO 3166-1 alpha-2 codes (officially assigned), so typos like `UK` are refused rather than silently matching nothing. */
const ISO_3166_1_ALPHA_2 = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** US states, DC and the inhabited territories as ISO 3166-2 subdivision suffixes (state breach laws are per subdivision). */
export const US_SUBDIVISIONS = new Set(
  (
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA ' +
    'RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR UM VI'
  ).split(' '),
);

/** EEA = EU 27 + Iceland, Liechtenstein, Norway: the territory where the GDPR and its one-stop-shop apply. */
export const EEA_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

export interface ParsedJurisdiction {
  code: string;
  country: string;
  subdivision?: string;
}

const SUBDIVISION_PATTERN = /^([A-Z]{2})-([A-Z0-9]{1,3})$/;

/** Parses an ISO 3166-1 alpha-2 or ISO 3166-2 code; returns undefined when it is not one. */
export function parseJurisdiction(raw: string): ParsedJurisdiction | undefined {
  const code = raw.trim().toUpperCase();
  if (ISO_3166_1_ALPHA_2.has(code)) return { code, country: code };
  const m = SUBDIVISION_PATTERN.exec(code);
  if (!m) return undefined;
  const [, country, subdivision] = m as unknown as [string, string, string];
  if (!ISO_3166_1_ALPHA_2.has(country)) return undefined;
  // Only US subdivisions are enumerated because US law is the one keyed on them; others are accepted by shape.
  if (country === 'US' && !US_SUBDIVISIONS.has(subdivision)) return undefined;
  return { code, country, subdivision };
}

export function isJurisdictionCode(raw: string): boolean {
  return parseJurisdiction(raw) !== undefined;
}

export function normaliseJurisdiction(raw: string): string {
  return raw.trim().toUpperCase();
}

/**
 * Whether a regime that covers `covered` (a country or a subdivision) applies to people in `affected`.
 * A country covers its subdivisions (`US` covers `US-CA`); a subdivision covers only itself.
 */
export function jurisdictionCovers(covered: string, affected: string): boolean {
  const c = normaliseJurisdiction(covered);
  const a = normaliseJurisdiction(affected);
  if (c === a) return true;
  return !c.includes('-') && a.startsWith(`${c}-`);
}

export function countryOf(code: string): string {
  return normaliseJurisdiction(code).slice(0, 2);
}

export function isEeaJurisdiction(code: string): boolean {
  return EEA_COUNTRIES.has(countryOf(code));
}
