import { createHash } from 'node:crypto';
import type { Attachment } from '../attachments/schema';
import type { AuditEntry, ChainHead } from '../audit/chain';
import type { IncidentAggregate } from '../incidents/schema';
import type { FormField } from '../intake-forms/schema';
import { registerEntry } from './rules';

export const PACK_FORMAT = 'breach-response-pack/1';

export interface PackManifest {
  format: typeof PACK_FORMAT;
  incidentId: string;
  generatedAt: string;
  auditChain: ChainHead & { entries: number };
  files: { path: string; sha256: string; bytes: number }[];
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * What a supervisory authority (or an auditor) gets for one incident: the register entry (facts, effects, remedial
 * action), the obligations with their filings and decisions, every notice as it was sent, the whole audit trail, the
 * attachments with their hashes (and, when asked for, the verified files themselves), and a manifest with the SHA-256 of each file and the audit chain's head, so a third party can verify it offline.
 */
export function regulatorPackFiles(
  aggregate: IncidentAggregate,
  audit: AuditEntry[],
  fields: FormField[],
  generatedAt: Date,
  evidence: ReadonlyMap<string, Uint8Array> = new Map(),
): Record<string, Uint8Array> {
  const { incident, obligations, notifications } = aggregate;
  const evidencePath = (a: Attachment) => `attachments/${a.id}/${a.name}`;
  const files: Record<string, Uint8Array> = {
    'incident.json': json({
      ...registerEntry(aggregate, fields),
      severity: incident.severity,
      triage: incident.triage ? { ...incident.triage, ...aggregate.assessment } : null,
      automation: incident.automation ?? null,
    }),
    'obligations.json': json(obligations),
    'timeline.json': json(audit),
    'attachments.json': json(
      aggregate.attachments.map((a) => ({
        id: a.id,
        name: a.name,
        contentType: a.contentType,
        size: a.size,
        sha256: a.sha256,
        status: a.status,
        uploadedBy: a.uploadedBy,
        completedAt: a.completedAt ?? null,
        withdrawal: a.withdrawal ?? null,
        file: evidence.has(a.id) ? evidencePath(a) : null,
      })),
    ),
  };
  for (const a of aggregate.attachments) {
    const bytes = evidence.get(a.id);
    if (bytes) files[evidencePath(a)] = bytes;
  }
  for (const n of notifications) {
    files[`notices/${n.id}.json`] = json({
      id: n.id,
      obligationId: n.obligationId,
      status: n.status,
      recipients: n.recipients,
      subject: n.subject,
      body: n.body,
      approvedAt: n.approvedAt,
      approvedBy: n.approvedBy,
      sentAt: n.sentAt,
      deliveries: n.deliveries,
      acknowledgement: n.acknowledgement,
    });
  }
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    incidentId: incident.id,
    generatedAt: generatedAt.toISOString(),
    auditChain: { ...incident.audit, entries: audit.length },
    files: Object.entries(files).map(([path, bytes]) => ({ path, sha256: sha256(bytes), bytes: bytes.length })),
  };
  return { 'manifest.json': json(manifest), ...files };
}
