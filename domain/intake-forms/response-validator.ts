import * as v from 'valibot';
import { isJurisdictionCode } from '../jurisdictions/codes';
import type { FieldIssue } from '../shared/errors';
import type { FormField } from './schema';

const DEFAULT_TEXT_MAX = 1_000;
const DEFAULT_TEXTAREA_MAX = 20_000;

export interface ResponseContext {
  /** The organisation's breach type ids, the only legal answers to BREACH_TYPE_SELECT. */
  breachTypeIds: readonly string[];
}

const jurisdictionCode = v.pipe(
  v.string('an ISO 3166-1 or 3166-2 code'),
  v.check(isJurisdictionCode, 'an ISO 3166-1 alpha-2 or ISO 3166-2 code such as DE, GB, IN or US-CA'),
);

function fieldSchema(field: FormField, context: ResponseContext): v.GenericSchema {
  switch (field.type) {
    case 'TEXT':
    case 'TEXTAREA': {
      const max = field.maxLength ?? (field.type === 'TEXT' ? DEFAULT_TEXT_MAX : DEFAULT_TEXTAREA_MAX);
      const min = field.minLength ?? (field.required ? 1 : 0);
      return v.pipe(v.string('a string'), v.minLength(min, `at least ${min} characters`), v.maxLength(max, `at most ${max} characters`));
    }
    case 'NUMBER': {
      const checks: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [];
      if (field.integer) checks.push(v.integer('a whole number'));
      if (field.min !== undefined) checks.push(v.minValue(field.min, `at least ${field.min}`));
      if (field.max !== undefined) checks.push(v.maxValue(field.max, `at most ${field.max}`));
      return v.pipe(v.number('a number'), v.finite('a finite number'), ...checks);
    }
    case 'DATE':
      return v.pipe(v.string('a date (YYYY-MM-DD)'), v.isoDate('a date (YYYY-MM-DD)'), v.check(isRealDate, 'a calendar date that exists'));
    case 'DATETIME':
      return v.pipe(
        v.string('a date-time (ISO 8601 with time zone)'),
        v.isoTimestamp('an ISO 8601 date-time with a time zone, e.g. 2026-03-10T09:30:00Z'),
        v.check((s) => !Number.isNaN(Date.parse(s)), 'a date-time that exists'),
      );
    case 'BOOLEAN':
      return v.boolean('true or false');
    case 'EMAIL':
      return v.pipe(v.string('an email address'), v.maxLength(254, 'at most 254 characters'), v.email('an email address'));
    case 'SELECT':
      return v.picklist(field.options ?? [], `one of: ${(field.options ?? []).join(', ')}`);
    case 'MULTI_SELECT':
      return v.pipe(
        v.array(v.picklist(field.options ?? [], `each one of: ${(field.options ?? []).join(', ')}`), 'a list of options'),
        v.minLength(field.required ? 1 : 0, 'at least one option'),
        v.check((values) => new Set(values).size === values.length, 'each option at most once'),
      );
    case 'BREACH_TYPE_SELECT':
      return v.picklist(context.breachTypeIds, `one of this organisation's breach type ids (${context.breachTypeIds.join(', ')})`);
    case 'JURISDICTION_SELECT':
      return field.multiple === false
        ? jurisdictionCode
        : v.pipe(v.array(jurisdictionCode, 'a list of ISO 3166 codes'), v.minLength(field.required ? 1 : 0, 'at least one jurisdiction'));
  }
}

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Compiles a published version's fields into the validator of its responses. */
export function compileResponseValidator(fields: FormField[], context: ResponseContext) {
  const known = new Set(fields.map((f) => f.key));
  const shape = Object.fromEntries(
    fields.map((field) => {
      const schema = fieldSchema(field, context);
      return [field.key, field.required ? schema : v.nullish(schema)];
    }),
  );
  const schema = v.object(shape);
  return (
    responses: unknown,
    path = 'body.responses',
  ): { ok: true; value: Record<string, unknown> } | { ok: false; issues: FieldIssue[] } => {
    if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) {
      return { ok: false, issues: [{ path, message: 'an object of answers keyed by field key' }] };
    }
    const issues: FieldIssue[] = Object.keys(responses)
      .filter((key) => !known.has(key))
      .map((key) => ({ path: `${path}.${key}`, message: `not a field of this form (fields: ${[...known].join(', ')})` }));
    const result = v.safeParse(schema, responses, { abortPipeEarly: true });
    if (!result.success) {
      for (const issue of result.issues) {
        const keys = (issue.path ?? []).map((item) => String(item.key));
        const missing = issue.input === undefined && keys.length === 1;
        issues.push({ path: [path, ...keys].join('.'), message: missing ? 'required' : `expected ${issue.message}` });
      }
    }
    if (issues.length > 0) return { ok: false, issues };
    const value = Object.fromEntries(
      Object.entries(result.output as Record<string, unknown>).filter(([, answer]) => answer !== undefined && answer !== null),
    );
    return { ok: true, value };
  };
}
