import type { OpenAPIHono } from '@hono/zod-openapi';
import type { OpenApiDocument } from './build-document';

export const OPENAPI_PATH = '/v1/openapi.json';

/** Where the served document comes from: built from the routes at first request, or prebuilt (the Lambda). */
export type OpenApiSource = () => OpenApiDocument | Promise<OpenApiDocument>;

/** Serves the document with `servers` set to PUBLIC_BASE_URL, or else the origin the request came to. */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app whatever its environment (Hono's generics are invariant)
export function serveOpenApiDocument(app: OpenAPIHono<any>, source: OpenApiSource, publicBaseUrl?: string) {
  let document: Promise<OpenApiDocument> | undefined;
  app.get(OPENAPI_PATH, async (c) => {
    const { openapi, info, ...rest } = await (document ??= Promise.resolve(source()));
    const url = publicBaseUrl ?? new URL(c.req.url).origin;
    return c.json({
      openapi,
      info,
      servers: [{ url, description: publicBaseUrl ? 'This deployment' : 'The server that answered' }],
      ...rest,
    });
  });
}
