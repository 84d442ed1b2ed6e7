import { z } from 'zod';
import type { Permission } from './permissions';

/** Tenant ids appear in every key and URL, so they are short, lower-case and safe. */
export const orgIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'an organisation id of 2-63 lower-case letters, digits, _ or -');

export interface Principal {
  orgId: string;
  subject: string;
  permissions: ReadonlySet<Permission>;
  /** The token's roles and teams: what the in-app inbox is addressed to besides the subject. */
  roles: readonly string[];
  teams: readonly string[];
}
