import { z } from 'zod';

/**
 * What evidence may be: documents, images, logs, mail and archives. Anything else is refused by name, so an
 * executable or an HTML page cannot be stored and later served from the evidence bucket.
 */
export const EVIDENCE_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'application/json',
  'message/rfc822',
  'application/zip',
  'application/gzip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
] as const;

/** S3's largest single PUT; an organisation sets its own lower limit. */
export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 ** 3;

export const attachmentStatusSchema = z.enum(['pending', 'available', 'rejected', 'withdrawn']);

const sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'the SHA-256 of the file as 64 hexadecimal characters')
  .transform((hex) => hex.toLowerCase());

export const attachmentRequestSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(255)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point of this check
    .refine((name) => !/[\\/\u0000-\u001f\u007f]/.test(name), 'a file name without slashes or control characters'),
  contentType: z.enum(EVIDENCE_CONTENT_TYPES, { error: `one of ${EVIDENCE_CONTENT_TYPES.join(', ')}` }),
  size: z.number().int().min(1, 'at least 1 byte').max(MAX_SINGLE_UPLOAD_BYTES),
  sha256: sha256Hex,
  description: z.string().trim().max(2000).optional(),
});
export type AttachmentRequest = z.infer<typeof attachmentRequestSchema>;

export const attachmentSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  description: z.string().optional(),
  status: attachmentStatusSchema,
  objectKey: z.string(),
  uploadedBy: z.string(),
  createdAt: z.string(),
  uploadExpiresAt: z.string(),
  completedAt: z.string().optional(),
  /** What the store answered for the verified object: a later overwrite cannot change what is served. */
  stored: z.object({ etag: z.string(), versionId: z.string().optional(), retainUntil: z.string().optional() }).optional(),
  rejection: z.object({ reason: z.string(), field: z.string(), at: z.string() }).optional(),
  withdrawal: z.object({ reason: z.string(), by: z.string(), at: z.string(), legalHold: z.boolean() }).optional(),
  version: z.number().int(),
});
export type Attachment = z.infer<typeof attachmentSchema>;
