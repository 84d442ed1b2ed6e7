import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { INNGEST_PATH } from '../../functions/inngest-endpoint';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./stack-process.ts', import.meta.url));

export interface StackProcess {
  role: 'api' | 'executor';
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resident set size in bytes, read from /proc. */
  rss(): Promise<number>;
  /** The largest resident set size since the process started (VmHWM), in bytes. */
  peakRss(): Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StackEnv {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  apiPort: number;
  executorPort: number;
  jwtSecret: string;
  extra?: Record<string, string>;
}

const envOf = (s: StackEnv): Record<string, string> => ({
  STAGE: 'local',
  LOG_LEVEL: 'error',
  // The bench measures the pipeline, not the per-token rate limit (whose test is in npm test).
  RATE_LIMIT_PER_MINUTE: '1000000',
  DYNAMODB_ENDPOINT: s.dynamoEndpoint,
  SES_ENDPOINT: s.sesEndpoint,
  TABLE_NAME: s.tableName,
  PORT: String(s.apiPort),
  EXECUTOR_PORT: String(s.executorPort),
  AUTH_JWT_SECRET: s.jwtSecret,
  INNGEST_DEV: '1',
  INNGEST_BASE_URL: `http://127.0.0.1:${s.executorPort}`,
  APP_INNGEST_URL: `http://127.0.0.1:${s.apiPort}${INNGEST_PATH}`,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...(s.extra ?? {}),
});

/** A size line of /proc/<pid>/status (given in kB there), in bytes. */
async function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN) * 1024;
}

/** Starts one stack component (bench/support/stack-process.ts) as a child process; resolves once it listens. */
export function spawnStackProcess(role: 'api' | 'executor', env: StackEnv, timeoutMs = 90_000): Promise<StackProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, ...envOf(env), ROLE: role },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${role} did not start in ${timeoutMs} ms: ${stderr.join('')}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before it was ready: ${stderr.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('@@ready ')) return;
      clearTimeout(timer);
      resolve({
        role,
        url: line.slice('@@ready '.length).trim(),
        pid: child.pid!,
        child,
        rss: () => statusKb(child.pid!, 'VmRSS'),
        peakRss: () => statusKb(child.pid!, 'VmHWM'),
        async kill(signal = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
  });
}
