import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';

// A CommonJS package: under ESM its default export arrives wrapped once more.
const startSesServer = (sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule;

export interface RunningSes {
  endpoint: string;
  viewerUrl: string;
  stop(): Promise<void>;
}

/** aws-ses-v2-local keeps every email it accepts and shows them at its root URL. */
export async function startSesLocal(port: number): Promise<RunningSes> {
  const server: Server = await startSesServer({ host: '127.0.0.1', port });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    viewerUrl: `${endpoint}/`,
    stop: () => new Promise((done) => server.close(() => done())),
  };
}
