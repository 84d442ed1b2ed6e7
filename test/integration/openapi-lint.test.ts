import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/test-app';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

type Document = { paths: Record<string, Record<string, { operationId?: string }>> };
interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

/** Rules redocly.yaml sets to `warn`: the warnings the project keeps, each with its reason written there. */
async function keptWarnings(): Promise<Set<string>> {
  const config = await readFile(join(ROOT, 'redocly.yaml'), 'utf8');
  return new Set([...config.matchAll(/^\s+([\w.-]+):\s*warn\s*$/gm)].map((m) => m[1]!));
}

describe('the served OpenAPI document', () => {
  let api: TestApi;
  let document: Document;
  let dir: string;

  beforeAll(async () => {
    api = await startTestApi();
    document = (await (await api.call('GET', '/v1/openapi.json')).json()) as Document;
    dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  });
  afterAll(async () => {
    await api?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives every operation an operationId (verb + noun, camelCase; see functions/api/openapi/document-info.ts)', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operationId: operation.operationId })),
    );
    const missing = operations.filter((o) => !o.operationId).map((o) => o.name);
    expect(
      missing,
      `Operations without an operationId (add \`operationId: '<verbNoun>'\` to their createRoute): ${missing.join(', ')}`,
    ).toEqual([]);
    const malformed = operations
      .filter((o) => o.operationId && !/^[a-z]+[A-Z][A-Za-z]*$/.test(o.operationId))
      .map((o) => `${o.name} (${o.operationId})`);
    expect(malformed, `operationIds must be camelCase verb + noun: ${malformed.join(', ')}`).toEqual([]);
  });

  it('passes `redocly lint` with no error and only the warnings redocly.yaml keeps', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document, null, 2));
    // redocly exits 1 when it finds errors; the JSON report is on stdout either way.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
      {
        cwd: ROOT,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
    const describe = (p: LintProblem) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`;
    const errors = report.problems.filter((p) => p.severity === 'error').map(describe);
    expect(errors, `redocly lint errors:\n${errors.join('\n')}`).toEqual([]);
    const kept = await keptWarnings();
    const unlisted = report.problems.filter((p) => p.severity === 'warn' && !kept.has(p.ruleId)).map(describe);
    expect(unlisted, `warnings not kept in redocly.yaml:\n${unlisted.join('\n')}`).toEqual([]);
  });

  it('declares every tag it uses, with a description, and names the webhook signatures as security schemes', () => {
    const doc = document as Document & {
      tags: { name: string; description?: string }[];
      components: { securitySchemes: Record<string, { type: string; in?: string; name?: string; description?: string }> };
      servers: { url: string }[];
    };
    const declared = new Map(doc.tags.map((t) => [t.name, t.description]));
    const used = new Set(
      Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => (op as { tags?: string[] }).tags ?? [])),
    );
    for (const tag of used)
      expect(
        declared.get(tag),
        `tag ${tag}: declare it with a description in openApiTags (functions/api/openapi/document-info.ts)`,
      ).toBeTruthy();
    expect(doc.components.securitySchemes.sentrySignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'Sentry-Hook-Signature' });
    expect(doc.components.securitySchemes.standardWebhookSignature).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'webhook-signature',
    });
    expect(doc.servers).toEqual([expect.objectContaining({ url: api.url })]);
  });
});
