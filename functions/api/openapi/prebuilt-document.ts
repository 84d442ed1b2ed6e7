import { gunzipSync } from 'node:zlib';
import type { OpenApiDocument } from './build-document';
import { prebuiltOpenApiGzipBase64 } from './prebuilt-document.generated';

/** The document `npm run client:generate` built from the routes, for the Lambda (decoded on the first request only). */
export const prebuiltOpenApiDocument = (): OpenApiDocument =>
  JSON.parse(gunzipSync(Buffer.from(prebuiltOpenApiGzipBase64, 'base64')).toString('utf8'));
