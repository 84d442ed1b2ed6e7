import { createHash } from 'node:crypto';
import type { Attachment } from '../../domain/attachments/schema';
import type { FormField } from '../../domain/intake-forms/schema';
import { ConflictError } from '../../domain/shared/errors';
import { createResponseMetrics } from '../../domain/metrics/rules';
import { regulatorPackFiles } from '../../domain/register/pack';
import { registerEntry, type RegisterEntry } from '../../domain/register/rules';
import type { AppDeps } from '../api/app-deps';

export interface ReportRange {
  from?: string;
  to?: string;
}

/** Read-side reports over the register: each walks the incidents of a range one at a time, never all in memory. */
/** A pack is one HTTP response; Lambda answers at most 6 MB, so the files a pack carries stay under 5 MiB in all. */
export const PACK_INLINE_FILES_MAX_BYTES = 5 * 1024 * 1024;

export function createReportingService(deps: Pick<AppDeps, 'repos' | 'clock' | 'evidence'>) {
  const { incidents, forms } = deps.repos;

  /** The fields incidents were answered on (published versions are cached by the repository); none if it is gone. */
  const fieldsOf = (org: string, formId: string, version: number): Promise<FormField[]> =>
    forms.getFieldsOfVersion(org, formId, version).then(
      (v) => v.fields,
      () => [],
    );

  async function* register(org: string, range: ReportRange): AsyncGenerator<RegisterEntry> {
    for await (const summary of incidents.summariesCreatedBetween(org, range)) {
      const aggregate = await incidents.getAggregate(org, summary.id);
      yield registerEntry(aggregate, await fieldsOf(org, summary.formId, summary.formVersion));
    }
  }

  async function responseMetrics(org: string, range: ReportRange) {
    const metrics = createResponseMetrics(deps.clock.now());
    for await (const summary of incidents.summariesCreatedBetween(org, range)) {
      const [aggregate, audit] = await Promise.all([incidents.getAggregate(org, summary.id), incidents.listAudit(org, summary.id)]);
      metrics.add(aggregate, audit);
    }
    return metrics.result();
  }

  /**
   * The regulator pack's files: the audit trail is cut at the head the summary names, so the two always agree. With
   * `includeFiles`, the verified evidence goes in too, each checked against its recorded hash as it is read.
   */
  async function pack(org: string, incidentId: string, options: { includeFiles?: boolean } = {}) {
    const aggregate = await incidents.getAggregate(org, incidentId);
    const audit = (await incidents.listAudit(org, incidentId)).filter((e) => e.seq <= aggregate.incident.audit.seq);
    const fields = await fieldsOf(org, aggregate.incident.formId, aggregate.incident.formVersion);
    const evidence = options.includeFiles ? await evidenceFiles(aggregate.attachments) : undefined;
    return regulatorPackFiles(aggregate, audit, fields, deps.clock.now(), evidence);
  }

  async function evidenceFiles(attachments: Attachment[]) {
    const verified = attachments.filter((a) => a.status === 'available' || a.status === 'withdrawn');
    const total = verified.reduce((sum, a) => sum + a.size, 0);
    if (total > PACK_INLINE_FILES_MAX_BYTES) {
      throw new ConflictError(
        `The evidence files total ${total} bytes, more than a pack can carry (${PACK_INLINE_FILES_MAX_BYTES}); get the pack without files and download each file`,
        {
          evidenceBytes: total,
          limit: PACK_INLINE_FILES_MAX_BYTES,
        },
      );
    }
    const files = new Map<string, Uint8Array>();
    for (const a of verified) {
      const bytes = await deps.evidence.read(a.objectKey, a.stored?.versionId);
      if (createHash('sha256').update(bytes).digest('hex') !== a.sha256)
        throw new ConflictError(`The stored file of attachment ${a.id} no longer matches its recorded SHA-256`, { attachmentId: a.id });
      files.set(a.id, bytes);
    }
    return files;
  }

  return { register, responseMetrics, pack };
}
