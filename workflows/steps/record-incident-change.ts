import { appendAuditEntry } from '../../domain/audit/chain';
import type { Incident } from '../../domain/incidents/schema';
import { ConflictError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { keys } from '../../infra/dynamo/keys';
import type { TransactItem } from '../../infra/dynamo/transactions';
import type { WorkflowDeps } from '../workflow-deps';

const SYSTEM = { type: 'system' as const, id: 'workflow' };
const ATTEMPTS = 5;

/**
 * Applies one audited change to an incident exactly once: `decide` sees the latest record and returns the
 * change (or nothing to do); a lost version race re-reads and decides again; `onceKey` makes a retried
 * step a no-op. Returns the incident as it stands afterwards.
 */
export async function recordIncidentChange(
  deps: WorkflowDeps,
  orgId: string,
  incidentId: string,
  onceKey: string,
  decide: (incident: Incident) => { set: Record<string, unknown>; action: string; details: Record<string, unknown>; event?: OutgoingEvent; extra?: TransactItem[] } | undefined,
): Promise<{ applied: boolean; incident: Incident }> {
  for (let attempt = 1; ; attempt++) {
    const incident = await deps.repos.incidents.get(orgId, incidentId);
    const change = decide(incident);
    if (!change) return { applied: false, incident };
    const now = deps.clock.now();
    const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor: SYSTEM, action: change.action, details: change.details });
    try {
      const applied = await deps.repos.incidents.applyChange(orgId, incident, { set: change.set, entry, audit: chain, now, event: change.event, extra: change.extra, onceKey });
      if (applied && change.event) await deps.outbox.deliver(keys.incidentPartition(orgId, incidentId), [change.event]).catch(() => false);
      // Applied: the record is exactly what was written. A repeat (the change was made before): read what is stored.
      if (!applied) return { applied, incident: await deps.repos.incidents.get(orgId, incidentId) };
      return { applied, incident: { ...incident, ...change.set, version: incident.version + 1, updatedAt: now.toISOString(), audit: chain } as Incident };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
