import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { problemResponse } from '../problem';
import { docsPageHtml } from './docs-page';

export interface ApiDocsOptions {
  /** A directory holding swagger-ui-dist's `swagger-ui.css` and `swagger-ui-bundle.js` (see swagger-ui-assets.ts). */
  assetsDir?: string;
  /** Pre-authorises try-it with this token (the local server's dev token); never set in a deployment. */
  devToken?: string;
}

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

/** GET /docs and its two static assets, read from disk on request: nothing of the renderer is in any bundle. */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app whatever its environment (Hono's generics are invariant)
export function mountApiDocs(app: Hono<any>, { assetsDir, devToken }: ApiDocsOptions & { assetsDir: string }) {
  const page = docsPageHtml({ openApiUrl: '/v1/openapi.json', assetsPath: '/docs/assets', devToken });
  app.get('/docs', (c) => c.html(page));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    const body = type ? await readFile(join(assetsDir, file)).catch(() => undefined) : undefined;
    if (!type || !body)
      return problemResponse(c, { type: 'not-found', title: 'Not Found', status: 404, detail: `No API reference asset ${file}` });
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
