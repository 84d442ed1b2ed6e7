import { eventType } from 'inngest';
import * as z from 'zod/mini';
import type { OutgoingEvent } from '../domain/shared/events';

/** Every event the system emits, with the schema its data must satisfy. Names: breach/<noun>.<past-verb>. */
export const incidentCreated = eventType('breach/incident.created', {
  schema: z.object({
    orgId: z.string(),
    incidentId: z.string(),
    formId: z.string(),
    formVersion: z.number(),
    discoveredAt: z.string(),
    source: z.string(),
  }),
});

/**
 * The runbook's automation hook: every `breach/incident.created` is also sent under the name the design card and the
 * runbook give it, with the same payload and its own id. It is an extension point — register your own Inngest
 * function on it — and nothing of the product triggers on it, so the product's triage still runs once.
 */
export const incidentCreatedHook = eventType('breach-incident-created', { schema: incidentCreated.schema });

/** The events to send for stored ones: each as it is, plus the public alias of a creation. */
export function withPublicAliases(events: OutgoingEvent[]): OutgoingEvent[] {
  return events.flatMap((event) =>
    event.name === incidentCreated.name
      ? [
          event,
          outgoing(incidentCreatedHook, event.data as z.infer<typeof incidentCreated.schema>, { id: `${event.id}-hook`, ts: event.ts }),
        ]
      : [event],
  );
}

export const incidentStageChanged = eventType('breach/incident.stage.changed', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), from: z.string(), to: z.string(), version: z.number() }),
});

export const incidentTriaged = eventType('breach/incident.triaged', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), severity: z.string(), riskLevel: z.string(), obligations: z.number() }),
});

/** One per obligation with a fixed deadline; starts its regulatory clock. */
export const obligationOpened = eventType('breach/obligation.opened', {
  schema: z.object({
    orgId: z.string(),
    incidentId: z.string(),
    obligationId: z.string(),
    clockKey: z.string(),
    awareAt: z.string(),
    dueAt: z.string(),
  }),
});

/** Filed, or decided not to notify: stops the obligation's clock. */
export const obligationClosed = eventType('breach/obligation.closed', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), obligationId: z.string(), clockKey: z.string(), status: z.string() }),
});

export const obligationOverdue = eventType('breach/obligation.overdue', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), obligationId: z.string(), dueAt: z.string() }),
});

export const slaBreached = eventType('breach/incident.sla.breached', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), stage: z.string(), dueAt: z.string() }),
});

/** The cancellation key for a regulatory clock: one per (incident, obligation, generation); a reassessment that moves a deadline starts a new generation. */
export const clockKeyOf = (incidentId: string, obligationId: string, generation = 1) => `${incidentId}:${obligationId}:${generation}`;

export const notificationApproved = eventType('breach/notification.approved', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), notificationId: z.string() }),
});

/** A task with a due date the workflows watch (today: answering a recipient's request for information). */
export const taskOpened = eventType('breach/task.opened', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), taskId: z.string(), dueAt: z.string() }),
});

export const notificationResponded = eventType('breach/notification.responded', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), notificationId: z.string(), responseId: z.string(), kind: z.string() }),
});

export const notificationAcknowledged = eventType('breach/notification.acknowledged', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), notificationId: z.string(), reference: z.string() }),
});

/** Responders supplied facts (or awareness was decided): recompute obligations and move the clocks. */
export const reassessmentRequested = eventType('breach/incident.reassessment.requested', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), reason: z.string() }),
});

export const awarenessDecided = eventType('breach/incident.awareness.decided', {
  schema: z.object({
    orgId: z.string(),
    incidentId: z.string(),
    aware: z.boolean(),
    decidedAt: z.string(),
    discoveredAt: z.optional(z.nullable(z.string())),
    detectedAt: z.optional(z.nullable(z.string())),
  }),
});

/** A signal opened an incident: someone must decide whether the organisation is aware of a personal data breach. */
export const awarenessRequested = eventType('breach/incident.awareness.requested', {
  schema: z.object({
    orgId: z.string(),
    incidentId: z.string(),
    signalId: z.string(),
    level: z.string(),
    detectedAt: z.optional(z.nullable(z.string())),
    dueAt: z.string(),
    slaHours: z.number(),
  }),
});

/** A verified webhook delivery was stored as a signal. */
export const signalReceived = eventType('breach/signal.received', {
  schema: z.object({
    orgId: z.string(),
    signalId: z.string(),
    source: z.string(),
    level: z.string(),
    fingerprint: z.string(),
    plannedAction: z.string(),
  }),
});

/** An incident's automation failed for good (a legal clock is no longer watched by a machine). */
export const automationFailed = eventType('breach/incident.automation.failed', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), functionId: z.string() }),
});

/**
 * An event for the outbox, built through its definition so the data is checked against the trigger's schema;
 * the id makes redelivery a no-op and the timestamp is the change's.
 */
export function outgoing<TName extends string, TData extends Record<string, unknown>>(
  definition: { create(data: TData, options?: { id?: string; ts?: number }): { name: TName; data: TData } },
  data: TData,
  options: { id: string; ts: number },
): OutgoingEvent {
  const created = definition.create(data, options);
  return { id: options.id, name: created.name, data: created.data, ts: options.ts };
}

/** A reminder fell due on an obligation still open: its deadline is near. */
export const obligationDueSoon = eventType('breach/obligation.due-soon', {
  schema: z.object({ orgId: z.string(), incidentId: z.string(), obligationId: z.string(), dueAt: z.string(), reminder: z.number() }),
});

/** One domain event to deliver to one outbound webhook subscription. */
export const webhookDeliveryRequested = eventType('breach/webhook.delivery.requested', {
  schema: z.object({
    orgId: z.string(),
    subscriptionId: z.string(),
    deliveryId: z.string(),
    event: z.object({ id: z.string(), name: z.string(), ts: z.number(), data: z.record(z.string(), z.unknown()) }),
  }),
});
