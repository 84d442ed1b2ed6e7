import { InvalidError, type FieldIssue } from '../shared/errors';
import type { FormField } from '../intake-forms/schema';
import type { CreateIncidentInput } from './schema';

const FUTURE_SKEW_MS = 5 * 60 * 1000;

function mappedAnswer(fields: FormField[], responses: Record<string, unknown>, meaning: FormField['mapsTo']) {
  const field = fields.find((f) => f.mapsTo === meaning);
  return field ? { key: field.key, type: field.type, value: responses[field.key] } : undefined;
}

function toInstant(type: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // A date without time counts from the start of that day in UTC, the earliest the clock could have started.
  return new Date(type === 'DATE' ? `${value}T00:00:00Z` : value).toISOString();
}

/**
 * A breach type given beside the answers (`breachTypeId`, as the product documentation submits it) answers the
 * form's breach-type field when that field is left empty; when both are given and differ, the facts refuse them.
 */
export function answersWithBreachType(input: CreateIncidentInput, fields: FormField[]): Record<string, unknown> {
  const field = fields.find((f) => f.mapsTo === 'breachType') ?? fields.find((f) => f.type === 'BREACH_TYPE_SELECT');
  if (!input.breachTypeId || !field || input.responses[field.key] !== undefined) return input.responses;
  return { ...input.responses, [field.key]: input.breachTypeId };
}

/** Decides the register's clock instants and breach type from the request and the mapped form answers. */
export function resolveIncidentFacts(
  input: CreateIncidentInput,
  fields: FormField[],
  responses: Record<string, unknown>,
  breachTypeIds: readonly string[],
  now: Date,
) {
  const issues: FieldIssue[] = [];
  const reportedAt = now.toISOString();

  const typeAnswer = mappedAnswer(fields, responses, 'breachType');
  const answeredType = typeof typeAnswer?.value === 'string' ? typeAnswer.value : undefined;
  if (input.breachTypeId && answeredType && input.breachTypeId !== answeredType) {
    issues.push({
      path: 'body.breachTypeId',
      message: `differs from responses.${typeAnswer!.key} (${answeredType}); send one or make them agree`,
    });
    issues.push({
      path: `body.responses.${typeAnswer!.key}`,
      message: `differs from breachTypeId (${input.breachTypeId}); send one or make them agree`,
    });
  }
  const breachTypeId = input.breachTypeId ?? answeredType ?? null;
  if (input.breachTypeId && !breachTypeIds.includes(input.breachTypeId)) {
    issues.push({ path: 'body.breachTypeId', message: `not a breach type of this organisation (${breachTypeIds.join(', ')})` });
  }

  const discoveredAnswer = mappedAnswer(fields, responses, 'discoveredAt');
  const occurredAnswer = mappedAnswer(fields, responses, 'occurredAt');
  const answeredDiscovered = discoveredAnswer && toInstant(discoveredAnswer.type, discoveredAnswer.value);
  const discoveredAt = input.discoveredAt
    ? { at: new Date(input.discoveredAt).toISOString(), source: 'request' as const }
    : answeredDiscovered
      ? { at: answeredDiscovered, source: 'form-field' as const }
      : { at: reportedAt, source: 'defaulted-to-reported-at' as const };
  const occurredAt = input.occurredAt
    ? new Date(input.occurredAt).toISOString()
    : ((occurredAnswer && toInstant(occurredAnswer.type, occurredAnswer.value)) ?? null);

  const discoveredPath = input.discoveredAt ? 'body.discoveredAt' : `body.responses.${discoveredAnswer?.key ?? 'discoveredAt'}`;
  if (Date.parse(discoveredAt.at) > now.getTime() + FUTURE_SKEW_MS)
    issues.push({ path: discoveredPath, message: 'cannot be in the future' });
  const occurredPath = input.occurredAt ? 'body.occurredAt' : `body.responses.${occurredAnswer?.key ?? 'occurredAt'}`;
  if (occurredAt && Date.parse(occurredAt) > now.getTime() + FUTURE_SKEW_MS)
    issues.push({ path: occurredPath, message: 'cannot be in the future' });
  if (occurredAt && Date.parse(occurredAt) > Date.parse(discoveredAt.at)) {
    issues.push({ path: occurredPath, message: `cannot be after the discovery time (${discoveredAt.at})` });
  }
  if (issues.length > 0) throw new InvalidError('The incident is not valid', issues);
  return { breachTypeId, reportedAt, discoveredAt: discoveredAt.at, discoveredAtSource: discoveredAt.source, occurredAt };
}
