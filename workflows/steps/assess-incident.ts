import { NonRetriableError } from 'inngest';
import { assessObligations } from '../../domain/assessment/rules';
import type { IncidentChange } from '../../domain/incidents/changes';
import type { Incident } from '../../domain/incidents/schema';
import type { Notification } from '../../domain/notifications/schema';
import type { ResolvedOrgSettings } from '../../domain/org-settings/schema';
import type { OutgoingEvent } from '../../domain/shared/events';
import type { Task } from '../../domain/tasks/schema';
import { trackObligations } from '../../domain/obligations/rules';
import { defaultCatalog } from '../../domain/regulations/catalog';
import { InvalidError, NotFoundError } from '../../domain/shared/errors';
import { assessmentInputFromIncident } from '../../domain/triage/assessment-input';
import type { WorkflowDeps } from '../workflow-deps';
import { orgSettingsFor } from './org-settings';

/** Runs the assessment engine on an incident as it stands; input that can never be assessed fails without retries. */
export async function assessIncident(deps: WorkflowDeps, orgId: string, incident: Incident, settings?: ResolvedOrgSettings) {
  const version = await deps.repos.forms.getFieldsOfVersion(orgId, incident.formId, incident.formVersion).catch((error) => {
    if (error instanceof NotFoundError) throw new NonRetriableError(`The incident cannot be assessed: ${error.message}`);
    throw error;
  });
  const { role, mainEstablishment, severity } = settings ?? (await orgSettingsFor(deps, orgId));
  const { input, assumptions } = assessmentInputFromIncident(incident, version.fields, { role, mainEstablishment });
  try {
    const result = assessObligations(input, defaultCatalog(), { severityConfig: severity });
    return { result, obligations: trackObligations(result), assumptions };
  } catch (error) {
    if (error instanceof InvalidError)
      throw new NonRetriableError(
        `The incident cannot be assessed: ${error.issues.map((i) => `${i.path}: ${i.message}`).join('; ') || error.message}`,
      );
    throw error;
  }
}

/**
 * Verification warnings (one per unverified regime or rule) grow with the jurisdictions; each obligation already says
 * whether its rule is verified and where its source is, so the record keeps one line about them instead.
 */
function storedWarnings(result: Awaited<ReturnType<typeof assessIncident>>['result']): string[] {
  const verification = new Set(result.verificationWarnings);
  const general = result.warnings.filter((w) => !verification.has(w));
  if (verification.size === 0) return general;
  return [
    ...general,
    `${verification.size} regime or rule fact(s) behind these obligations are not verified against their source: each obligation says so (verified, sourceUrl), and GET /v1/regulations/{id} gives the regime's note.`,
  ];
}

/**
 * What triage puts on the record: a small summary on the incident item (what lists and workflows read) and the
 * reasoning — reasons, assumptions, warnings, which grow with the jurisdictions — as the incident's assessment item.
 */
export function triageRecord(assessment: Awaited<ReturnType<typeof assessIncident>>, at: string) {
  const { result, assumptions } = assessment;
  return {
    set: {
      severity: { level: result.severity.level, score: result.severity.score },
      triage: { triagedAt: at, riskLevel: result.riskLevel.level, priority: result.severity.priority },
    },
    assessment: {
      kind: 'assessment' as const,
      mode: 'replace' as const,
      value: {
        id: 'current' as const,
        assessedAt: at,
        riskReasons: result.riskLevel.reasons,
        assumptions,
        warnings: storedWarnings(result),
        sla: result.severity.sla,
        ...(result.leadAuthority ? { leadAuthority: result.leadAuthority } : {}),
      },
    },
  };
}

/** The one audited change that records a triage: the summary, the assessment, and every obligation, task and briefing. */
export function triagedChange(
  assessment: Pick<Awaited<ReturnType<typeof assessIncident>>, 'result' | 'obligations'>,
  record: ReturnType<typeof triageRecord>,
  tasks: Task[],
  extra: { notifications?: Notification[]; events?: OutgoingEvent[] } = {},
): IncidentChange {
  const { result, obligations } = assessment;
  return {
    action: 'incident.triaged',
    details: {
      severity: result.severity.level,
      score: result.severity.score,
      riskLevel: result.riskLevel.level,
      obligations: obligations.length,
    },
    set: record.set,
    children: [
      record.assessment,
      ...obligations.map((value) => ({ kind: 'obligation' as const, value, mode: 'create' as const })),
      ...tasks.map((value) => ({ kind: 'task' as const, value, mode: 'create' as const })),
      ...(extra.notifications ?? []).map((value) => ({ kind: 'notification' as const, value, mode: 'create' as const })),
    ],
    ...(extra.events?.length ? { events: extra.events } : {}),
  };
}
