import {
  assertDownloadable,
  auditFactsOf,
  checkUpload,
  DOWNLOAD_URL_SECONDS,
  markRejected,
  markVerified,
  requestAttachment,
  UPLOAD_URL_SECONDS,
  withdraw,
} from '../../domain/attachments/rules';
import type { Attachment, AttachmentRequest } from '../../domain/attachments/schema';
import type { Actor } from '../../domain/audit/chain';
import type { IncidentAggregate } from '../../domain/incidents/schema';
import { resolveOrgSettings } from '../../domain/org-settings/schema';
import { ConflictError, InvalidError, NotFoundError } from '../../domain/shared/errors';
import { newId } from '../../domain/shared/ids';
import { deploymentDefaults } from '../../infra/config';
import type { AppDeps } from '../api/app-deps';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The evidence vault. A file enters in two audited steps: the request (a pending record and a presigned PUT) and
 * the completion, which reads the stored object back, checks size, type and SHA-256 against what was declared and
 * only then makes it evidence. A failed check removes the object and records the refusal; nothing is half-kept.
 */
export function createAttachmentService(deps: Pick<AppDeps, 'repos' | 'clock' | 'evidence' | 'config'>) {
  const { incidents } = deps.repos;
  const settingsOf = async (org: string) => resolveOrgSettings(await deps.repos.orgSettings.get(org), deploymentDefaults(deps.config));

  const find = (aggregate: IncidentAggregate, attachmentId: string) => {
    const attachment = aggregate.attachments.find((a) => a.id === attachmentId);
    if (!attachment) throw new NotFoundError(`Attachment ${attachmentId} not found on incident ${aggregate.incident.id}`);
    return attachment;
  };

  /** Writes `next` over the attachment if it is still at the version read; a concurrent change wins otherwise. */
  async function save(
    org: string,
    incidentId: string,
    read: Attachment,
    next: Attachment,
    action: string,
    details: Record<string, unknown>,
    actor: Actor,
  ) {
    let saved = next;
    await incidents.recordChange(
      org,
      incidentId,
      (current) => {
        const now = find(current, read.id);
        if (now.version !== read.version) {
          saved = now;
          return undefined;
        }
        return { action, details, children: [{ kind: 'attachment', mode: 'replace', value: next }] };
      },
      { actor },
    );
    return saved;
  }

  return {
    async list(org: string, incidentId: string) {
      return (await incidents.getAggregate(org, incidentId)).attachments;
    },

    async get(org: string, incidentId: string, attachmentId: string) {
      return find(await incidents.getAggregate(org, incidentId), attachmentId);
    },

    async request(org: string, incidentId: string, input: AttachmentRequest, actor: Actor) {
      const settings = await settingsOf(org);
      const now = deps.clock.now();
      const id = newId('att', now);
      const attachment = requestAttachment(input, {
        id,
        incidentId,
        objectKey: `evidence/${org}/${incidentId}/${id}`,
        uploadedBy: actor.id,
        now,
        maxBytes: settings.evidence.maxUploadBytes,
      });
      await incidents.recordChange(
        org,
        incidentId,
        () => ({
          action: 'attachment.requested',
          details: auditFactsOf(attachment),
          children: [{ kind: 'attachment', mode: 'create', value: attachment }],
        }),
        { actor, read: 'summary' },
      );
      const upload = await deps.evidence.presignUpload({
        key: attachment.objectKey,
        contentType: attachment.contentType,
        size: attachment.size,
        expiresInSeconds: UPLOAD_URL_SECONDS,
      });
      return { attachment, upload };
    },

    async complete(org: string, incidentId: string, attachmentId: string, actor: Actor) {
      const attachment = find(await incidents.getAggregate(org, incidentId), attachmentId);
      if (attachment.status === 'available') return attachment;
      if (attachment.status !== 'pending')
        throw new ConflictError(`Attachment ${attachmentId} is ${attachment.status}`, { attachmentStatus: attachment.status });
      const now = deps.clock.now();
      const stored = await deps.evidence.describe(attachment.objectKey);
      const check = await checkUpload(attachment, stored, () => deps.evidence.sha256Of(attachment.objectKey, stored?.versionId), now);
      if (check.outcome === 'missing') {
        if (check.expired)
          throw new ConflictError(
            `Nothing was uploaded for attachment ${attachmentId} before its upload URL expired at ${attachment.uploadExpiresAt}; request a new upload`,
            { reason: 'upload-expired', uploadExpiresAt: attachment.uploadExpiresAt },
          );
        throw new ConflictError(`Nothing has been uploaded for attachment ${attachmentId} yet; PUT the file to its upload URL first`, {
          reason: 'not-uploaded',
          uploadExpiresAt: attachment.uploadExpiresAt,
        });
      }
      if (check.outcome === 'mismatch') {
        await deps.evidence.discard(attachment.objectKey);
        await save(
          org,
          incidentId,
          attachment,
          markRejected(attachment, check.field, check.reason, now),
          'attachment.rejected',
          { attachmentId, field: check.field, reason: check.reason },
          actor,
        );
        throw new InvalidError(
          `The uploaded file does not match what was declared (${check.field}); it was removed and the attachment refused`,
          [{ path: check.field, message: check.reason }],
          true,
        );
      }
      const settings = await settingsOf(org);
      const retention = await deps.evidence.retain(
        attachment.objectKey,
        stored!.versionId,
        new Date(now.getTime() + settings.evidence.retentionDays * DAY_MS),
      );
      const verified = markVerified(attachment, { ...stored!, ...retention }, now);
      return save(
        org,
        incidentId,
        attachment,
        verified,
        'attachment.added',
        { ...auditFactsOf(verified), etag: stored!.etag, versionId: stored!.versionId ?? null, retainUntil: retention.retainUntil ?? null },
        actor,
      );
    },

    /** Every download is on the incident's audit chain: who fetched which file, when. */
    async download(org: string, incidentId: string, attachmentId: string, actor: Actor) {
      const attachment = find(await incidents.getAggregate(org, incidentId), attachmentId);
      assertDownloadable(attachment);
      await incidents.recordChange(
        org,
        incidentId,
        () => ({ action: 'attachment.downloaded', details: { attachmentId, sha256: attachment.sha256 } }),
        { actor, read: 'summary' },
      );
      return deps.evidence.presignDownload({
        key: attachment.objectKey,
        versionId: attachment.stored?.versionId,
        etag: attachment.stored!.etag,
        fileName: attachment.name,
        expiresInSeconds: DOWNLOAD_URL_SECONDS,
      });
    },

    async withdraw(org: string, incidentId: string, attachmentId: string, reason: string, actor: Actor) {
      const attachment = find(await incidents.getAggregate(org, incidentId), attachmentId);
      const settings = await settingsOf(org);
      const hold = attachment.status === 'available' && settings.evidence.legalHoldOnWithdrawal;
      const next = withdraw(attachment, actor.id, reason, hold, deps.clock.now());
      if (hold) await deps.evidence.holdLegally(attachment.objectKey, attachment.stored?.versionId);
      return save(
        org,
        incidentId,
        attachment,
        next,
        'attachment.withdrawn',
        { attachmentId, sha256: attachment.sha256, reason, legalHold: hold },
        actor,
      );
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
