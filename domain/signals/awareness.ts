import type { Incident } from '../incidents/schema';
import { ConflictError, InvalidError } from '../shared/errors';
import { awarenessSlaHours } from './rules';
import type { AwarenessDecisionInput, Signal } from './schema';

const FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Detection is not awareness: a signal-opened incident records when the signal was detected and asks
 * for an awareness decision within an SLA set by how severe the signal looks.
 */
export function planAwarenessRequest(signal: Pick<Signal, 'id' | 'level' | 'detectedAt'>, now: Date) {
  const slaHours = awarenessSlaHours(signal.level);
  return {
    detectedAt: signal.detectedAt,
    awareness: {
      status: 'pending' as const,
      signalId: signal.id,
      slaHours,
      requestedAt: now.toISOString(),
      dueAt: new Date(now.getTime() + slaHours * 3600_000).toISOString(),
    },
  };
}

/** Recording "aware" sets discoveredAt, the instant the regulatory clocks count from; detectedAt stays. */
export function planAwarenessDecision(incident: Incident, input: AwarenessDecisionInput, decidedBy: string, now: Date) {
  if (incident.awareness?.status !== 'pending') {
    throw new ConflictError(
      incident.awareness
        ? `The awareness decision for ${incident.id} was already recorded (${incident.awareness.status})`
        : `Incident ${incident.id} has no pending awareness decision`,
      { awareness: incident.awareness ?? null },
    );
  }
  const decidedAt = input.decidedAt ? new Date(input.decidedAt) : now;
  if (decidedAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
    throw new InvalidError('The decision cannot be in the future', [{ path: 'body.decidedAt', message: 'cannot be in the future' }]);
  if (incident.occurredAt && decidedAt.getTime() < Date.parse(incident.occurredAt)) {
    throw new InvalidError('Awareness cannot precede the occurrence', [
      { path: 'body.decidedAt', message: `cannot be before occurredAt (${incident.occurredAt})` },
    ]);
  }
  const at = decidedAt.toISOString();
  const awareness = {
    ...incident.awareness,
    status: input.aware ? ('aware' as const) : ('not-a-breach' as const),
    decidedAt: at,
    decidedBy,
    rationale: input.rationale,
    recordedAt: now.toISOString(),
  };
  const set: Record<string, unknown> = input.aware
    ? { awareness, discoveredAt: at, discoveredAtSource: 'awareness-decision' }
    : { awareness };
  return { set, awareness, discoveredAt: input.aware ? at : incident.discoveredAt };
}
