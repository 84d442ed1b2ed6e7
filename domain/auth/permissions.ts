import { z } from 'zod';

/** Every permission the API checks; the seed fixes the forms and types ones, the rest follow its pattern. */
export const permissions = [
  'breach-forms:create',
  'breach-forms:view',
  'breach-forms:list',
  'breach-forms:edit',
  'breach-forms:delete',
  'breach-types:create',
  'breach-types:list',
  'breach-types:edit',
  'breach-types:delete',
  'breach-incidents:create',
  'breach-incidents:view',
  'breach-incidents:list',
  'breach-incidents:transition',
  'breach-incidents:comment',
  'breach-attachments:upload',
  'breach-attachments:download',
  'breach-attachments:withdraw',
  'breach-tasks:assign',
  'breach-tasks:complete',
  'breach-tasks:approve',
  'workflows:create',
  'workflows:view',
  'workflows:list',
  'workflows:edit',
  'assessments:run',
  'regulations:view',
  'notifications:view',
  'notifications:send',
  'notifications:acknowledge',
  'signals:list',
  'signals:promote',
  'signals:dismiss',
  'webhooks:manage',
  'org-settings:view',
  'org-settings:edit',
  'breach-register:export',
  'metrics:view',
] as const;

export const permissionSchema = z.enum(permissions);
export type Permission = z.infer<typeof permissionSchema>;

const reporter: Permission[] = [
  'breach-forms:view',
  'breach-forms:list',
  'breach-types:list',
  'breach-incidents:create',
  'regulations:view',
];

const responder: Permission[] = [
  ...reporter,
  'breach-incidents:view',
  'breach-incidents:list',
  'breach-incidents:transition',
  'breach-incidents:comment',
  'breach-attachments:upload',
  'breach-attachments:download',
  'breach-tasks:assign',
  'breach-tasks:complete',
  'workflows:view',
  'workflows:list',
  'assessments:run',
  'notifications:view',
  'signals:list',
];

const dpo: Permission[] = [
  ...responder,
  'breach-tasks:approve',
  'breach-attachments:withdraw',
  'notifications:send',
  'notifications:acknowledge',
  'signals:promote',
  'signals:dismiss',
  'org-settings:view',
  'breach-register:export',
  'metrics:view',
];

/** The role table documented in the README; `admin` holds every permission. */
export const rolePermissions = {
  reporter,
  responder,
  dpo,
  admin: [...permissions],
} as const satisfies Record<string, readonly Permission[]>;

export const roleSchema = z.enum(Object.keys(rolePermissions) as [keyof typeof rolePermissions, ...(keyof typeof rolePermissions)[]]);
export type Role = z.infer<typeof roleSchema>;

/** Explicit permissions win; otherwise roles expand through the table. Unknown names grant nothing. */
export function resolvePermissions(claims: { permissions?: unknown; roles?: unknown }): Permission[] {
  const granted = new Set<Permission>();
  const names = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  for (const name of names(claims.permissions)) {
    const parsed = permissionSchema.safeParse(name);
    if (parsed.success) granted.add(parsed.data);
  }
  for (const name of names(claims.roles)) {
    const role = roleSchema.safeParse(name);
    if (role.success) rolePermissions[role.data].forEach((p) => granted.add(p));
  }
  return [...granted].sort();
}
