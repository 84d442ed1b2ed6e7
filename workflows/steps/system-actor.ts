import type { Actor } from '../../domain/audit/chain';
import { permissions, type Permission } from '../../domain/auth/permissions';

/** Who the audit trail names for what the workflows do. */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'workflow' };

/** The automation may take any transition a workflow allows it; guards on tasks and approvals still apply. */
export const SYSTEM_PERMISSIONS: ReadonlySet<Permission> = new Set(permissions);
