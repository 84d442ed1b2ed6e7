import type { AuditEntry } from '../audit/chain';
import type { IncidentAggregate } from '../incidents/schema';

/** Nearest-rank percentile of durations in milliseconds (null when there are none). */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const summary = (durations: number[]) => {
  const sorted = [...durations].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: percentile(sorted, 50), p90Ms: percentile(sorted, 90) };
};

interface DutyTally {
  regimeId: string;
  regimeName: string;
  recipient: string;
  metOnTime: number;
  late: number;
  open: number;
  openOverdue: number;
  decidedNotToNotify: number;
  awarenessToFiling: number[];
}

/**
 * How fast the team responds, computed from the records of the incidents in a range (never estimated): for each
 * regime and recipient, duties met on time, late and still open, and the time from awareness to the initial filing;
 * the time from report to triage; and stage SLA breaches as the audit trail recorded them.
 */
export function createResponseMetrics(now: Date) {
  const duties = new Map<string, DutyTally>();
  const reportToTriage: number[] = [];
  const slaBreaches = new Map<string, number>();
  let incidents = 0;

  function add({ incident, obligations }: IncidentAggregate, audit: readonly AuditEntry[]) {
    incidents++;
    if (incident.triage) reportToTriage.push(Date.parse(incident.triage.triagedAt) - Date.parse(incident.reportedAt));
    for (const o of obligations) {
      if (o.status === 'not-required') continue;
      const key = `${o.regimeId}|${o.recipient}`;
      const tally = duties.get(key) ?? {
        regimeId: o.regimeId,
        regimeName: o.regimeName,
        recipient: o.recipient,
        metOnTime: 0,
        late: 0,
        open: 0,
        openOverdue: 0,
        decidedNotToNotify: 0,
        awarenessToFiling: [],
      };
      duties.set(key, tally);
      const initial = o.filings.find((f) => f.phase === 'initial');
      if (initial) {
        tally[initial.late ? 'late' : 'metOnTime']++;
        tally.awarenessToFiling.push(Date.parse(initial.filedAt) - Date.parse(incident.discoveredAt));
      } else if (o.status === 'not-notifying') tally.decidedNotToNotify++;
      else if (o.status === 'open') {
        tally.open++;
        if (o.dueAt && Date.parse(o.dueAt) < now.getTime()) tally.openOverdue++;
      }
    }
    for (const entry of audit) {
      if (entry.action !== 'incident.sla.breached') continue;
      const stage = String(entry.details.stage ?? 'unknown');
      slaBreaches.set(stage, (slaBreaches.get(stage) ?? 0) + 1);
    }
  }

  function result() {
    return {
      incidents,
      reportToTriage: summary(reportToTriage),
      duties: [...duties.values()]
        .sort((a, b) => a.regimeId.localeCompare(b.regimeId) || a.recipient.localeCompare(b.recipient))
        .map(({ awarenessToFiling, ...tally }) => ({ ...tally, awarenessToFiling: summary(awarenessToFiling) })),
      stageSlaBreaches: [...slaBreaches.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([stage, count]) => ({ stage, count })),
    };
  }

  return { add, result };
}

export type ResponseMetrics = ReturnType<ReturnType<typeof createResponseMetrics>['result']>;
