import { z } from 'zod';

export const notificationStatusSchema = z.enum(['draft', 'approved', 'sent', 'acknowledged']);

export const notificationInputSchema = z.object({
  obligationId: z.string().min(1).max(300).optional(),
  templateId: z.string().min(1).max(100).optional(),
  recipients: z.array(z.object({ email: z.email('an email address'), name: z.string().max(200).optional() })).min(1, 'at least one recipient').max(500),
  /** Facts the incident cannot supply (organisation, DPO contact, measures, consequences...). */
  facts: z.record(z.string(), z.unknown()).default({}),
});

export const acknowledgementInputSchema = z.object({
  reference: z.string().trim().min(1, 'required: the regulator’s or recipient’s reference').max(200),
  acknowledgedAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time' }).optional(),
  note: z.string().max(10_000).optional(),
});

export const deliverySchema = z.object({ email: z.string(), status: z.enum(['sent', 'in-doubt']), messageId: z.string().nullable(), at: z.string() });

export const notificationSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  obligationId: z.string().nullable(),
  templateId: z.string(),
  subject: z.string(),
  body: z.string(),
  missing: z.array(z.string()),
  recipients: z.array(z.object({ email: z.string(), name: z.string().optional() })),
  status: notificationStatusSchema,
  deliveries: z.array(deliverySchema),
  acknowledgement: z.object({ reference: z.string(), acknowledgedAt: z.string(), note: z.string().optional(), recordedBy: z.string() }).nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  approvedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  sentAt: z.string().nullable(),
  chasedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Notification = z.infer<typeof notificationSchema>;
