import { serve as serveNode } from '@hono/node-server';
import { Hono } from 'hono';
import type { Inngest, InngestFunction } from 'inngest';
import { serve } from 'inngest/hono';
import type { AddressInfo } from 'node:net';

/**
 * Serves an Inngest app's functions on a loopback port (for benches and tests that sync an app to the executor);
 * `received` sees each call's run id as it arrives (the timer bench's tracing).
 */
export async function serveInngestApp(
  client: Inngest.Any,
  functions: InngestFunction.Any[],
  received?: (runId: string) => void,
): Promise<{ url: string; stop(): Promise<void> }> {
  const app = new Hono();
  if (received)
    app.use('/api/inngest', async (c, next) => {
      const runId = c.req.header('x-run-id');
      if (runId) received(runId);
      await next();
    });
  app.on(['GET', 'PUT', 'POST'], '/api/inngest', serve({ client, functions }));
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
