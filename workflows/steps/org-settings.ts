import { resolveOrgSettings, type ResolvedOrgSettings } from '../../domain/org-settings/schema';
import { deploymentDefaults } from '../../infra/config';
import type { WorkflowDeps } from '../workflow-deps';

/** Who to email and how to assess for one organisation: its settings over the deployment's defaults. */
export async function orgSettingsFor(deps: WorkflowDeps, orgId: string): Promise<ResolvedOrgSettings> {
  const settings = await deps.repos.orgSettings.get(orgId);
  return resolveOrgSettings(settings, deploymentDefaults(deps.config));
}
