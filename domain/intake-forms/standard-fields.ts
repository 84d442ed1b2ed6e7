import type { FieldMeaning, FieldType } from './schema';

/**
 * Labels that say what a field is get the key a person expects and the meaning triage reads, so a form defined by
 * labels alone (as the product documentation does it) feeds triage. Matched on the label's words, case- and
 * punctuation-insensitive; the first entry whose pattern matches wins. Keys given explicitly always win.
 */
const STANDARD_FIELDS: { pattern: RegExp; key: string; mapsTo: FieldMeaning }[] = [
  { pattern: /^(incident date|date of (the )?incident)$/, key: 'incident_date', mapsTo: 'occurredAt' },
  {
    pattern: /^(date occurred|occurred at|occurrence date|when did (the|this) (incident|breach) (happen|occur))$/,
    key: 'date_occurred',
    mapsTo: 'occurredAt',
  },
  {
    pattern:
      /^(date discovered|discovery date|discovered at|date of discovery|awareness date|when did the organisation become aware of it)$/,
    key: 'date_discovered',
    mapsTo: 'discoveredAt',
  },
  { pattern: /^(description|description of (the )?(incident|breach)|incident description)$/, key: 'description', mapsTo: 'description' },
  {
    pattern:
      /^((estimated )?(number of )?(affected (individuals|people|persons|data subjects)|individuals affected|people affected)|estimated number of affected individuals|affected count)$/,
    key: 'estimated_affected',
    mapsTo: 'affectedCount',
  },
  {
    pattern: /^((personal )?data categories( involved)?|categories of (personal )?data( involved)?)$/,
    key: 'data_categories',
    mapsTo: 'dataCategories',
  },
  { pattern: /^(breach type|type of (the )?breach|incident type)$/, key: 'breach_type', mapsTo: 'breachType' },
  {
    pattern: /^(jurisdictions?|affected jurisdictions|countries( affected)?|where do the affected people live)$/,
    key: 'jurisdictions',
    mapsTo: 'jurisdictions',
  },
  { pattern: /^(data encrypted|was the data encrypted|encryption)$/, key: 'data_encrypted', mapsTo: 'encryption' },
  {
    pattern: /^(exfiltration|data exfiltrated|has exfiltration( data taken out)? been confirmed)$/,
    key: 'exfiltration',
    mapsTo: 'exfiltration',
  },
];

const words = (label: string) =>
  label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The standard key and meaning a label names, if it names one. */
export function standardFieldFor(label: string): { key: string; mapsTo: FieldMeaning } | undefined {
  const normalised = words(label);
  const match = STANDARD_FIELDS.find((f) => f.pattern.test(normalised));
  return match && { key: match.key, mapsTo: match.mapsTo };
}

/** The field types each meaning can be read from. */
export const meaningTypes: Record<FieldMeaning, FieldType[]> = {
  occurredAt: ['DATE', 'DATETIME'],
  discoveredAt: ['DATE', 'DATETIME'],
  description: ['TEXT', 'TEXTAREA'],
  affectedCount: ['NUMBER'],
  dataCategories: ['MULTI_SELECT', 'SELECT'],
  breachType: ['BREACH_TYPE_SELECT'],
  jurisdictions: ['JURISDICTION_SELECT'],
  encryption: ['SELECT', 'BOOLEAN'],
  exfiltration: ['SELECT', 'BOOLEAN'],
};
