import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';

/** Accepts Inngest events at once (as Inngest Cloud's event API would) and counts them. */
export async function startEventSink() {
  let events = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let count = 1;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        count = Array.isArray(body) ? body.length : 1;
      } catch {
        // counted as one
      }
      events += count;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ids: Array.from({ length: count }, () => ulid()), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    port: (server.address() as AddressInfo).port,
    get events() {
      return events;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
