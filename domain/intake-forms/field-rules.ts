import type { FieldIssue } from '../shared/errors';
import type { FieldInput, FieldType, FormField } from './schema';

const needsOptions: FieldType[] = ['SELECT', 'MULTI_SELECT'];
const numericBounds: FieldType[] = ['NUMBER'];
const lengthBounds: FieldType[] = ['TEXT', 'TEXTAREA'];

/** `Incident Date` → `incident_date`; used when a field arrives without a key. */
export function deriveFieldKey(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  const key = /^[a-z]/.test(slug) ? slug : `field_${slug}`.slice(0, 64);
  return key === 'field_' ? 'field' : key;
}

/** Gives every field a key and checks the rules a version's fields must obey together. */
export function normaliseFields(inputs: FieldInput[], path = 'body.fields'): { fields: FormField[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const seenKeys = new Map<string, number>();
  const seenMeanings = new Map<string, number>();
  const fields = inputs.map((input, index) => {
    const at = `${path}.${index}`;
    const field: FormField = { ...input, required: input.required ?? false, key: input.key ?? deriveFieldKey(input.label) };
    const duplicateOf = seenKeys.get(field.key);
    if (duplicateOf !== undefined) issues.push({ path: `${at}.key`, message: `key "${field.key}" is already used by field ${duplicateOf}` });
    seenKeys.set(field.key, index);
    if (needsOptions.includes(field.type)) {
      const options = field.options ?? [];
      if (options.length === 0) issues.push({ path: `${at}.options`, message: `${field.type} needs at least one option` });
      if (new Set(options).size !== options.length) issues.push({ path: `${at}.options`, message: 'options must be unique' });
    } else if (field.options !== undefined) {
      issues.push({ path: `${at}.options`, message: `${field.type} does not take options` });
    }
    if ((field.min !== undefined || field.max !== undefined || field.integer !== undefined) && !numericBounds.includes(field.type)) {
      issues.push({ path: `${at}.min`, message: `min, max and integer apply to NUMBER fields only` });
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) issues.push({ path: `${at}.max`, message: 'max must be ≥ min' });
    if ((field.minLength !== undefined || field.maxLength !== undefined) && !lengthBounds.includes(field.type)) {
      issues.push({ path: `${at}.maxLength`, message: 'minLength and maxLength apply to TEXT and TEXTAREA fields only' });
    }
    if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
      issues.push({ path: `${at}.maxLength`, message: 'maxLength must be ≥ minLength' });
    }
    if (field.multiple !== undefined && field.type !== 'JURISDICTION_SELECT') {
      issues.push({ path: `${at}.multiple`, message: 'multiple applies to JURISDICTION_SELECT only (use MULTI_SELECT for several options)' });
    }
    if (field.mapsTo) {
      const previous = seenMeanings.get(field.mapsTo);
      if (previous !== undefined) issues.push({ path: `${at}.mapsTo`, message: `field ${previous} already maps to ${field.mapsTo}` });
      seenMeanings.set(field.mapsTo, index);
      const allowed = meaningTypes[field.mapsTo];
      if (!allowed.includes(field.type)) issues.push({ path: `${at}.mapsTo`, message: `${field.mapsTo} needs a field of type ${allowed.join(' or ')}` });
    }
    return field;
  });
  return { fields, issues };
}

const meaningTypes: Record<NonNullable<FieldInput['mapsTo']>, FieldType[]> = {
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
