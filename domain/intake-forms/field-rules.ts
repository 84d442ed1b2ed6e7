import type { FieldIssue } from '../shared/errors';
import type { FieldInput, FieldMeaning, FieldType, FormField } from './schema';
import { meaningTypes, standardFieldFor } from './standard-fields';

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

/**
 * A field sent without a key gets one: the standard key (and meaning) when its label says what it is and its type
 * fits that meaning, otherwise one derived from the label. Explicit keys and meanings always win; a meaning another
 * field of the version claims explicitly is left to that field.
 */
function keyed(inputs: FieldInput[]): FormField[] {
  const claimed = new Set<FieldMeaning>(inputs.flatMap((f) => (f.mapsTo ? [f.mapsTo] : [])));
  const takenKeys = new Set(inputs.flatMap((f) => (f.key ? [f.key] : [])));
  return inputs.map((input) => {
    const field: FormField = { ...input, required: input.required ?? false, key: input.key ?? deriveFieldKey(input.label) };
    if (input.key && input.mapsTo) return field;
    const standard = standardFieldFor(input.label);
    if (!standard || !meaningTypes[standard.mapsTo].includes(input.type)) return field;
    const mapsTo = input.mapsTo ?? (claimed.has(standard.mapsTo) ? undefined : standard.mapsTo);
    if (mapsTo) claimed.add(mapsTo);
    const key = input.key ?? (takenKeys.has(standard.key) ? field.key : standard.key);
    takenKeys.add(key);
    return { ...field, key, ...(mapsTo ? { mapsTo } : {}) };
  });
}

/** Gives every field a key (see `keyed`) and checks the rules a version's fields must obey together. */
export function normaliseFields(inputs: FieldInput[], path = 'body.fields'): { fields: FormField[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const seenKeys = new Map<string, number>();
  const seenMeanings = new Map<string, number>();
  const fields = keyed(inputs).map((field, index) => {
    const at = `${path}.${index}`;
    const duplicateOf = seenKeys.get(field.key);
    if (duplicateOf !== undefined)
      issues.push({ path: `${at}.key`, message: `key "${field.key}" is already used by field ${duplicateOf}` });
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
    if (field.min !== undefined && field.max !== undefined && field.min > field.max)
      issues.push({ path: `${at}.max`, message: 'max must be ≥ min' });
    if ((field.minLength !== undefined || field.maxLength !== undefined) && !lengthBounds.includes(field.type)) {
      issues.push({ path: `${at}.maxLength`, message: 'minLength and maxLength apply to TEXT and TEXTAREA fields only' });
    }
    if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
      issues.push({ path: `${at}.maxLength`, message: 'maxLength must be ≥ minLength' });
    }
    if (field.multiple !== undefined && field.type !== 'JURISDICTION_SELECT') {
      issues.push({
        path: `${at}.multiple`,
        message: 'multiple applies to JURISDICTION_SELECT only (use MULTI_SELECT for several options)',
      });
    }
    if (field.mapsTo) {
      const previous = seenMeanings.get(field.mapsTo);
      if (previous !== undefined) issues.push({ path: `${at}.mapsTo`, message: `field ${previous} already maps to ${field.mapsTo}` });
      seenMeanings.set(field.mapsTo, index);
      const allowed = meaningTypes[field.mapsTo];
      if (!allowed.includes(field.type))
        issues.push({ path: `${at}.mapsTo`, message: `${field.mapsTo} needs a field of type ${allowed.join(' or ')}` });
    }
    return field;
  });
  return { fields, issues };
}
