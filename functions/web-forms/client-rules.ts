import type { FormField } from '../../domain/intake-forms/schema';
import { US_SUBDIVISIONS } from '../../domain/jurisdictions/codes';
import { jurisdictionCountryCodes } from './jurisdiction-options';

/** What the page's script knows of a field: exactly the attributes the server's validator reads. */
export type ClientField = Pick<
  FormField,
  'key' | 'type' | 'required' | 'options' | 'multiple' | 'min' | 'max' | 'integer' | 'minLength' | 'maxLength'
>;

export interface ClientRulesContext {
  breachTypeIds: string[];
  countries: string[];
  us: string[];
}

export const clientField = (f: FormField): ClientField => ({
  key: f.key,
  type: f.type,
  required: f.required,
  options: f.options,
  multiple: f.multiple,
  min: f.min,
  max: f.max,
  integer: f.integer,
  minLength: f.minLength,
  maxLength: f.maxLength,
});

export const clientRulesContext = (breachTypeIds: string[]): ClientRulesContext => ({
  breachTypeIds,
  countries: jurisdictionCountryCodes(),
  us: [...US_SUBDIVISIONS],
});

/**
 * The page's validation, in plain browser JavaScript: the same parse as domain/web-forms/form-values.ts
 * and the same rules as domain/intake-forms/response-validator.ts (regular expressions copied from valibot,
 * which the server uses). test/integration/web-forms-rules.test.ts checks both agree on generated input.
 * `validate(field, values, otherValues, ctx)` returns a message, or null when the answer is acceptable.
 */
export const CLIENT_RULES_JS = String.raw`var BreachFormRules = (function () {
  'use strict';
  var EMAIL = /^[\w+-]+(?:\.[\w+-]+)*@[\da-zA-Z]+(?:[.-][\da-zA-Z]+)*\.[a-zA-Z]{2,}$/u;
  var ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])$/u;
  var ISO_TIMESTAMP = /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])[T ](?:0\d|1\d|2[0-3])(?::[0-5]\d){2}(?:\.\d{1,9})?(?:Z| ?[+-](?:0\d|1\d|2[0-3])(?::?[0-5]\d)?)$/u;
  var LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,3})\d*)?)?$/;
  var NUMBER_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
  var TEXT_MAX = { TEXT: 1000, TEXTAREA: 20000 };

  function realDate(s) {
    var d = new Date(s + 'T00:00:00Z');
    return !isNaN(d.getTime()) && d.toISOString().indexOf(s) === 0;
  }
  function isJurisdiction(raw, ctx) {
    var code = String(raw).trim().toUpperCase();
    if (ctx.countries.indexOf(code) >= 0) return true;
    var m = /^([A-Z]{2})-([A-Z0-9]{1,3})$/.exec(code);
    if (!m || ctx.countries.indexOf(m[1]) < 0) return false;
    return m[1] !== 'US' || ctx.us.indexOf(m[2]) >= 0;
  }
  function unique(list) {
    var out = [];
    for (var i = 0; i < list.length; i++) if (out.indexOf(list[i]) < 0) out.push(list[i]);
    return out;
  }

  /** The answer the server will judge, or undefined when the control is empty. */
  function parse(field, values, other) {
    var first = values.length > 0 ? values[0] : '';
    switch (field.type) {
      case 'TEXT': return first === '' ? undefined : first;
      case 'TEXTAREA': return first === '' ? undefined : first.replace(/\r\n?/g, '\n');
      case 'NUMBER': {
        var t = first.trim();
        return t === '' ? undefined : NUMBER_LITERAL.test(t) ? Number(t) : t;
      }
      case 'DATETIME': {
        if (first === '') return undefined;
        var m = LOCAL_DATETIME.exec(first);
        // A valid wall-clock time becomes an instant on the server; mark it as such.
        return m && realDate(m[1] + '-' + m[2] + '-' + m[3]) ? { localDateTime: first } : first;
      }
      case 'BOOLEAN': return first === '' ? undefined : first === 'true' ? true : first === 'false' ? false : first;
      case 'EMAIL': return first.trim() === '' ? undefined : first.trim();
      case 'MULTI_SELECT': {
        var chosen = values.filter(function (v) { return v !== ''; });
        return chosen.length === 0 ? undefined : chosen;
      }
      case 'JURISDICTION_SELECT': {
        var typed = [];
        (other || []).forEach(function (v) { typed = typed.concat(v.split(/[\s,;]+/)); });
        var codes = unique(values.concat(typed).filter(function (v) { return v.trim() !== ''; }).map(function (v) { return v.trim().toUpperCase(); }));
        if (codes.length === 0) return undefined;
        return field.multiple === false && codes.length === 1 ? codes[0] : codes;
      }
      default: return first === '' ? undefined : first;
    }
  }

  function check(field, answer, ctx) {
    if (answer === undefined) return field.required ? 'This field is required.' : null;
    var options = field.options || [];
    switch (field.type) {
      case 'TEXT':
      case 'TEXTAREA': {
        var max = field.maxLength !== undefined ? field.maxLength : TEXT_MAX[field.type];
        var min = field.minLength !== undefined ? field.minLength : field.required ? 1 : 0;
        if (answer.length < min) return 'Enter at least ' + min + ' characters.';
        if (answer.length > max) return 'Enter at most ' + max + ' characters (now ' + answer.length + ').';
        return null;
      }
      case 'NUMBER':
        if (typeof answer !== 'number' || !isFinite(answer)) return 'Enter a number.';
        if (field.integer && Math.floor(answer) !== answer) return 'Enter a whole number.';
        if (field.min !== undefined && answer < field.min) return 'Enter a number of at least ' + field.min + '.';
        if (field.max !== undefined && answer > field.max) return 'Enter a number of at most ' + field.max + '.';
        return null;
      case 'DATE':
        return ISO_DATE.test(answer) && realDate(answer) ? null : 'Enter a date that exists (YYYY-MM-DD).';
      case 'DATETIME':
        if (typeof answer === 'object') return null;
        return ISO_TIMESTAMP.test(answer) && !isNaN(Date.parse(answer)) ? null : 'Enter a date and time.';
      case 'BOOLEAN':
        return typeof answer === 'boolean' ? null : 'Choose Yes or No.';
      case 'EMAIL':
        return answer.length <= 254 && EMAIL.test(answer) ? null : 'Enter an email address, like name@example.com.';
      case 'SELECT':
        return options.indexOf(answer) >= 0 ? null : 'Choose one of the options.';
      case 'MULTI_SELECT':
        for (var i = 0; i < answer.length; i++) if (options.indexOf(answer[i]) < 0) return 'Choose only from the options listed.';
        if (unique(answer).length !== answer.length) return 'Choose each option at most once.';
        return null;
      case 'BREACH_TYPE_SELECT':
        return ctx.breachTypeIds.indexOf(answer) >= 0 ? null : 'Choose a breach type from the list.';
      case 'JURISDICTION_SELECT': {
        if (field.multiple === false && typeof answer !== 'string') return 'Choose one jurisdiction only.';
        var list = typeof answer === 'string' ? [answer] : answer;
        for (var j = 0; j < list.length; j++) {
          if (!isJurisdiction(list[j], ctx)) return list[j] + ' is not an ISO 3166 code (use codes such as DE, GB, IN or US-CA).';
        }
        return null;
      }
      default:
        return null;
    }
  }

  return {
    parse: parse,
    check: check,
    validate: function (field, values, other, ctx) { return check(field, parse(field, values, other), ctx); },
  };
})();
`;
