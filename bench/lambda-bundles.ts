import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
  /** What a cold start loads: the entry file and the chunks it imports statically. */
  bytes: number;
  /** The whole package: also the chunks imported on demand (the S3 client, the Inngest client in the API). */
  totalBytes: number;
  /** The metafile's outputs that make up `bytes`. */
  coldOutputs: string[];
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
  // One package directory per function, as SST builds them, so chunks of different bundles never mix.
  const packageDir = join(outDir, name);
  const file = join(packageDir, `${name}.mjs`);
  const result = await build({
    entryPoints: { [name]: join(ROOT, entry) },
    outdir: packageDir,
    outExtension: { '.js': '.mjs' },
    // sst.config.ts sets `nodejs.splitting`: dynamically imported modules become chunks loaded on first use.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
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
      await mkdir(join(packageDir, to, '..'), { recursive: true });
      await copyFile(join(ROOT, from), join(packageDir, to));
    }
  }
  const { outputs } = result.metafile;
  const entryOutput = Object.keys(outputs).find((path) => resolve(path) === file)!;
  const totalBytes = Object.entries(outputs).reduce((sum, [path, output]) => (path.endsWith('.map') ? sum : sum + output.bytes), 0);
  const cold = coldOutputs(outputs, entryOutput);
  return { name, file, bytes: sum(cold.map((path) => outputs[path]!.bytes)), totalBytes, coldOutputs: cold, metafile: result.metafile };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The entry output and every chunk reachable from it through static imports: what is read and parsed on a cold start. */
export function coldOutputs(outputs: Metafile['outputs'], entry: string): string[] {
  const seen = new Set<string>([entry]);
  for (const path of seen) {
    for (const imported of outputs[path]?.imports ?? [])
      if (imported.kind === 'import-statement' && !imported.external) seen.add(imported.path);
  }
  return [...seen];
}

export interface Contributor {
  /** An npm package, or a project folder two levels deep (`domain/regulations`). */
  name: string;
  bytes: number;
}

/** What the bundle's bytes are made of, largest first: minified output bytes per package or project folder. */
export function topContributors(metafile: Metafile, count = 10, outputs = Object.keys(metafile.outputs)): Contributor[] {
  const bytes = new Map<string, number>();
  for (const output of outputs.map((path) => metafile.outputs[path]!)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const path = input.replace(/^[\w-]+:/, '');
      // The innermost package: a dependency's own copy of a package counts as that package, nested under its owner.
      const packages = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!);
      const name = packages.length > 0 ? packages.join(' > ') : path.split('/').slice(0, 2).join('/');
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes]
    .map(([name, n]) => ({ name, bytes: n }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

/**
 * Baseline for a cold start: a bare Node process that imports nothing (`node -e 0`), spawn to exit; the median of a
 * few, since one start on a shared machine varies by a factor of two.
 */
export async function bareNodeStartMs(samples = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => spawn(process.execPath, ['-e', '0']).on('exit', () => resolve()));
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * CPU time rather than wall time: on a machine shared with other work, a process's wall-clock start varies by a factor
 * of two or three from run to run while the CPU it burns does not.
 */
export async function bareNodeCpuMs(samples = 5): Promise<number> {
  const script = 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))';
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const child = spawn(process.execPath, ['-e', script]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    times.push(Number(out));
  }
  return median(times);
}

/** utime + stime of a live process from /proc (Linux's clock tick is 10 ms). */
async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

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
  /** With `traceLoads`: every file the process has loaded by the end of this invocation. */
  loaded?: string[];
}

