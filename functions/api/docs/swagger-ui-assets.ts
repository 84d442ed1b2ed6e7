import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * The installed swagger-ui-dist package's directory, from which the Node server serves the API reference; undefined
 * where the package is not installed (a Lambda bundle, whose assets are copied beside it instead).
 */
export function swaggerUiAssetsDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined;
  }
}
