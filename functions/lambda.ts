import { join } from 'node:path';
import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../infra/config';
import { createLazyApp } from './api/lazy-app';

/**
 * API Gateway HTTP API / function URL entrypoint; shares every line but this adapter with the Node server, built one
 * route group at a time (api/lazy-app.ts) with the dependencies. It serves the OpenAPI document built by
 * `npm run client:generate` instead of building it from the routes, and the API reference's assets from
 * `docs-assets/` in the package (copied there by sst.config.ts, not bundled).
 */
const config = loadConfig();
const taskRoot = process.env.LAMBDA_TASK_ROOT;
export const handler = handle(
  createLazyApp(async () => (await import('./deps')).buildAppDeps(config), {
    openApiDocument: async () => (await import('./api/openapi/prebuilt-document')).prebuiltOpenApiDocument(),
    ...(taskRoot ? { docs: { assetsDir: join(taskRoot, 'docs-assets') } } : {}),
  }),
);
