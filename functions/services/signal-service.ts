import { appendAuditEntry, emptyChain, type Actor } from '../../domain/audit/chain';
import type { Incident } from '../../domain/incidents/schema';
import { normaliseFields } from '../../domain/intake-forms/field-rules';
import { ConflictError, NotFoundError } from '../../domain/shared/errors';
import { newId } from '../../domain/shared/ids';
import { planAwarenessDecision, planAwarenessRequest } from '../../domain/signals/awareness';
import { decideSignalAction } from '../../domain/signals/rules';
import type { AwarenessDecisionInput, Signal, SignalDraft } from '../../domain/signals/schema';
import { SIGNAL_FORM_ID, signalForm, signalFormResponses } from '../../domain/signals/signal-form';
import { awarenessDecided, awarenessRequested, outgoing, signalReceived } from '../../workflows/events';
import type { AppDeps } from '../api/app-deps';
import { createIncidentService } from './incident-service';

const GUARD_WAIT_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signals from webhooks: record each delivery once, let the org's rules decide, and open or attach to
 * an incident through the register's own write path. One fingerprint guard per org keeps repeated
 * deliveries of one alert on one incident.
 */
export function createSignalService(deps: Pick<AppDeps, 'repos' | 'clock' | 'ensureOrgProvisioned'>) {
  const { signals, incidents, forms } = deps.repos;
  const incidentService = createIncidentService(deps);

  /** Stores a verified delivery as a signal (or reports the signal an earlier identical delivery made). */
  async function receive(
    org: string,
    draft: SignalDraft,
    deliveryId: string,
    actor: Actor,
  ): Promise<{ signal: Signal; duplicate: boolean }> {
    const earlier = await signals.findDelivery(org, draft.source, deliveryId);
    if (earlier) return { signal: await signals.get(org, earlier), duplicate: true };
    const now = deps.clock.now();
    const rules = await signals.getRules(org);
    const decision = decideSignalAction(draft, rules);
    const id = newId('sig', now);
    const at = now.toISOString();
    const { entry, chain } = appendAuditEntry(emptyChain, {
      at: now,
      actor,
      action: 'signal.received',
      details: {
        source: draft.source,
        resource: draft.resource,
        externalId: draft.externalId,
        fingerprint: draft.fingerprint,
        level: draft.level,
        deliveryId,
        plannedAction: decision.action,
        rule: decision.rule,
      },
    });
    const signal: Signal = {
      ...draft,
      id,
      deliveryId,
      receivedAt: at,
      status: 'recorded',
      plannedAction: decision.action,
      incidentId: null,
      relatedSignalId: null,
      dismissal: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
      audit: chain,
    };
    const event = outgoing(
      signalReceived,
      {
        orgId: org,
        signalId: id,
        source: draft.source,
        level: draft.level,
        fingerprint: draft.fingerprint,
        plannedAction: decision.action,
      },
      { id, ts: now.getTime() },
    );
    await signals.record(org, signal, entry, event);
    if (decision.action === 'record') return { signal, duplicate: false };
    return { signal: await act(org, signal, decision.action, actor, rules.attachWindowHours), duplicate: false };
  }

  /** Attach to the open incident holding this fingerprint; otherwise open one (only if `mode` allows). */
  async function act(
    org: string,
    signal: Signal,
    mode: 'open-incident' | 'attach',
    actor: Actor,
    windowHours: number,
    note?: string,
  ): Promise<Signal> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = deps.clock.now();
      const guard = await signals.getGuard(org, signal.fingerprint);
      if (guard && Date.parse(guard.windowEndsAt) > now.getTime()) {
        const incidentId =
          guard.incidentId ?? (guard.signalId === signal.id ? null : await waitForIncident(org, signal.fingerprint, guard.signalId));
        if (incidentId) {
          const incident = await incidents
            .get(org, incidentId)
            .catch((error) => (error instanceof NotFoundError ? undefined : Promise.reject(error)));
          if (incident?.status === 'open') return attach(org, signal, incident, actor, note);
        } else if (guard.signalId !== signal.id) {
          // The opener has not finished (or died): point at its signal rather than open a second incident.
          return link(
            org,
            signal,
            { status: 'attached', incidentId: null, relatedSignalId: guard.signalId },
            'signal.attached',
            actor,
            note,
          );
        }
      }
      if (mode === 'attach') return signal;
      const claimed = await signals.claimGuard(
        org,
        {
          fingerprint: signal.fingerprint,
          signalId: signal.id,
          incidentId: null,
          claimedAt: now.toISOString(),
          windowEndsAt: new Date(now.getTime() + windowHours * 3600_000).toISOString(),
        },
        guard,
      );
      if (claimed) return open(org, signal, actor, note);
    }
    throw new ConflictError(`Signal ${signal.id} raced other deliveries of the same fingerprint; retry`);
  }

  async function waitForIncident(org: string, fingerprint: string, signalId: string): Promise<string | null> {
    const deadline = Date.now() + GUARD_WAIT_MS;
    while (Date.now() < deadline) {
      await sleep(100);
      const guard = await signals.getGuard(org, fingerprint);
      if (!guard || guard.signalId !== signalId) return null;
      if (guard.incidentId) return guard.incidentId;
    }
    return null;
  }

  /** Signal-opened incidents are filed against a form that asks only what a signal can know. */
  async function ensureSignalForm(org: string, now: Date) {
    await deps.ensureOrgProvisioned(org, now);
    const existing = await forms
      .get(org, SIGNAL_FORM_ID)
      .catch((error) => (error instanceof NotFoundError ? undefined : Promise.reject(error)));
    if (existing) return;
    const at = now.toISOString();
    const { fields } = normaliseFields(signalForm.fields);
    const { entry, chain } = appendAuditEntry(emptyChain, {
      at: now,
      actor: { type: 'system', id: 'signal-intake' },
      action: 'form.provisioned',
      details: { name: signalForm.name, publishedVersion: 1 },
    });
    await forms
      .create(
        org,
        {
          id: signalForm.id,
          name: signalForm.name,
          description: signalForm.description,
          latestVersion: 1,
          publishedVersion: 1,
          draftVersion: null,
          version: 1,
          createdAt: at,
          updatedAt: at,
          audit: chain,
        },
        { formId: signalForm.id, number: 1, status: 'PUBLISHED', fields, createdAt: at, publishedAt: at },
        entry,
      )
      .catch((error) => {
        if (!(error instanceof ConflictError)) throw error;
      });
  }

  async function open(org: string, signal: Signal, actor: Actor, note?: string): Promise<Signal> {
    await ensureSignalForm(org, deps.clock.now());
    const created = await incidentService.submit(
      org,
      { formId: SIGNAL_FORM_ID, responses: signalFormResponses(signal) },
      actor,
      signal.source,
    );
    await signals.setGuardIncident(org, signal.fingerprint, signal.id, created.id);
    const now = deps.clock.now();
    const plan = planAwarenessRequest(signal, now);
    await incidents.recordChange(
      org,
      created.id,
      () => ({
        action: 'incident.awareness.requested',
        details: { signalId: signal.id, detectedAt: plan.detectedAt, dueAt: plan.awareness.dueAt, slaHours: plan.awareness.slaHours },
        set: plan,
        events: [
          outgoing(
            awarenessRequested,
            {
              orgId: org,
              incidentId: created.id,
              signalId: signal.id,
              level: signal.level,
              detectedAt: plan.detectedAt,
              dueAt: plan.awareness.dueAt,
              slaHours: plan.awareness.slaHours,
            },
            { id: `${created.id}-awareness-requested`, ts: now.getTime() },
          ),
        ],
      }),
      { actor, read: 'summary' },
    );
    return link(
      org,
      signal,
      { status: 'incident-opened', incidentId: created.id, relatedSignalId: null },
      'signal.incident-opened',
      actor,
      note,
    );
  }

  async function attach(org: string, signal: Signal, incident: Incident, actor: Actor, note?: string): Promise<Signal> {
    await incidents.recordChange(
      org,
      incident.id,
      () => ({
        action: 'incident.signal.attached',
        details: { signalId: signal.id, source: signal.source, fingerprint: signal.fingerprint, title: signal.title, level: signal.level },
      }),
      { actor, read: 'summary' },
    );
    return link(org, signal, { status: 'attached', incidentId: incident.id, relatedSignalId: null }, 'signal.attached', actor, note);
  }

  function link(
    org: string,
    signal: Signal,
    set: Pick<Signal, 'status' | 'incidentId' | 'relatedSignalId'>,
    action: string,
    actor: Actor,
    note?: string,
  ) {
    return signals.recordChange(org, signal.id, () => ({ action, details: { ...set, ...(note !== undefined ? { note } : {}) }, set }), {
      actor,
    });
  }

  /** A person decides a recorded signal is an incident; it still joins an open incident with its fingerprint. */
  async function promote(org: string, signal: Signal, actor: Actor, notes?: string): Promise<Signal> {
    if (signal.status !== 'recorded')
      throw new ConflictError(`Signal ${signal.id} is ${signal.status}; only a recorded signal can be promoted`, {
        currentStatus: signal.status,
      });
    const rules = await signals.getRules(org);
    return act(org, signal, 'open-incident', actor, rules.attachWindowHours, notes ?? 'promoted');
  }

  async function dismiss(org: string, signal: Signal, actor: Actor, reason: string): Promise<Signal> {
    if (signal.status !== 'recorded')
      throw new ConflictError(`Signal ${signal.id} is ${signal.status}; only a recorded signal can be dismissed`, {
        currentStatus: signal.status,
      });
    const dismissal = { by: actor.id, at: deps.clock.now().toISOString(), reason };
    return signals.recordChange(
      org,
      signal.id,
      (current) => {
        if (current.status !== 'recorded')
          throw new ConflictError(`Signal ${signal.id} is ${current.status}; only a recorded signal can be dismissed`, {
            currentStatus: current.status,
          });
        return { action: 'signal.dismissed', details: { reason }, set: { status: 'dismissed', dismissal } };
      },
      { actor },
    );
  }

  /** Recording awareness starts the regulatory clocks: discoveredAt is set and an event tells the workflows. */
  async function decideAwareness(
    org: string,
    incidentId: string,
    input: AwarenessDecisionInput,
    actor: Actor,
    expectedVersion?: number,
  ): Promise<Incident> {
    const { aggregate } = await incidents.recordChange(
      org,
      incidentId,
      ({ incident }) => {
        const now = deps.clock.now();
        const plan = planAwarenessDecision(incident, input, actor.id, now);
        return {
          action: 'incident.awareness.decided',
          details: {
            aware: input.aware,
            decidedAt: plan.awareness.decidedAt,
            rationale: input.rationale,
            detectedAt: incident.detectedAt ?? null,
            discoveredAt: plan.discoveredAt,
          },
          set: plan.set,
          events: [
            outgoing(
              awarenessDecided,
              {
                orgId: org,
                incidentId,
                aware: input.aware,
                decidedAt: plan.awareness.decidedAt,
                discoveredAt: plan.discoveredAt,
                detectedAt: incident.detectedAt ?? null,
              },
              { id: `${incidentId}-awareness-decided`, ts: now.getTime() },
            ),
          ],
        };
      },
      { actor, read: 'summary', expectedVersion },
    );
    return aggregate.incident;
  }

  return { receive, promote, dismiss, decideAwareness };
}

export type SignalService = ReturnType<typeof createSignalService>;
