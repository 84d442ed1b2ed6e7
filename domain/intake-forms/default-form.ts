import type { FieldInput } from './schema';

export const DEFAULT_FORM_ID = 'form_standard_breach_report';

/** What triage needs from a first report; every field that feeds triage says so through `mapsTo`. */
export const defaultFormFields: FieldInput[] = [
  {
    key: 'date_occurred',
    label: 'When did the incident happen?',
    type: 'DATETIME',
    required: false,
    mapsTo: 'occurredAt',
    helpText: 'Best estimate; leave empty if unknown.',
  },
  {
    key: 'date_discovered',
    label: 'When did the organisation become aware of it?',
    type: 'DATETIME',
    required: false,
    mapsTo: 'discoveredAt',
    helpText: 'Regulatory clocks (e.g. GDPR 72 hours) start here. If empty, the time of this report is used.',
  },
  { key: 'description', label: 'Description of Incident', type: 'TEXTAREA', required: true, mapsTo: 'description', maxLength: 20_000 },
  {
    key: 'estimated_affected',
    label: 'Estimated Number of Affected Individuals',
    type: 'NUMBER',
    required: false,
    integer: true,
    min: 0,
    mapsTo: 'affectedCount',
  },
  {
    key: 'data_categories',
    label: 'Data Categories Involved',
    type: 'MULTI_SELECT',
    required: true,
    mapsTo: 'dataCategories',
    options: [
      'Personal',
      'Contact details',
      'Identity',
      'Government ID',
      'Financial',
      'Payment card',
      'Credentials',
      'Health',
      'Genetic',
      'Biometric',
      'Children',
      'Special category',
      'Criminal records',
      'Location',
      'Employment',
      'Purchase history',
      'Communications',
      'Publicly available',
      'Anonymised',
    ],
  },
  { key: 'breach_type', label: 'Breach Type', type: 'BREACH_TYPE_SELECT', required: true, mapsTo: 'breachType' },
  {
    key: 'jurisdictions',
    label: 'Where do the affected people live?',
    type: 'JURISDICTION_SELECT',
    required: true,
    multiple: true,
    mapsTo: 'jurisdictions',
    helpText: 'ISO 3166 codes, e.g. DE, GB, IN, US-CA.',
  },
  {
    key: 'data_encrypted',
    label: 'Was the data encrypted?',
    type: 'SELECT',
    required: false,
    mapsTo: 'encryption',
    options: ['Not encrypted', 'Partially encrypted', 'Fully encrypted', 'Encrypted, but the key was compromised', 'Unknown'],
  },
  {
    key: 'exfiltration',
    label: 'Has exfiltration (data taken out) been confirmed?',
    type: 'SELECT',
    required: false,
    mapsTo: 'exfiltration',
    options: ['Confirmed', 'Suspected', 'No evidence'],
  },
];

export const defaultForm = {
  id: DEFAULT_FORM_ID,
  name: 'Standard Breach Report Form',
  description: 'Default intake form for all breach incidents',
  fields: defaultFormFields,
};
