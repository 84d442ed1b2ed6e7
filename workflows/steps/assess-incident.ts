import { NonRetriableError } from 'inngest';
import { assessObligations } from '../../domain/assessment/rules';
import type { Incident } from '../../domain/incidents/schema';
import { trackObligations } from '../../domain/obligations/rules';
import { defaultCatalog } from '../../domain/regulations/catalog';
import { InvalidError, NotFoundError } from '../../domain/shared/errors';
import { assessmentInputFromIncident } from '../../domain/triage/assessment-input';
import type { WorkflowDeps } from '../workflow-deps';
import { orgSettingsFor } from './org-settings';

/** Runs the assessment engine on an incident as it stands; input that can never be assessed fails without retries. */
export async function assessIncident(deps: WorkflowDeps, orgId: string, incident: Incident) {
  const version = await deps.repos.forms.getVersion(orgId, incident.formId, incident.formVersion).catch((error) => {
    if (error instanceof NotFoundError) throw new NonRetriableError(`The incident cannot be assessed: ${error.message}`);
    throw error;
  });
  const settings = await orgSettingsFor(deps, orgId);
  const { input, assumptions } = assessmentInputFromIncident(incident, version.fields, { role: settings.role, mainEstablishment: settings.mainEstablishment });
  try {
    const result = assessObligations(input, defaultCatalog(), { severityConfig: settings.severity });
    return { result, obligations: trackObligations(result), assumptions };
  } catch (error) {
    if (error instanceof InvalidError) throw new NonRetriableError(`The incident cannot be assessed: ${error.issues.map((i) => `${i.path}: ${i.message}`).join('; ') || error.message}`);
    throw error;
  }
}

/** The triage summary stored on the incident. */
export function triageRecord(assessment: Awaited<ReturnType<typeof assessIncident>>, at: string) {
  const { result, assumptions } = assessment;
  return {
    triagedAt: at,
    riskLevel: result.riskLevel.level,
    riskReasons: result.riskLevel.reasons,
    priority: result.severity.priority,
    sla: result.severity.sla,
    assumptions,
    warnings: result.warnings,
    ...(result.leadAuthority ? { leadAuthority: result.leadAuthority } : {}),
  };
}
