import { z } from '@hono/zod-openapi';
import { orgIdSchema } from '../../domain/auth/principal';
import type { Signal } from '../../domain/signals/schema';

export const orgParam = z.object({
  orgId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'orgId', in: 'path' }, example: 'acme' }),
});

export const isOrgId = (value: string) => orgIdSchema.safeParse(value).success;

export const deliveryResultSchema = z
  .object({
    status: z.enum(['accepted', 'duplicate', 'acknowledged', 'ignored']),
    signalId: z.string().nullable(),
    signalStatus: z.string().nullable(),
    plannedAction: z.string().nullable(),
    incidentId: z.string().nullable(),
  })
  .openapi('WebhookDeliveryResult');

export const deliveryResult = (status: 'accepted' | 'duplicate', signal: Signal) => ({
  status,
  signalId: signal.id,
  signalStatus: signal.status,
  plannedAction: signal.plannedAction,
  incidentId: signal.incidentId,
});

export const noSignal = (status: 'acknowledged' | 'ignored') => ({
  status,
  signalId: null,
  signalStatus: null,
  plannedAction: null,
  incidentId: null,
});