export interface BundleProcess {
  /** Time to import the bundle, measured inside the child. */
  importMs: number;
  /** Invokes the handler once in the child; invocations run one at a time, as in one Lambda sandbox. */
  invoke(event: unknown): Promise<Invocation>;
  /** Everything the child wrote besides its reports (application logs), for failure messages. */
  output(): string;
  /** CPU time the process has used so far (user + system, all threads); undefined where /proc is not available. */
  cpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts a fresh Node process that imports the bundle and waits for events. Its environment is only `env`
 * plus what the Lambda runtime itself sets: nothing leaks in from the test runner.
 */
export async function startBundleProcess(
  bundle: LambdaBundle,
  env: Record<string, string>,
  options: { traceLoads?: boolean } = {},
): Promise<BundleProcess> {
  // Tracing loads costs start time (a hooks thread): a traced process is for what it loads, not for how fast.
  const args = [RUNNER, bundle.file, ...(options.traceLoads ? ['--trace-loads'] : [])];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, {
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
      const timer = setTimeout(
        () => reject(new Error(`${bundle.name} bundle process did not answer in ${timeoutMs} ms:\n${logs.join('\n')}`)),
        timeoutMs,
      );
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
        return {
          response: report.response as LambdaResponse,
          durationMs: report.durationMs as number,
          loaded: report.loaded as string[] | undefined,
        };
      });
      queue = result.catch(() => undefined);
      return result;
    },
    output: () => logs.join('\n'),
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      child.kill();
      await gone;
    },
  };
}

/** What one code path loads of a bundle: the bytes of the outputs it brings in, and what they are made of. */
export interface Loads {
  label: string;
  bytes: number;
  top: Contributor[];
}

/** A realistic first request: what it loads (traced in a process of its own) and its cold init (untraced processes). */
export interface RealFirstRequest extends Loads {
  status: number;
  coldInitMs: number;
}

export interface ColdStart {
  name: string;
  bytes: number;
  totalBytes: number;
  importMs: number;
  firstRequestMs: number;
  /** Import plus first request: what a cold invocation costs on top of the runtime's own start. */
  coldInitMs: number;
  /** CPU the process used up to the end of its first request, its own start included (compare with bareNodeCpuMs). */
  coldCpuMs?: number;
  firstRequest: string;
  status: number;
  /** The ten largest contributors to what a cold start loads. */
  top: Contributor[];
  /** The largest contributors to the chunks loaded on demand. */
  onDemand: Contributor[];
  /** What the first request of real work loads (the cold bundle included). */
  realFirst?: RealFirstRequest;
  /** A code path counted from the metafile (a function run): the cold bundle and the chunks it imports. */
  path?: Loads;
}

export const coldStartOf = (
  bundle: LambdaBundle,
  child: BundleProcess,
  first: Invocation,
  firstRequest: string,
  coldCpuMs?: number,
): ColdStart => ({
  name: bundle.name,
  bytes: bundle.bytes,
  totalBytes: bundle.totalBytes,
  importMs: child.importMs,
  firstRequestMs: first.durationMs,
  coldInitMs: child.importMs + first.durationMs,
  coldCpuMs,
  firstRequest,
  status: first.response.statusCode,
  top: topContributors(bundle.metafile, 10, bundle.coldOutputs),
  onDemand: topContributors(
    bundle.metafile,
    5,
    Object.keys(bundle.metafile.outputs).filter((path) => !bundle.coldOutputs.includes(path)),
  ),
});

/** The bundle's outputs among the files a traced process loaded (file URLs). */
export function outputsAmong(bundle: LambdaBundle, fileUrls: string[]): string[] {
  const loaded = new Set(fileUrls.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url)));
  return Object.keys(bundle.metafile.outputs).filter((path) => loaded.has(resolve(path)));
}

/** The cold outputs plus the chunks of the given modules (imported on demand) and their static imports. */
export function outputsLoadedWith(bundle: LambdaBundle, modules: string[]): string[] {
  const { outputs } = bundle.metafile;
  const loaded = new Set(bundle.coldOutputs);
  for (const [path, output] of Object.entries(outputs))
    if (output.entryPoint && modules.includes(output.entryPoint)) for (const chunk of coldOutputs(outputs, path)) loaded.add(chunk);
  const missing = modules.filter((m) => !Object.values(outputs).some((output) => output.entryPoint === m));
  if (missing.length > 0) throw new Error(`${bundle.name}: no chunk of its own for ${missing.join(', ')}`);
  return [...loaded];
}

