import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormField } from '../../domain/intake-forms/schema';
import { compileResponseValidator } from '../../domain/intake-forms/response-validator';
import { otherJurisdictionsName, responsesFromFormValues } from '../../domain/web-forms/form-values';
import { CLIENT_RULES_JS, clientField, clientRulesContext } from '../../functions/web-forms/client-rules';
import { everyFieldType } from './web-forms-fixture';

type Rules = { validate(field: unknown, values: string[], other: string[], ctx: unknown): string | null };
const rules = new Function(`${CLIENT_RULES_JS}\nreturn BreachFormRules;`)() as Rules;
const breachTypeIds = ['type_unauthorized_access', 'type_lost_device'];
const ctx = clientRulesContext(breachTypeIds);

/** Raw control values of the kinds a browser (or a hand-made post) sends. */
const raw = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'abc',
    'abcdef',
    '12',
    '12.5',
    '-3',
    '1e999',
    '2026-03-10',
    '2026-02-30',
    '2026-03-10T09:30',
    '2026-03-10T24:00',
    '2026-03-10T09:30:00Z',
  ),
  fc.constantFrom(
    'true',
    'false',
    'yes',
    'alex@example.com',
    'alex@',
    'Low',
    'High',
    'Health',
    'Financial',
    'DE',
    'us-ca',
    'US-ZZ',
    'UK',
    'GB-SCT',
    'type_lost_device',
  ),
  fc.string({ maxLength: 12 }),
);

describe("the page's validation agrees with the API's", () => {
  const fields = [
    ...everyFieldType.map((f) => ({ required: false, ...f }) as FormField),
    { key: 'one_place', label: 'One place', type: 'JURISDICTION_SELECT', required: false, multiple: false } as FormField,
    { key: 'price', label: 'Price', type: 'NUMBER', required: true, min: -5, max: 10 } as FormField,
  ];
  for (const field of fields) {
    it(`${field.type} (${field.key}${field.required ? ', required' : ''})`, () => {
      const serverVerdict = compileResponseValidator([field], { breachTypeIds });
      fc.assert(
        fc.property(fc.array(raw, { maxLength: 3 }), fc.array(raw, { maxLength: 1 }), (values, other) => {
          const posted = (name: string) => (name === field.key ? values : name === otherJurisdictionsName(field.key) ? other : []);
          const server = serverVerdict(responsesFromFormValues([field], posted, 'Europe/Berlin')).ok;
          const client = rules.validate(clientField(field), values, field.type === 'JURISDICTION_SELECT' ? other : [], ctx) === null;
          expect(client).toBe(server);
        }),
        { numRuns: 400 },
      );
    });
  }
});
