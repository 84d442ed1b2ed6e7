import type { AppDeps } from './app-deps';
import type { ApiApp } from './app-base';
import { mountApiDocs } from './docs/mount-docs';
import { swaggerUiAssetsDir } from './docs/swagger-ui-assets';
import { serveOpenApiDocument } from './openapi/serve-document';
import { registerHealthRoutes } from './routes/health';
import type { LazyAppOptions } from './route-groups';

/** The Lambda's fallback group: health, the prebuilt OpenAPI document, the API reference, and every unknown path. */
export function registerCoreRoutes(app: ApiApp, deps: AppDeps, options: LazyAppOptions) {
  registerHealthRoutes(app, deps);
  serveOpenApiDocument(app, options.openApiDocument, deps.config.PUBLIC_BASE_URL);
  const docsAssetsDir = options.docs?.assetsDir ?? swaggerUiAssetsDir();
  if (docsAssetsDir) mountApiDocs(app, { ...options.docs, assetsDir: docsAssetsDir });
}
