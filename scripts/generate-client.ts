// `npm run client:generate`: rewrites the typed client's document and types and the Lambda's prebuilt document from the
// routes. Run it after adding or changing a route; test/integration/client-stale.test.ts fails until you do.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderClientFiles } from './client-files';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
for (const [path, content] of Object.entries(await renderClientFiles())) {
  await writeFile(join(ROOT, path), content);
  console.log(`wrote ${path}`);
}
