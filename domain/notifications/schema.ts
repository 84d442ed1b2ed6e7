import { z } from 'zod';

export const notificationStatusSchema = z.enum(['draft', 'approved', 'sent', 'acknowledged']);

export const notificationInputSchema = z.object({
  obligationId: z.string().min(1).max(300).optional(),
  templateId: z.string().min(1).max(100).optional(),
  recipients: z
    .array(z.object({ email: z.email('an email address'), name: z.string().max(200).optional() }))
    .min(1, 'at least one recipient')
    .max(500),
  /** Facts the incident cannot supply (organisation, DPO contact, measures, consequences...). */
  facts: z.record(z.string(), z.unknown()).default({}),
});

export const acknowledgementInputSchema = z.object({
  reference: z.string().trim().min(1, 'required: the regulator’s or recipient’s reference').max(200),
  acknowledgedAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time' }).optional(),
  note: z.string().max(10_000).optional(),
});

const receivedAt = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time' }).optional();

/** What came back from a recipient: a case reference, a request for more information (with its own due date), or a note. */
export const responseInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('case-reference'),
    reference: z.string().trim().min(1, 'required: the case reference').max(200),
    receivedAt,
    note: z.string().trim().max(10_000).optional(),
  }),
  z.object({
    kind: z.literal('information-request'),
    request: z.string().trim().min(1, 'required: what the recipient asks for').max(10_000),
    dueAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time: when the answer is due' }),
    reference: z.string().trim().max(200).optional(),
    receivedAt,
  }),
  z.object({ kind: z.literal('note'), text: z.string().trim().min(1, 'required').max(10_000), receivedAt }),
]);
export type ResponseInput = z.infer<typeof responseInputSchema>;

export const notificationResponseSchema = z.object({
  id: z.string(),
  kind: z.enum(['case-reference', 'information-request', 'note']),
  receivedAt: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  reference: z.string().optional(),
  request: z.string().optional(),
  dueAt: z.string().optional(),
  /** The task that tracks the answer to an information request. */
  taskId: z.string().optional(),
  text: z.string().optional(),
  note: z.string().optional(),
});
export type NotificationResponse = z.infer<typeof notificationResponseSchema>;

export const deliverySchema = z.object({
  email: z.string(),
  status: z.enum(['sent', 'in-doubt']),
  messageId: z.string().nullable(),
  at: z.string(),
});

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
  acknowledgement: z
    .object({ reference: z.string(), acknowledgedAt: z.string(), note: z.string().optional(), recordedBy: z.string() })
    .nullable(),
  /** Replies received; absent on notifications stored before responses were recorded. */
  responses: z.array(notificationResponseSchema).optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  approvedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  sentAt: z.string().nullable(),
  chasedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Notification = z.infer<typeof notificationSchema>;