export const loadsOf = (bundle: LambdaBundle, label: string, outputs: string[]): Loads => ({
  label,
  bytes: sum(outputs.map((path) => bundle.metafile.outputs[path]!.bytes)),
  top: topContributors(bundle.metafile, 10, outputs),
});

export interface FirstRequests {
  /** The first request the cold start is timed with. */
  label: string;
  event: unknown;
  /** A first request of real work: what it loads, and its cold init. */
  realistic?: { label: string; event: unknown };
  /** A code path no request here can take (a function run): the modules it imports on demand. */
  path?: { label: string; modules: string[] };
}

/** Bundles and cold-starts each entry `samples` times, answering its first request with the given event; keeps the median start. */
export async function measureLambdaBundles(
  firstEvents: Partial<Record<LambdaName, FirstRequests>>,
  env: Record<string, string>,
  samples = 3,
): Promise<ColdStart[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'lambda-bundles-'));
  try {
    const rows: ColdStart[] = [];
    for (const [name, first] of Object.entries(firstEvents) as [LambdaName, FirstRequests][]) {
      const bundle = await bundleLambda(name, lambdaEntries[name], outDir);
      const starts: ColdStart[] = [];
      for (let i = 0; i < samples; i++) {
        const child = await startBundleProcess(bundle, env);
        try {
          const invocation = await child.invoke(first.event);
          starts.push(coldStartOf(bundle, child, invocation, first.label, await child.cpuMs()));
        } finally {
          await child.stop();
        }
      }
      const row = starts.sort((a, b) => a.coldInitMs - b.coldInitMs)[Math.floor(samples / 2)]!;
      if (first.realistic) row.realFirst = await measureRealFirst(bundle, env, first.realistic, samples);
      if (first.path) row.path = loadsOf(bundle, first.path.label, outputsLoadedWith(bundle, first.path.modules));
      rows.push(row);
    }
    return rows;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function measureRealFirst(
  bundle: LambdaBundle,
  env: Record<string, string>,
  request: { label: string; event: unknown },
  samples: number,
): Promise<RealFirstRequest> {
  const coldInits: number[] = [];
  for (let i = 0; i < samples; i++) {
    const child = await startBundleProcess(bundle, env);
    try {
      coldInits.push(child.importMs + (await child.invoke(request.event)).durationMs);
    } finally {
      await child.stop();
    }
  }
  const traced = await startBundleProcess(bundle, env, { traceLoads: true });
  try {
    const { response, loaded = [] } = await traced.invoke(request.event);
    const loads = loadsOf(bundle, request.label, outputsAmong(bundle, loaded));
    return { ...loads, status: response.statusCode, coldInitMs: median(coldInits) };
  } finally {
    await traced.stop();
  }
}

/** The figures as a small fixed-width table, for the test log and `npm run bench`. */
export function formatColdStarts(rows: ColdStart[]): string {
  const header = ['lambda', 'cold bundle', 'whole package', 'import', 'first request', 'cold init', 'cold CPU', 'first request (status)'];
  const lines = rows.map((r) => [
    r.name,
    `${(r.bytes / 1024).toFixed(0)} KiB`,
    `${(r.totalBytes / 1024).toFixed(0)} KiB`,
    `${r.importMs.toFixed(0)} ms`,
    `${r.firstRequestMs.toFixed(0)} ms`,
    `${r.coldInitMs.toFixed(0)} ms`,
    r.coldCpuMs === undefined ? '–' : `${r.coldCpuMs.toFixed(0)} ms`,
    `${r.firstRequest} (${r.status})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].map((l) => l.trimEnd()).join('\n');
}

/** Lines on what first requests of real work and function runs load, beside the cold bundle. */
export function formatLoads(rows: ColdStart[], bareMs: number): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  return rows
    .flatMap((r) => [
      ...(r.realFirst
        ? [
            `${r.name}: first request ${r.realFirst.label} (${r.realFirst.status}) loads ${kib(r.realFirst.bytes)}; cold init ${r.realFirst.coldInitMs.toFixed(0)} ms (${(r.realFirst.coldInitMs / bareMs).toFixed(2)}× a bare Node start)`,
            `  ${r.realFirst.top.map((c) => `${c.name} ${kib(c.bytes)}`).join(', ')}`,
          ]
        : []),
      ...(r.path
        ? [`${r.name}: ${r.path.label} loads ${kib(r.path.bytes)}`, `  ${r.path.top.map((c) => `${c.name} ${kib(c.bytes)}`).join(', ')}`]
        : []),
    ])
    .join('\n');
}

/** The realistic first requests and the function run the bench and `npx tsx bench/lambda-bundles.ts` report. */
export async function firstRequests(options: { secret: string; signingKey: string }): Promise<Record<LambdaName, FirstRequests>> {
  const { functionUrlEvent } = await import('./function-url-event');
  const { signBody } = await import('../infra/local/executor/signing');
  const { mintDevToken } = await import('../infra/local/mint-token');
  const token = await mintDevToken(options.secret, { org: 'org_bench_bundles', roles: ['admin'] });
  return {
    api: {
      label: 'GET /v1/openapi.json',
      event: functionUrlEvent({ method: 'GET', path: '/v1/openapi.json' }),
      realistic: {
        label: 'POST /v1/breach-incidents, invalid body',
        event: functionUrlEvent({
          method: 'POST',
          path: '/v1/breach-incidents',
          headers: { authorization: `Bearer ${token}` },
          body: { formId: 42 },
        }),
      },
    },
    inngest: {
      label: 'signed GET /api/inngest',
      event: functionUrlEvent({
        method: 'GET',
        path: '/api/inngest',
        headers: { 'x-inngest-signature': signBody('', options.signingKey) },
      }),
      // A run needs the executor's signed request; its imports are counted from the metafile instead.
      path: { label: 'a triage-incident run', modules: ['workflows/runs/triage-incident.ts', 'functions/deps.ts'] },
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Standalone, with DynamoDB Local for the API's first request of real work (a new organisation is provisioned).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
  const { findFreePort } = await import('../infra/local/ports');
  const { createDynamoClients } = await import('../infra/dynamo/client');
  const { ensureTable } = await import('../infra/dynamo/ensure-table');
  const dynamo = await startDynamoLocal({ port: await findFreePort(), timeoutMs: 90_000 });
  try {
    const tableName = 'breach-response-bundles';
    const { raw } = createDynamoClients({ region: 'us-east-1', endpoint: dynamo.endpoint });
    await ensureTable(raw, tableName);
    raw.destroy();
    const secret = 'bench-secret-0123456789abcdef';
    const signingKey = `signkey-bench-${'ab'.repeat(32)}`;
    const rows = await measureLambdaBundles(await firstRequests({ secret, signingKey }), {
      STAGE: 'bench',
      LOG_LEVEL: 'silent',
      AUTH_JWT_SECRET: secret,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_NAME: tableName,
      INNGEST_SIGNING_KEY: signingKey,
      INNGEST_EVENT_KEY: 'bench-event-key',
      INNGEST_BASE_URL: 'http://127.0.0.1:9',
    });
    const bare = await bareNodeStartMs();
    const bareCpu = await bareNodeCpuMs();
    console.log(formatColdStarts(rows));
    console.log(`\nbare \`node -e 0\` process start: ${bare.toFixed(0)} ms (CPU ${bareCpu.toFixed(0)} ms)`);
    for (const row of rows) {
      const cpu = row.coldCpuMs === undefined ? '' : `, cold CPU ${(row.coldCpuMs / bareCpu).toFixed(2)}× a bare Node start's`;
      console.log(`\n${row.name}: cold init ${(row.coldInitMs / bare).toFixed(2)}× a bare Node start${cpu}; ten largest contributors:`);
      for (const c of row.top) console.log(`  ${(c.bytes / 1024).toFixed(1).padStart(7)} KiB  ${c.name}`);
      if (row.onDemand.length > 0)
        console.log(`  loaded on demand: ${row.onDemand.map((c) => `${c.name} ${(c.bytes / 1024).toFixed(0)} KiB`).join(', ')}`);
    }
    console.log(`\n${formatLoads(rows, bare)}`);
  } finally {
    await dynamo.stop();
  }
}
