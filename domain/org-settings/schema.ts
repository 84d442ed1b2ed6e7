import { z } from 'zod';
import { SeverityConfig } from '../severity/schema';

/** What each organisation configures for itself; anything unset falls back to the deployment's defaults. */
export const orgSettingsInputSchema = z.object({
  dpoEmail: z.email().optional(),
  escalationEmail: z.email().optional(),
  role: z.enum(['controller', 'processor']).optional(),
  mainEstablishment: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code such as DE or DE-BY')
    .optional(),
  severity: SeverityConfig.optional(),
  /** Regulatory-clock reminders as fractions of the window from awareness to the deadline. */
  reminderFractions: z.array(z.number().gt(0).lt(1)).min(1).max(10).optional(),
});
export type OrgSettingsInput = z.infer<typeof orgSettingsInputSchema>;

export interface OrgSettings extends OrgSettingsInput {
  version: number;
  updatedAt: string | null;
}

export interface ResolvedOrgSettings {
  dpoEmail: string;
  escalationEmail: string;
  role: 'controller' | 'processor';
  mainEstablishment?: string;
  severity?: z.infer<typeof SeverityConfig>;
  reminderFractions?: number[];
}

/** The organisation's own choices over the deployment's defaults. */
export function resolveOrgSettings(settings: OrgSettingsInput, defaults: ResolvedOrgSettings): ResolvedOrgSettings {
  return {
    dpoEmail: settings.dpoEmail ?? defaults.dpoEmail,
    escalationEmail: settings.escalationEmail ?? defaults.escalationEmail,
    role: settings.role ?? defaults.role,
    mainEstablishment: settings.mainEstablishment ?? defaults.mainEstablishment,
    severity: settings.severity ?? defaults.severity,
    reminderFractions: settings.reminderFractions ?? defaults.reminderFractions,
  };
}
