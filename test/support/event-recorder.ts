import { createServer, type Server } from 'node:http';

export interface RecordedEvent {
  id?: string;
  name: string;
  data: Record<string, unknown>;
}

/**
 * Stand-in for Inngest's event API (`POST /e/{key}`) for suites that test what the API emits rather
 * than what workflows do with it; the workflow suites use the local executor instead.
 */
export async function startEventRecorder(): Promise<{
  url: string;
  events: RecordedEvent[];
  failNext(n: number): void;
  stop(): Promise<void>;
}> {
  const events: RecordedEvent[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 503, error: 'unavailable' }));
        return;
      }
      const parsed = JSON.parse(body) as RecordedEvent | RecordedEvent[];
      const batch = Array.isArray(parsed) ? parsed : [parsed];
      events.push(...batch);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ids: batch.map((e) => e.id ?? ''), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    failNext: (n) => (failures = n),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
