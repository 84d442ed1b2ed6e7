import { join } from 'node:path';
import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../infra/config';
import { createApp } from './api/app';
import { prebuiltOpenApiDocument } from './api/openapi/prebuilt-document';
import { buildAppDeps } from './deps';

/**
 * API Gateway HTTP API / function URL entrypoint; shares every line but this adapter with the Node server. It serves
 * the OpenAPI document built by `npm run client:generate` instead of building it from the routes on a cold start, and
 * the API reference's assets from `docs-assets/` in the package (copied there by sst.config.ts, not bundled).
 */
const taskRoot = process.env.LAMBDA_TASK_ROOT;
export const handler = handle(
  createApp(buildAppDeps(loadConfig()), {
    openApiDocument: prebuiltOpenApiDocument,
    ...(taskRoot ? { docs: { assetsDir: join(taskRoot, 'docs-assets') } } : {}),
  }),
);
