import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import lambdaPlugins from '../scripts/lambda-esbuild-plugins.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./lambda-runner.mjs', import.meta.url));
const MARKER = '@@lambda-runner ';

/** Every Lambda entrypoint that sst.config.ts deploys, by the name the figures are printed under. */
export const lambdaEntries = {
  api: 'functions/lambda.ts',
  inngest: 'functions/inngest-lambda.ts',
} as const;

export type LambdaName = keyof typeof lambdaEntries;

export interface LambdaBundle {
  name: string;
  file: string;
  bytes: number;
  /** esbuild's account of which inputs the bytes came from (see topContributors). */
  metafile: Metafile;
}

/** Files sst.config.ts copies into the API function's package (`copyFiles`), beside the bundle, not in it. */
export const lambdaAssets = {
  'docs-assets/swagger-ui.css': 'node_modules/swagger-ui-dist/swagger-ui.css',
  'docs-assets/swagger-ui-bundle.js': 'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
} as const;

/**
 * Bundles an entrypoint with the options SST's Node runtime uses for `nodejs22.x` (ESM, platform node,
 * minified, keepNames, `module` before `main`, and its banner that gives CommonJS dependencies a `require`),
 * with nothing external but what SST forces external, so the bundle must run without node_modules. The plugins are
 * the ones sst.config.ts gives SST (`nodejs.plugins`), and the API's static assets are copied beside it as SST does.
 */
export async function bundleLambda(name: string, entry: string, outDir: string): Promise<LambdaBundle> {
  const file = join(outDir, `${name}.mjs`);
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    external: ['sharp', 'pg-native'],
    logLevel: 'error',
    metafile: true,
    plugins: lambdaPlugins,
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __filename = topLevelFileUrlToPath(import.meta.url)`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
      ].join('\n'),
    },
  });
  if (name === 'api') {
    for (const [to, from] of Object.entries(lambdaAssets)) {
      await mkdir(join(outDir, to, '..'), { recursive: true });
      await copyFile(join(ROOT, from), join(outDir, to));
    }
  }
  return { name, file, bytes: (await stat(file)).size, metafile: result.metafile };
}

export interface Contributor {
  /** An npm package, or a project folder two levels deep (`domain/regulations`). */
  name: string;
  bytes: number;
}

/** What the bundle's bytes are made of, largest first: minified output bytes per package or project folder. */
export function topContributors(metafile: Metafile, count = 10): Contributor[] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const path = input.replace(/^[\w-]+:/, '');
      // The innermost package: a dependency's own copy of a package counts as that package, nested under its owner.
      const packages = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!);
      const name = packages.length > 0 ? packages.join(' > ') : path.split('/').slice(0, 2).join('/');
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].map(([name, n]) => ({ name, bytes: n })).sort((a, b) => b.bytes - a.bytes).slice(0, count);
}

/** Baseline for a cold start: a bare Node process that imports nothing (`node -e 0`), spawn to exit. */
export async function bareNodeStartMs(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve) => spawn(process.execPath, ['-e', '0']).on('exit', () => resolve()));
  return performance.now() - t0;
}

export interface LambdaResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
  cookies?: string[];
}

export interface Invocation {
  response: LambdaResponse;
  durationMs: number;
}

export interface BundleProcess {
  /** Time to import the bundle, measured inside the child. */
  importMs: number;
  /** Invokes the handler once in the child; invocations run one at a time, as in one Lambda sandbox. */
  invoke(event: unknown): Promise<Invocation>;
  /** Everything the child wrote besides its reports (application logs), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a fresh Node process that imports the bundle and waits for events. Its environment is only `env`
 * plus what the Lambda runtime itself sets: nothing leaks in from the test runner.
 */
export async function startBundleProcess(bundle: LambdaBundle, env: Record<string, string>): Promise<BundleProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [RUNNER, bundle.file], {
    cwd: join(bundle.file, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      AWS_LAMBDA_FUNCTION_NAME: bundle.name,
      // The package root, as the Lambda runtime sets it: copied assets are found through it.
      LAMBDA_TASK_ROOT: dirname(bundle.file),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const reports: Record<string, unknown>[] = [];
  const waiters: ((report: Record<string, unknown> | undefined) => void)[] = [];
  let exited = false;
  const deliver = (report: Record<string, unknown> | undefined) => {
    const waiter = waiters.shift();
    if (waiter) waiter(report);
    else if (report) reports.push(report);
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(MARKER)) deliver(JSON.parse(line.slice(MARKER.length)));
    else logs.push(line);
  });
  child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  child.on('exit', (code) => {
    exited = true;
    logs.push(`[exited with ${code}]`);
    while (waiters.length > 0) deliver(undefined);
  });
  const next = (timeoutMs = 30_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const queued = reports.shift();
      if (queued) return resolve(queued);
      if (exited) return reject(new Error(`${bundle.name} bundle process has exited:\n${logs.join('\n')}`));
      const timer = setTimeout(() => reject(new Error(`${bundle.name} bundle process did not answer in ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
      waiters.push((report) => {
        clearTimeout(timer);
        if (report) resolve(report);
        else reject(new Error(`${bundle.name} bundle process has exited:\n${logs.join('\n')}`));
      });
    });

  const ready = await next(60_000);
  if (ready.type !== 'ready') {
    child.kill();
    throw new Error(`${bundle.name} bundle failed to load: ${String(ready.error)}\n${logs.join('\n')}`);
  }
  let queue: Promise<unknown> = Promise.resolve();
  return {
    importMs: ready.importMs as number,
    invoke(event) {
      const result = queue.then(async () => {
        child.stdin.write(`${JSON.stringify(event)}\n`);
        const report = await next();
        if (report.error) throw new Error(`${bundle.name} handler threw: ${String(report.error)}`);
        return { response: report.response as LambdaResponse, durationMs: report.durationMs as number };
      });
      queue = result.catch(() => undefined);
      return result;
    },
    output: () => logs.join('\n'),
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      child.kill();
      await gone;
    },
  };
}

