import { createHash } from 'node:crypto';
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

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * What a supervisory authority (or an auditor) gets for one incident: the register entry (facts, effects, remedial
 * action), the obligations with their filings and decisions, every notice as it was sent, the whole audit trail, and
 * a manifest with the SHA-256 of each file and the audit chain's head, so a third party can verify it offline.
 */
export function regulatorPackFiles(aggregate: IncidentAggregate, audit: AuditEntry[], fields: FormField[], generatedAt: Date): Record<string, Uint8Array> {
  const { incident, obligations, notifications } = aggregate;
  const files: Record<string, Uint8Array> = {
    'incident.json': json({ ...registerEntry(aggregate, fields), severity: incident.severity, triage: incident.triage ? { ...incident.triage, ...aggregate.assessment } : null, automation: incident.automation ?? null }),
    'obligations.json': json(obligations),
    'timeline.json': json(audit),
  };
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
