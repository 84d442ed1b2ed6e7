import { ConflictError, InvalidError } from '../shared/errors';
import type { Attachment, AttachmentRequest } from './schema';
import type { StoredObject } from './evidence-store';

/** Upload URLs are short-lived: long enough for a large file on a slow link to start, no longer. */
export const UPLOAD_URL_SECONDS = 300;
export const DOWNLOAD_URL_SECONDS = 300;

export function requestAttachment(
  input: AttachmentRequest,
  context: { id: string; incidentId: string; objectKey: string; uploadedBy: string; now: Date; maxBytes: number },
): Attachment {
  if (input.size > context.maxBytes) {
    throw new InvalidError(`The file is larger than this organisation's evidence limit of ${context.maxBytes} bytes`, [
      { path: 'body.size', message: `at most ${context.maxBytes} bytes (the organisation's evidence.maxUploadBytes)` },
    ]);
  }
  return {
    id: context.id,
    incidentId: context.incidentId,
    name: input.name,
    contentType: input.contentType,
    size: input.size,
    sha256: input.sha256,
    ...(input.description ? { description: input.description } : {}),
    status: 'pending',
    objectKey: context.objectKey,
    uploadedBy: context.uploadedBy,
    createdAt: context.now.toISOString(),
    uploadExpiresAt: new Date(context.now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    version: 1,
  };
}

export type UploadCheck =
  | { outcome: 'verified' }
  | { outcome: 'missing'; expired: boolean }
  | { outcome: 'mismatch'; field: 'size' | 'contentType' | 'sha256'; reason: string };

/** Compares what was uploaded with what the uploader declared; the hash is asked for only when the rest matches. */
export async function checkUpload(
  attachment: Attachment,
  stored: StoredObject | null,
  hashOfStored: () => Promise<string>,
  now: Date,
): Promise<UploadCheck> {
  if (!stored) return { outcome: 'missing', expired: now.getTime() > Date.parse(attachment.uploadExpiresAt) };
  if (stored.size !== attachment.size)
    return { outcome: 'mismatch', field: 'size', reason: `declared ${attachment.size} bytes, uploaded ${stored.size}` };
  if (stored.contentType && stored.contentType.split(';')[0]!.trim().toLowerCase() !== attachment.contentType) {
    return { outcome: 'mismatch', field: 'contentType', reason: `declared ${attachment.contentType}, uploaded ${stored.contentType}` };
  }
  const actual = await hashOfStored();
  if (actual !== attachment.sha256)
    return { outcome: 'mismatch', field: 'sha256', reason: `declared ${attachment.sha256}, uploaded content hashes to ${actual}` };
  return { outcome: 'verified' };
}

export function markVerified(attachment: Attachment, stored: StoredObject & { retainUntil?: string }, now: Date): Attachment {
  assertStatus(attachment, ['pending'], 'completed');
  return {
    ...attachment,
    status: 'available',
    completedAt: now.toISOString(),
    stored: {
      etag: stored.etag,
      ...(stored.versionId ? { versionId: stored.versionId } : {}),
      ...(stored.retainUntil ? { retainUntil: stored.retainUntil } : {}),
    },
    version: attachment.version + 1,
  };
}

export function markRejected(attachment: Attachment, field: string, reason: string, now: Date): Attachment {
  assertStatus(attachment, ['pending'], 'rejected');
  return { ...attachment, status: 'rejected', rejection: { field, reason, at: now.toISOString() }, version: attachment.version + 1 };
}

export function withdraw(attachment: Attachment, by: string, reason: string, legalHold: boolean, now: Date): Attachment {
  assertStatus(attachment, ['pending', 'available'], 'withdrawn');
  return {
    ...attachment,
    status: 'withdrawn',
    withdrawal: { reason, by, at: now.toISOString(), legalHold },
    version: attachment.version + 1,
  };
}

/** Withdrawn evidence stays readable (it is kept, not erased); a pending or rejected upload has nothing to read. */
export function assertDownloadable(attachment: Attachment) {
  if (attachment.status !== 'available' && attachment.status !== 'withdrawn') {
    throw new ConflictError(`Attachment ${attachment.id} is ${attachment.status}: there is no verified file to download`, {
      attachmentStatus: attachment.status,
    });
  }
}

function assertStatus(attachment: Attachment, allowed: Attachment['status'][], to: string) {
  if (!allowed.includes(attachment.status)) {
    throw new ConflictError(`Attachment ${attachment.id} is ${attachment.status} and cannot be ${to}`, {
      attachmentStatus: attachment.status,
    });
  }
}

/** The facts of a verified file that go into the audit chain: enough for a third party to check the file. */
export const auditFactsOf = (attachment: Attachment) => ({
  attachmentId: attachment.id,
  name: attachment.name,
  contentType: attachment.contentType,
  size: attachment.size,
  sha256: attachment.sha256,
  uploadedBy: attachment.uploadedBy,
});
