import type { IncidentAggregate } from '../incidents/schema';
import type { FieldMeaning, FormField } from '../intake-forms/schema';

/**
 * One incident as the breach register documents it (GDPR Art. 33(5)): the facts of the breach, its effects and the
 * remedial action taken, and for every notification duty what was decided and done — filings with their timestamps
 * and late reasons, decisions not to notify with their rationale and approver.
 */
export interface RegisterEntry {
  incidentId: string;
  reportedAt: string;
  discoveredAt: string;
  discoveredAtSource: string;
  occurredAt: string | null;
  stage: string;
  status: string;
  breachTypeId: string | null;
  facts: { description: string | null; dataCategories: string[]; affectedCount: number | null; jurisdictions: string[] };
  effects: { severity: string | null; score: number | null; riskLevel: string | null; riskReasons: string[] };
  remedialActions: {
    taskId: string;
    title: string;
    stage: string | null;
    status: string;
    completedAt: string | null;
    completedBy: string | null;
    note: string | null;
  }[];
  obligations: {
    id: string;
    regime: string;
    jurisdiction: string;
    recipient: string;
    dueAt: string | null;
    status: string;
    filings: { phase: string; filedAt: string; late: boolean; delayReason: string | null; reference: string | null }[];
    decisionNotToNotify: { rationale: string; approvedBy: string; decidedAt: string } | null;
  }[];
}

const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

export function registerEntry({ incident, assessment, obligations, tasks }: IncidentAggregate, fields: FormField[]): RegisterEntry {
  const answer = (meaning: FieldMeaning) => {
    const field = fields.find((f) => f.mapsTo === meaning);
    return field ? incident.responses[field.key] : undefined;
  };
  const description = answer('description');
  const affected = answer('affectedCount');
  return {
    incidentId: incident.id,
    reportedAt: incident.reportedAt,
    discoveredAt: incident.discoveredAt,
    discoveredAtSource: incident.discoveredAtSource,
    occurredAt: incident.occurredAt,
    stage: incident.stage,
    status: incident.status,
    breachTypeId: incident.breachTypeId,
    facts: {
      description: typeof description === 'string' ? description : null,
      dataCategories: list(answer('dataCategories')),
      affectedCount: typeof affected === 'number' ? affected : null,
      jurisdictions: list(answer('jurisdictions')),
    },
    effects: {
      severity: incident.severity?.level ?? null,
      score: incident.severity?.score ?? null,
      riskLevel: incident.triage?.riskLevel ?? null,
      riskReasons: assessment?.riskReasons ?? [],
    },
    remedialActions: tasks
      .filter((t) => t.purpose !== 'notification' && t.status !== 'open')
      .map((t) => ({
        taskId: t.id,
        title: t.title,
        stage: t.stage ?? null,
        status: t.status,
        completedAt: t.completedAt ?? null,
        completedBy: t.completedBy ?? null,
        note: t.note ?? null,
      })),
    obligations: obligations.map((o) => ({
      id: o.id,
      regime: o.regimeName,
      jurisdiction: o.jurisdiction,
      recipient: o.recipientName,
      dueAt: o.dueAt,
      status: o.status,
      filings: o.filings.map((f) => ({
        phase: f.phase,
        filedAt: f.filedAt,
        late: f.late,
        delayReason: f.delayReason ?? null,
        reference: f.reference ?? null,
      })),
      decisionNotToNotify: o.decision
        ? { rationale: o.decision.rationale, approvedBy: o.decision.approvedBy, decidedAt: o.decision.decidedAt }
        : null,
    })),
  };
}

/** The CSV register: one row per obligation (one row for an incident without any), the incident's columns repeated. */
export const REGISTER_CSV_HEADER = [
  'incident_id',
  'reported_at',
  'discovered_at',
  'occurred_at',
  'stage',
  'status',
  'breach_type',
  'description',
  'data_categories',
  'affected_count',
  'jurisdictions',
  'severity',
  'risk_level',
  'risk_reasons',
  'remedial_actions',
  'obligation_id',
  'regime',
  'obligation_jurisdiction',
  'recipient',
  'due_at',
  'obligation_status',
  'initial_filed_at',
  'filed_late',
  'delay_reason',
  'filings',
  'not_notifying_rationale',
  'not_notifying_approved_by',
];

export function registerCsvRows(entry: RegisterEntry): (string | number | boolean | null)[][] {
  const incident = [
    entry.incidentId,
    entry.reportedAt,
    entry.discoveredAt,
    entry.occurredAt,
    entry.stage,
    entry.status,
    entry.breachTypeId,
    entry.facts.description,
    entry.facts.dataCategories.join('; '),
    entry.facts.affectedCount,
    entry.facts.jurisdictions.join('; '),
    entry.effects.severity,
    entry.effects.riskLevel,
    entry.effects.riskReasons.join('; '),
    entry.remedialActions
      .map((a) => `${a.title} (${a.status}${a.completedAt ? ` ${a.completedAt}` : ''}${a.note ? `: ${a.note}` : ''})`)
      .join('; '),
  ];
  if (entry.obligations.length === 0) return [[...incident, ...Array<null>(REGISTER_CSV_HEADER.length - incident.length).fill(null)]];
  return entry.obligations.map((o) => {
    const initial = o.filings.find((f) => f.phase === 'initial');
    return [
      ...incident,
      o.id,
      o.regime,
      o.jurisdiction,
      o.recipient,
      o.dueAt,
      o.status,
      initial?.filedAt ?? null,
      initial ? initial.late : null,
      initial?.delayReason ?? null,
      o.filings.map((f) => `${f.phase} ${f.filedAt}${f.reference ? ` ref ${f.reference}` : ''}`).join('; '),
      o.decisionNotToNotify?.rationale ?? null,
      o.decisionNotToNotify?.approvedBy ?? null,
    ];
  });
}

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs a cell as a formula. */
export function csvLine(values: readonly (string | number | boolean | null)[]): string {
  return `${values
    .map((value) => {
      if (value === null) return '';
      let text = String(value);
      if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}
