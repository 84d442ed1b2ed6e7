import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderClientFiles } from '../../scripts/client-files';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the generated client and prebuilt OpenAPI document', () => {
  it('match the routes (run `npm run client:generate` after changing a route)', async () => {
    const stale: string[] = [];
    for (const [path, expected] of Object.entries(await renderClientFiles())) {
      const actual = await readFile(join(ROOT, path), 'utf8').catch(() => undefined);
      if (actual !== expected) stale.push(path);
    }
    expect(stale, `Stale generated files: ${stale.join(', ')}. Run \`npm run client:generate\` and commit the result.`).toEqual([]);
  }, 60_000);
});