export interface ColdStart {
  name: string;
  bytes: number;
  importMs: number;
  firstRequestMs: number;
  /** Import plus first request: what a cold invocation costs on top of the runtime's own start. */
  coldInitMs: number;
  firstRequest: string;
  status: number;
  /** The ten largest contributors to the bundle. */
  top: Contributor[];
}

export const coldStartOf = (bundle: LambdaBundle, child: BundleProcess, first: Invocation, firstRequest: string): ColdStart => ({
  name: bundle.name,
  bytes: bundle.bytes,
  importMs: child.importMs,
  firstRequestMs: first.durationMs,
  coldInitMs: child.importMs + first.durationMs,
  firstRequest,
  status: first.response.statusCode,
  top: topContributors(bundle.metafile),
});

/** Bundles and cold-starts each entry once, answering its first request with the given event. */
export async function measureLambdaBundles(
  firstEvents: Partial<Record<LambdaName, { label: string; event: unknown }>>,
  env: Record<string, string>,
): Promise<ColdStart[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'lambda-bundles-'));
  try {
    const rows: ColdStart[] = [];
    for (const [name, first] of Object.entries(firstEvents) as [LambdaName, { label: string; event: unknown }][]) {
      const bundle = await bundleLambda(name, lambdaEntries[name], outDir);
      const child = await startBundleProcess(bundle, env);
      try {
        rows.push(coldStartOf(bundle, child, await child.invoke(first.event), first.label));
      } finally {
        await child.stop();
      }
    }
    return rows;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The figures as a small fixed-width table, for the test log and `npm run bench`. */
export function formatColdStarts(rows: ColdStart[]): string {
  const header = ['lambda', 'bundle', 'import', 'first request', 'cold init', 'first request (status)'];
  const lines = rows.map((r) => [
    r.name,
    `${(r.bytes / 1024).toFixed(0)} KiB`,
    `${r.importMs.toFixed(0)} ms`,
    `${r.firstRequestMs.toFixed(0)} ms`,
    `${r.coldInitMs.toFixed(0)} ms`,
    `${r.firstRequest} (${r.status})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].map((l) => l.trimEnd()).join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Standalone: first requests that need no DynamoDB, so the figures are the bundles' own start-up cost.
  const { functionUrlEvent } = await import('./function-url-event');
  const { signBody } = await import('../infra/local/executor/signing');
  const signingKey = `signkey-bench-${'ab'.repeat(32)}`;
  const rows = await measureLambdaBundles(
    {
      api: { label: 'GET /v1/openapi.json', event: functionUrlEvent({ method: 'GET', path: '/v1/openapi.json' }) },
      inngest: {
        label: 'signed GET /api/inngest',
        event: functionUrlEvent({ method: 'GET', path: '/api/inngest', headers: { 'x-inngest-signature': signBody('', signingKey) } }),
      },
    },
    {
      STAGE: 'bench',
      LOG_LEVEL: 'silent',
      AUTH_JWT_SECRET: 'bench-secret-0123456789abcdef',
      INNGEST_SIGNING_KEY: signingKey,
      INNGEST_EVENT_KEY: 'bench-event-key',
      INNGEST_BASE_URL: 'http://127.0.0.1:9',
    },
  );
  const bare = await bareNodeStartMs();
  console.log(formatColdStarts(rows));
  console.log(`\nbare \`node -e 0\` process start: ${bare.toFixed(0)} ms`);
  for (const row of rows) {
    console.log(`\n${row.name}: cold init ${(row.coldInitMs / bare).toFixed(2)}× a bare Node start; ten largest contributors:`);
    for (const c of row.top) console.log(`  ${(c.bytes / 1024).toFixed(1).padStart(7)} KiB  ${c.name}`);
  }
}
