import { serve } from '@hono/node-server';
import type { App } from './api/app';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export function startNodeServer(app: App, port: number, hostname = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}
