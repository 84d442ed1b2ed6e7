import { appendAuditEntry, type Actor } from '../../domain/audit/chain';
import type { Incident } from '../../domain/incidents/schema';
import { decideNotToNotify, recordFiling } from '../../domain/obligations/rules';
import type { TrackedObligation } from '../../domain/obligations/schema';
import { NotFoundError } from '../../domain/shared/errors';
import type { OutgoingEvent } from '../../domain/shared/events';
import { keys } from '../../infra/dynamo/keys';
import { clockKeyOf } from '../../workflows/events';
import type { AppDeps } from '../api/app-deps';

/** Filings and decisions close an obligation's clock: the record, its audit entry and the event commit together. */
export function createObligationService(deps: Pick<AppDeps, 'repos' | 'clock' | 'outbox'>) {
  const { incidents } = deps.repos;

  function find(incident: Incident, obligationId: string): TrackedObligation {
    const obligation = incident.obligations?.find((o) => o.id === obligationId);
    if (!obligation) throw new NotFoundError(`Incident ${incident.id} has no obligation ${obligationId}`);
    return obligation;
  }

  async function save(org: string, incident: Incident, updated: TrackedObligation, action: string, details: Record<string, unknown>, actor: Actor, closes: boolean) {
    const now = deps.clock.now();
    const { entry, chain } = appendAuditEntry(incident.audit, { at: now, actor, action, details: { obligationId: updated.id, ...details } });
    const event: OutgoingEvent | undefined = closes
      ? {
          id: `${incident.id}-${updated.id}-closed`,
          name: 'breach/obligation.closed',
          data: { orgId: org, incidentId: incident.id, obligationId: updated.id, clockKey: clockKeyOf(incident.id, updated.id, updated.clockGeneration), status: updated.status },
          ts: now.getTime(),
        }
      : undefined;
    const obligations = incident.obligations!.map((o) => (o.id === updated.id ? updated : o));
    await incidents.applyChange(org, incident, { set: { obligations }, entry, audit: chain, now, event });
    if (event) await deps.outbox.deliver(keys.incidentPartition(org, incident.id), [event]).catch(() => false);
    return updated;
  }

  return {
    async file(org: string, incident: Incident, obligationId: string, input: { phase: 'initial' | 'supplementary' | 'final'; filedAt?: string; reference?: string; summary?: string; delayReason?: string }, actor: Actor) {
      const current = find(incident, obligationId);
      const filedAt = input.filedAt ?? deps.clock.now().toISOString();
      const updated = recordFiling(current, { ...input, filedAt }, actor.id, deps.clock.now());
      const filing = updated.filings.at(-1)!;
      return save(org, incident, updated, 'obligation.filed', { phase: filing.phase, filedAt: filing.filedAt, reference: filing.reference, late: filing.late, delayReason: filing.delayReason }, actor, current.status === 'open');
    },
    async decideNotToNotify(org: string, incident: Incident, obligationId: string, input: { rationale: string; approvedBy: string }, actor: Actor) {
      const updated = decideNotToNotify(find(incident, obligationId), input.rationale, input.approvedBy, deps.clock.now());
      return save(org, incident, updated, 'obligation.decided-not-to-notify', { rationale: input.rationale, approvedBy: input.approvedBy }, actor, true);
    },
  };
}
