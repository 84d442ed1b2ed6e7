import type { OpenAPIHono } from '@hono/zod-openapi';
import { openApiInfo, openApiTags } from './document-info';
import { addResponseExamples } from './examples';

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

/**
 * The OpenAPI 3.1 document of an app's routes, without `servers` (added when served: the public base URL or the
 * request's origin). `npm run client:generate` writes it for the Lambda and the typed client.
 */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app whatever its environment (Hono's generics are invariant)
export function buildOpenApiDocument(app: OpenAPIHono<any>): OpenApiDocument {
  const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: openApiInfo, tags: openApiTags }) as unknown as OpenApiDocument;
  addResponseExamples(document.paths as never);
  return document;
}
