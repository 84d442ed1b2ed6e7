import { describe, expect, it } from 'vitest';
import { normaliseFields } from '../../../domain/intake-forms/field-rules';

const keysOf = (fields: Parameters<typeof normaliseFields>[0]) => normaliseFields(fields).fields.map((f) => [f.key, f.mapsTo ?? null]);

describe('keys for fields defined by label alone', () => {
  it('gives labels that say what a field is the standard key and meaning', () => {
    expect(
      keysOf([
        { label: 'Incident Date', type: 'DATE' },
        { label: 'Date discovered', type: 'DATETIME' },
        { label: 'Description of Incident', type: 'TEXTAREA' },
        { label: 'Estimated Number of Affected Individuals', type: 'NUMBER' },
        { label: 'Data Categories Involved', type: 'MULTI_SELECT', options: ['Personal'] },
        { label: 'Breach Type', type: 'BREACH_TYPE_SELECT' },
        { label: 'Affected jurisdictions', type: 'JURISDICTION_SELECT', multiple: true },
      ]),
    ).toEqual([
      ['incident_date', 'occurredAt'],
      ['date_discovered', 'discoveredAt'],
      ['description', 'description'],
      ['estimated_affected', 'affectedCount'],
      ['data_categories', 'dataCategories'],
      ['breach_type', 'breachType'],
      ['jurisdictions', 'jurisdictions'],
    ]);
  });

  it('derives other keys from the label, and lets explicit keys and meanings win', () => {
    expect(
      keysOf([
        { label: 'Reporter phone', type: 'TEXT' },
        { key: 'summary', label: 'Description', type: 'TEXTAREA' },
        { label: 'Incident Date', type: 'DATE', mapsTo: 'discoveredAt' },
      ]),
    ).toEqual([
      ['reporter_phone', null],
      ['summary', 'description'],
      ['incident_date', 'discoveredAt'],
    ]);
  });

  it('maps nothing when the type cannot carry the meaning or another field claims it', () => {
    expect(
      keysOf([
        { label: 'Breach Type', type: 'TEXT' },
        { key: 'when', label: 'When', type: 'DATE', mapsTo: 'occurredAt' },
        { label: 'Incident Date', type: 'DATE' },
      ]),
    ).toEqual([
      ['breach_type', null],
      ['when', 'occurredAt'],
      ['incident_date', null],
    ]);
  });
});
