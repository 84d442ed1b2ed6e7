import { Hono } from 'hono';
import type { ApiApp } from './app-base';
import type { AppDeps } from './app-deps';
import type { AppEnv } from './app-env';
import { handleError } from './error-handler';
import { type LazyAppOptions, type RouteGroupName, routeGroupOf, routeGroups } from './route-groups';

/**
 * The API as the Lambda serves it: the same app as createApp, built one route group at a time on the first request
 * for it, so that a cold start loads hono and the configuration only, and a request its own group's routes,
 * services and schemas (with the dependencies and the middleware, built once). Hono's router takes no routes after its
 * first match, hence an app per group rather than routes added later; all of them share one set of middleware.
 */
export function createLazyApp(loadDeps: () => Promise<AppDeps>, options: LazyAppOptions) {
  const loadShared = once(async () => {
    const [{ createApiMiddleware, createBaseApp }, deps] = await Promise.all([import('./app-base'), loadDeps()]);
    return { deps, createBaseApp, middleware: createApiMiddleware(deps) };
  });
  const apps = new Map<RouteGroupName, () => Promise<ApiApp>>();
  const appOf = (name: RouteGroupName) => {
    let load = apps.get(name);
    if (!load) {
      load = once(async () => {
        const [{ deps, createBaseApp, middleware }, register] = await Promise.all([loadShared(), routeGroups[name]()]);
        const app = createBaseApp(middleware);
        register(app, deps, options);
        return app;
      });
      apps.set(name, load);
    }
    return load();
  };
  const lazyApp = new Hono<AppEnv>();
  lazyApp.all('*', async (c) => (await appOf(routeGroupOf(c.req.path))).fetch(c.req.raw, c.env));
  // A group that fails to load answers problem+json too (and is loaded again by the next request).
  lazyApp.onError(handleError);
  return lazyApp;
}

/** The first call's promise, shared by later calls; a failure is retried by the next call rather than remembered. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
}
