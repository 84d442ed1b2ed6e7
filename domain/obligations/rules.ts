import type { AssessmentResult } from '../assessment/schema';
import { ConflictError, InvalidError } from '../shared/errors';
import type { Filing, ObligationSummary, TrackedObligation } from './schema';

/** Reminder points as fractions of the window; a 72-hour clock reminds at 24 h, 48 h, 60 h and 70 h. */
export const DEFAULT_REMINDER_FRACTIONS = [1 / 3, 2 / 3, 5 / 6, 35 / 36];

export function trackObligations(result: AssessmentResult): TrackedObligation[] {
  return result.obligations
    .filter((o) => o.required !== 'no')
    .map((o) => ({
      id: o.id,
      regimeId: o.regimeId,
      regimeName: o.regimeName,
      jurisdiction: o.jurisdiction,
      recipient: o.recipient,
      recipientName: o.recipientName,
      required: o.required,
      condition: o.condition,
      dueAt: o.deadline?.dueAt ?? null,
      recommendedBy: o.deadline?.recommendedBy ?? null,
      deadlineText: o.deadline?.text ?? 'no deadline fixed',
      legalReference: o.legalReference,
      templateId: o.templateId,
      verified: o.verified,
      sourceUrl: o.sourceUrl,
      status: 'open' as const,
      filings: [],
    }));
}

/** When to remind: fractions of the window from awareness to the deadline, only those still ahead. */
export function reminderTimes(awareAt: Date, dueAt: Date, fractions: readonly number[] = DEFAULT_REMINDER_FRACTIONS): Date[] {
  const window = dueAt.getTime() - awareAt.getTime();
  if (window <= 0) return [];
  return fractions.map((f) => new Date(awareAt.getTime() + Math.round(window * f)));
}

function assertOpen(obligation: TrackedObligation) {
  if (obligation.status !== 'open')
    throw new ConflictError(`Obligation ${obligation.id} is already ${obligation.status}`, { status: obligation.status });
}

/** Art. 33(4): an initial report closes the clock; supplementary and final reports follow it. Late filings need reasons. */
export function recordFiling(
  obligation: TrackedObligation,
  input: Omit<Filing, 'late' | 'recordedBy'>,
  recordedBy: string,
  now: Date,
): TrackedObligation {
  const filedAt = new Date(input.filedAt);
  if (filedAt.getTime() > now.getTime() + 5 * 60 * 1000)
    throw new InvalidError('A filing cannot be in the future', [{ path: 'body.filedAt', message: 'cannot be in the future' }]);
  const initial = obligation.filings.find((f) => f.phase === 'initial');
  if (input.phase === 'initial') assertOpen(obligation);
  else if (!initial) throw new ConflictError(`Record the initial filing of obligation ${obligation.id} before a ${input.phase} one`);
  const late = obligation.dueAt !== null && input.phase === 'initial' && filedAt.getTime() > Date.parse(obligation.dueAt);
  if (late && !input.delayReason) {
    throw new InvalidError(`The filing is after the deadline (${obligation.dueAt}); the reasons for the delay must accompany it`, [
      { path: 'body.delayReason', message: 'required for a filing after the deadline' },
    ]);
  }
  const filing: Filing = { ...input, filedAt: filedAt.toISOString(), late, recordedBy };
  return { ...obligation, status: 'filed', filings: [...obligation.filings, filing] };
}

/** Art. 33(5): a decision not to notify is documented with its reasons and approver, and closes the clock. */
export function decideNotToNotify(obligation: TrackedObligation, rationale: string, approvedBy: string, now: Date): TrackedObligation {
  assertOpen(obligation);
  return {
    ...obligation,
    status: 'not-notifying',
    decision: { decision: 'not-notifying', rationale, approvedBy, decidedAt: now.toISOString() },
  };
}

export interface ClockChange {
  obligationId: string;
  generation: number;
  dueAt: string;
}

/**
 * Folds a fresh assessment into the tracked obligations: closed ones stay as they are (filings are history),
 * open ones take the new deadline (a moved deadline starts a new clock generation), new ones are added and
 * open ones the law no longer requires become not-required. Says which clocks to stop and which to start.
 */
export function mergeReassessment(previous: TrackedObligation[], fresh: TrackedObligation[]) {
  const before = new Map(previous.map((o) => [o.id, o]));
  const stop: Omit<ClockChange, 'dueAt'>[] = [];
  const start: ClockChange[] = [];
  const merged = fresh.map((next) => {
    const old = before.get(next.id);
    if (!old) {
      if (next.dueAt) start.push({ obligationId: next.id, generation: 1, dueAt: next.dueAt });
      return next;
    }
    if (old.status !== 'open') return old;
    if (old.dueAt === next.dueAt) return { ...next, filings: old.filings, overdueAt: old.overdueAt, clockGeneration: old.clockGeneration };
    const generation = (old.clockGeneration ?? 1) + 1;
    if (old.dueAt) stop.push({ obligationId: old.id, generation: old.clockGeneration ?? 1 });
    if (next.dueAt) start.push({ obligationId: next.id, generation, dueAt: next.dueAt });
    return { ...next, filings: old.filings, clockGeneration: generation };
  });
  const freshIds = new Set(fresh.map((o) => o.id));
  for (const old of previous.filter((o) => !freshIds.has(o.id))) {
    if (old.status === 'open' && old.dueAt) stop.push({ obligationId: old.id, generation: old.clockGeneration ?? 1 });
    merged.push(old.status === 'open' ? { ...old, status: 'not-required' } : old);
  }
  return { obligations: merged, stop, start, added: fresh.filter((o) => !before.has(o.id)) };
}

/** The summary an incident keeps of its obligations: how many, how many still open or overdue, and the next deadline. */
export function summarizeObligations(obligations: readonly TrackedObligation[]): ObligationSummary {
  const open = obligations.filter((o) => o.status === 'open');
  const next = open.filter((o) => o.dueAt).sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
  return {
    total: obligations.length,
    open: open.length,
    overdue: open.filter((o) => o.overdueAt).length,
    nextDueAt: next?.dueAt ?? null,
    nextObligationId: next?.id ?? null,
  };
}
