import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the mail endpoint does: pass through, refuse connections (nothing listens), answer 503, or answer slowly. */
export type MailMode = { kind: 'up' } | { kind: 'refuse' } | { kind: 'error' } | { kind: 'slow'; delayMs: number };

export interface MailOutageProxy {
  url: string;
  mode(): MailMode;
  /** Switches the mode; `refuse` closes the listening socket (connections are refused), leaving it reopens it. */
  set(mode: MailMode): Promise<void>;
  /** Requests per mode that reached the proxy (`refuse` ones never do). */
  counts(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * An outage of the SES endpoint, in the style of transaction-conflict-proxy.ts: an HTTP proxy in front of the local SES
 * endpoint whose behaviour a test switches while workflows try to send.
 */
export async function startMailOutageProxy(targetUrl: string): Promise<MailOutageProxy> {
  const target = new URL(targetUrl);
  let current: MailMode = { kind: 'up' };
  const counts: Record<string, number> = {};

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const mode = current;
      counts[mode.kind] = (counts[mode.kind] ?? 0) + 1;
      const body = Buffer.concat(chunks);
      if (mode.kind === 'error') {
        res
          .writeHead(503, { 'content-type': 'text/xml' })
          .end(
            '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>Service unavailable</Message></Error></ErrorResponse>',
          );
        return;
      }
      if (mode.kind === 'slow') setTimeout(() => forward(req, body, res), mode.delayMs);
      else forward(req, body, res);
    });
  });
  server.keepAliveTimeout = 1000;
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    mode: () => current,
    async set(mode) {
      if (mode.kind === 'refuse' && current.kind !== 'refuse') await close();
      if (mode.kind !== 'refuse' && current.kind === 'refuse') await listen(port);
      current = mode;
    },
    counts: () => ({ ...counts }),
    stop: () => (current.kind === 'refuse' ? Promise.resolve() : close()),
  };
}
