import { describe, expect, it } from 'vitest';
import { permissions, resolvePermissions, rolePermissions } from '../../../domain/auth/permissions';

describe('permission resolution', () => {
  it('expands roles through the role table and unions them with explicit permissions', () => {
    const granted = resolvePermissions({ roles: ['reporter'], permissions: ['breach-types:create'] });
    expect(granted).toContain('breach-incidents:create');
    expect(granted).toContain('breach-types:create');
    expect(granted).not.toContain('breach-incidents:transition');
  });

  it('grants nothing for unknown roles, unknown permissions or wrong claim shapes', () => {
    expect(resolvePermissions({ roles: ['superuser'], permissions: ['everything:*'] })).toEqual([]);
    expect(resolvePermissions({ roles: 'admin', permissions: 42 })).toEqual([]);
  });

  it('gives admin every permission and keeps each role a superset of the one below it', () => {
    expect(resolvePermissions({ roles: ['admin'] })).toEqual([...permissions].sort());
    const ladder = [rolePermissions.reporter, rolePermissions.responder, rolePermissions.dpo, rolePermissions.admin];
    for (let i = 1; i < ladder.length; i++) for (const p of ladder[i - 1]!) expect(ladder[i]).toContain(p);
  });
});
