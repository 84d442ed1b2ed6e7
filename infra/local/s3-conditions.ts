import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * s3rver ignores two conditions real S3 enforces, and the evidence vault relies on both: `If-None-Match: *` on
 * a PUT (S3 refuses to overwrite an existing object with 412) and `If-Match` on a GET (S3 answers 412 when the
 * object is no longer the version named). This proxy sits in front of s3rver and applies them with a HEAD of
 * the object before forwarding; everything else passes through untouched. A race between the HEAD and the
 * request is possible here and not in S3 — good enough for a local emulator, never for production.
 */
export async function startS3ConditionsProxy(target: string, port = 0): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const upstream = new URL(target);

  const head = (req: IncomingMessage) =>
    new Promise<{ status: number; etag?: string }>((resolve, reject) => {
      const probe = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: 'HEAD',
          path: req.url,
          headers: { host: req.headers.host, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 500, etag: res.headers.etag });
        },
      );
      probe.on('error', reject);
      probe.end();
    });

  const refuse = (res: ServerResponse, condition: string) => {
    res.writeHead(412, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>${condition}</Condition></Error>`,
    );
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  };

  const server = createServer(async (req, res) => {
    try {
      const noneMatch = req.headers['if-none-match'];
      const match = req.headers['if-match'];
      if (req.method === 'PUT' && noneMatch === '*' && (await head(req)).status === 200) {
        req.resume();
        return refuse(res, 'If-None-Match');
      }
      if (req.method === 'GET' && match) {
        const current = await head(req);
        if (current.status === 200 && current.etag !== match) return refuse(res, 'If-Match');
      }
      forward(req, res);
    } catch {
      res.writeHead(502);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
