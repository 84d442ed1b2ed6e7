import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { startS3ConditionsProxy } from './s3-conditions';

export interface RunningS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * A real S3-compatible HTTP endpoint for the evidence vault. s3rver is the S3 emulator that installs from npm and
 * runs on Node 20 with no native parts (its maintained fork needs Node 24). It checks presigned URLs' expiry but
 * not their SigV4 signature, so the API verifies size, type and SHA-256 itself on completion — as it must anyway;
 * the conditional requests it lacks are added by a proxy in front of it (s3-conditions.ts), which is what listens on `port`.
 * Objects are kept under `directory` (the data folder with `npm start`, a temporary folder in tests).
 */
export async function startS3Local(options: { port: number; bucket: string; directory?: string }): Promise<RunningS3> {
  const temporary = !options.directory;
  const directory = options.directory ?? join(tmpdir(), `breach-response-s3-${process.pid}-${Date.now()}`);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: options.bucket }] });
  const { port } = await server.run();
  const proxy = await startS3ConditionsProxy(`http://127.0.0.1:${port}`, options.port).catch(async (error) => {
    await server.close();
    throw error;
  });
  const stop = async () => {
    await proxy.stop();
    await server.close();
    if (temporary) rmSync(directory, { recursive: true, force: true });
  };
  return { endpoint: proxy.endpoint, stop };
}
