/** Response examples for the main resources, keyed by component schema name; placed on every response that returns one. */
const breachType = {
  id: 'type_unauthorized_access',
  name: 'Unauthorized access',
  description: 'Personal data accessed by someone without authorisation.',
  builtIn: true,
  version: 1,
  createdAt: '2026-03-10T09:00:00.000Z',
  updatedAt: '2026-03-10T09:00:00.000Z',
};

const breachIncident = {
  id: 'inc_01JQ3Z8V6Y9K2M4N5P7R8S9T0V',
  formId: 'form_01JQ3Z7W1A2B3C4D5E6F7G8H9J',
  formVersion: 1,
  breachTypeId: 'type_unauthorized_access',
  stage: 'TRIAGE',
  status: 'open',
  severity: { level: 'high', score: 72 },
  source: 'api',
  workflow: { id: 'wf_default', version: 1 },
  reportedAt: '2026-03-10T09:15:00.000Z',
  discoveredAt: '2026-03-10T08:40:00.000Z',
  discoveredAtSource: 'form-field',
  occurredAt: '2026-03-10T00:00:00.000Z',
  createdBy: 'user:dpo@example.com',
  version: 3,
  createdAt: '2026-03-10T09:15:00.000Z',
  updatedAt: '2026-03-10T09:15:02.000Z',
  obligationSummary: {
    total: 2,
    open: 2,
    overdue: 0,
    nextDueAt: '2026-03-13T08:40:00.000Z',
    nextObligationId: 'obl_01JQ3Z8W0000000000000000',
  },
};

export const responseExamples: Record<string, unknown> = {
  BreachType: breachType,
  BreachIncident: breachIncident,
};

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string }; example?: unknown }> }> };

/** Sets the example of every JSON response whose schema is one of the examples' components. */
export function addResponseExamples(paths: Record<string, Record<string, Operation>>) {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      for (const response of Object.values(operation.responses ?? {})) {
        for (const media of Object.values(response.content ?? {})) {
          const name = media.schema?.$ref?.split('/').at(-1);
          if (name && name in responseExamples) media.example = responseExamples[name];
        }
      }
    }
  }
}
