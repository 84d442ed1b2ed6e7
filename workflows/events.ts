import { eventType } from 'inngest';
import { z } from 'zod';

/** Every event the system emits, with the schema its data must satisfy. Names: breach/<noun>.<past-verb>. */
export const incidentCreated = eventType('breach/incident.created', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), formId: z.string(), formVersion: z.number(), discoveredAt: z.string(), source: z.string() }),
});

export const incidentStageChanged = eventType('breach/incident.stage.changed', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), from: z.string(), to: z.string(), version: z.number() }),
});
