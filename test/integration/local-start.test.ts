import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../infra/local/ports';

/** Runs `npm start`'s entrypoint as a real process and returns how it ended. */
function runStart(env: Record<string, string>, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('npm start failure modes', () => {
  it('names a taken port and its variable, and exits non-zero', async () => {
    const blocker = createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { code, stderr } = await runStart({ PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr.trim().split('\n').at(-1)).toBe(`npm start: Port ${port} is already in use; free it or set PORT to another port`);
    } finally {
      blocker.close();
    }
  });

  it('says how to install Java when it is missing', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const [port, dynamoPort] = [await findFreePort(), await findFreePort()];
    const { code, stderr } = await runStart({
      PATH: bin,
      PORT: String(port),
      DYNAMODB_LOCAL_PORT: String(dynamoPort),
      DATA_DIR: join(bin, 'data'),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Java was not found on PATH.*openjdk-17/);
  });

  it('names a bad environment variable', async () => {
    const { code, stderr } = await runStart({ SES_LOCAL_PORT: 'seventy' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid environment variable SES_LOCAL_PORT/);
  });
});
