import { z } from 'zod';

/** The domain events a subscription can receive (the engine's own names); payloads carry ids, codes and timestamps only. */
export const publicEventTypes = [
  'breach/incident.created',
  'breach/incident.triaged',
  'breach/incident.stage.changed',
  'breach/incident.sla.breached',
  'breach/obligation.opened',
  'breach/obligation.due-soon',
  'breach/obligation.overdue',
  'breach/obligation.closed',
  'breach/notification.approved',
  'breach/notification.acknowledged',
  'breach/signal.received',
] as const;
export const publicEventTypeSchema = z.enum(publicEventTypes);

export const subscriptionInputSchema = z.object({
  url: z.url({ error: 'an absolute http(s) URL' }).max(2000),
  eventTypes: z.array(publicEventTypeSchema).min(1, 'at least one event type').max(publicEventTypes.length),
  description: z.string().trim().max(500).default(''),
  enabled: z.boolean().default(true),
});
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;

export interface SigningSecret {
  id: string;
  secret: string;
  createdAt: string;
}

export interface WebhookSubscription extends SubscriptionInput {
  id: string;
  secrets: { current: SigningSecret; previous: (SigningSecret & { expiresAt: string }) | null };
  /** Deliveries that failed for good in a row; reset by a success. */
  consecutiveFailures: number;
  disabledReason: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const deliveryStatusSchema = z.enum(['pending', 'delivered', 'retrying', 'failed']);

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  latencyMs: number;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  /** The domain event (ids, codes and timestamps), kept so that it can be delivered again. */
  event: { id: string; name: string; ts: number; data: Record<string, unknown> };
  status: z.infer<typeof deliveryStatusSchema>;
  attempts: DeliveryAttempt[];
  createdAt: string;
  updatedAt: string;
}
