import type { IncidentAggregate } from '../../domain/incidents/schema';

function timeLeft(dueAt: string, now: Date): string {
  const ms = Date.parse(dueAt) - now.getTime();
  if (ms <= 0) return 'overdue';
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)} days left` : `${hours} h left`;
}

/** The DPO's alert: what happened, how severe, and every deadline that now runs. */
export function formatTriageEmail({ incident, obligations, assessment }: IncidentAggregate, now: Date): { subject: string; text: string } {
  const level = incident.severity?.level ?? 'unscored';
  const description = typeof incident.responses.description === 'string' ? incident.responses.description : '(no description)';
  const lines = [
    `Incident ${incident.id} was reported at ${incident.reportedAt} and triaged automatically.`,
    `Awareness (the regulatory clocks start here): ${incident.discoveredAt} (${incident.discoveredAtSource}).`,
    `Severity: ${level.toUpperCase()} (score ${incident.severity?.score ?? '–'}, ${incident.triage?.priority ?? ''}); risk to individuals: ${incident.triage?.riskLevel ?? 'unknown'}.`,
    '',
    `What happened: ${description}`,
    '',
    obligations.length ? 'Notification obligations:' : 'No notification obligation was found; document the decision in the register.',
    ...obligations.map(
      (o) =>
        `- ${o.recipientName} (${o.regimeName}, ${o.jurisdiction}): ${o.required === 'yes' ? 'required' : `conditional — ${o.condition ?? ''}`}; ${
          o.dueAt ? `due ${o.dueAt} (${timeLeft(o.dueAt, now)})` : o.deadlineText
        } [${o.legalReference}]`,
    ),
    ...(assessment?.assumptions.length ? ['', 'Assumptions to check:', ...assessment.assumptions.map((a) => `- ${a}`)] : []),
  ];
  const first = obligations.filter((o) => o.dueAt).sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
  return {
    subject: `[${level.toUpperCase()}] Breach ${incident.id} triaged${first ? ` — first deadline ${first.dueAt}` : ''}`,
    text: lines.join('\n'),
  };
}
