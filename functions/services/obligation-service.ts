import type { Actor } from '../../domain/audit/chain';
import type { IncidentAggregate } from '../../domain/incidents/schema';
import { decideNotToNotify, recordFiling } from '../../domain/obligations/rules';
import type { TrackedObligation } from '../../domain/obligations/schema';
import { NotFoundError } from '../../domain/shared/errors';
import { clockKeyOf, obligationClosed, outgoing } from '../../workflows/events';
import type { AppDeps } from '../api/app-deps';

/** Filings and decisions close an obligation's clock: the obligation, its audit entry and the event commit together. */
export function createObligationService(deps: Pick<AppDeps, 'repos' | 'clock'>) {
  const { incidents } = deps.repos;

  function find(current: IncidentAggregate, obligationId: string): TrackedObligation {
    const obligation = current.obligations.find((o) => o.id === obligationId);
    if (!obligation) throw new NotFoundError(`Incident ${current.incident.id} has no obligation ${obligationId}`);
    return obligation;
  }

  /** Decides the obligation's next state on the latest record and writes it; a closing change stops its clock. */
  async function change(
    org: string,
    incidentId: string,
    obligationId: string,
    actor: Actor,
    expectedVersion: number | undefined,
    decide: (obligation: TrackedObligation, now: Date) => { next: TrackedObligation; action: string; details: Record<string, unknown> },
  ) {
    let updated: TrackedObligation | undefined;
    const { aggregate } = await incidents.recordChange(
      org,
      incidentId,
      (current) => {
        const now = deps.clock.now();
        const obligation = find(current, obligationId);
        const { next, action, details } = decide(obligation, now);
        updated = next;
        const closes = obligation.status === 'open' && next.status !== 'open';
        return {
          action,
          details: { obligationId, ...details },
          children: [{ kind: 'obligation', mode: 'replace', value: next }],
          events: closes
            ? [
                outgoing(
                  obligationClosed,
                  {
                    orgId: org,
                    incidentId,
                    obligationId,
                    clockKey: clockKeyOf(incidentId, obligationId, next.clockGeneration),
                    status: next.status,
                  },
                  { id: `${incidentId}-${obligationId}-closed`, ts: now.getTime() },
                ),
              ]
            : [],
        };
      },
      { actor, expectedVersion },
    );
    return { obligation: updated!, version: aggregate.incident.version };
  }

  return {
    file(
      org: string,
      incidentId: string,
      obligationId: string,
      input: { phase: 'initial' | 'supplementary' | 'final'; filedAt?: string; reference?: string; summary?: string; delayReason?: string },
      actor: Actor,
      expectedVersion?: number,
    ) {
      return change(org, incidentId, obligationId, actor, expectedVersion, (current, now) => {
        const next = recordFiling(current, { ...input, filedAt: input.filedAt ?? now.toISOString() }, actor.id, now);
        const filing = next.filings.at(-1)!;
        return {
          next,
          action: 'obligation.filed',
          details: {
            phase: filing.phase,
            filedAt: filing.filedAt,
            reference: filing.reference,
            late: filing.late,
            delayReason: filing.delayReason,
          },
        };
      });
    },
    decideNotToNotify(
      org: string,
      incidentId: string,
      obligationId: string,
      input: { rationale: string; approvedBy: string },
      actor: Actor,
      expectedVersion?: number,
    ) {
      return change(org, incidentId, obligationId, actor, expectedVersion, (current, now) => ({
        next: decideNotToNotify(current, input.rationale, input.approvedBy, now),
        action: 'obligation.decided-not-to-notify',
        details: { rationale: input.rationale, approvedBy: input.approvedBy },
      }));
    },
  };
}
