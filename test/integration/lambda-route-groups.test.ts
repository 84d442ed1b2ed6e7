import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app';
import { createApiMiddleware, createBaseApp } from '../../functions/api/app-base';
import { prebuiltOpenApiDocument } from '../../functions/api/openapi/prebuilt-document';
import { type RouteGroupName, routeGroupOf, routeGroups } from '../../functions/api/route-groups';
import { buildAppDeps } from '../../functions/deps';
import { testConfig } from '../support/test-app';

/** The Lambda builds the API one route group at a time (functions/api/lazy-app.ts); createApp builds it whole. */
describe('Lambda route groups', () => {
  it('serve every route of createApp, middleware included, from the group of its path', async () => {
    const deps = buildAppDeps(testConfig());
    const middleware = createApiMiddleware(deps);
    const groups = new Map<RouteGroupName, Set<string>>();
    for (const name of Object.keys(routeGroups) as RouteGroupName[]) {
      const app = createBaseApp(middleware);
      (await routeGroups[name]())(app, deps, { openApiDocument: prebuiltOpenApiDocument, docs: { assetsDir: '/docs-assets' } });
      groups.set(name, new Set(app.routes.map((r) => `${r.method} ${r.path}`)));
    }
    const full = createApp(deps).routes;
    const misplaced = full.filter((r) => !groups.get(routeGroupOf(r.path.replace(/:\w+/g, 'x')))!.has(`${r.method} ${r.path}`));
    expect(misplaced).toEqual([]);
    // And no group serves a path createApp does not know.
    const known = new Set(full.map((r) => `${r.method} ${r.path}`));
    const unknown = [...groups].flatMap(([name, routes]) => [...routes].filter((r) => !known.has(r)).map((r) => `${name}: ${r}`));
    expect(unknown).toEqual([]);
  });

  it('send paths no group serves to the core group, whose 404 answers them', () => {
    expect(routeGroupOf('/v1/breach-incidents/inc_1/unknown')).toBe('core');
    expect(routeGroupOf('/v1/nothing-here')).toBe('core');
    expect(routeGroupOf('/')).toBe('core');
    expect(routeGroupOf('/v1/breach-incidents/inc_1/tasks/t_1/complete')).toBe('tasks');
    expect(routeGroupOf('/v1/breach-intake-forms/frm_1/submission-keys')).toBe('submission-keys');
  });
});
