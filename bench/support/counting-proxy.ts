import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedExchange {
  at: number;
  method: string;
  path: string;
  target: string | undefined;
  status: number;
  requestBody: string;
  responseBody: string;
}

export interface CountingProxy {
  url: string;
  /** Called for each completed exchange (request and response fully read). */
  onExchange(listener: (exchange: ProxiedExchange) => void): void;
  stop(): Promise<void>;
}

/**
 * A transparent HTTP proxy that sees every request and response: in front of DynamoDB Local it counts
 * operations (X-Amz-Target) and asks for consumed capacity; in front of the SES endpoint it timestamps
 * each accepted email. DynamoDB Local does not check SigV4 signatures, so the body may be amended.
 */
export async function startCountingProxy(targetUrl: string, options: { requestConsumedCapacity?: boolean } = {}): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const listeners: ((e: ProxiedExchange) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks).toString('utf8');
      const amzTarget = req.headers['x-amz-target'] as string | undefined;
      if (options.requestConsumedCapacity && amzTarget && body.startsWith('{')) {
        try {
          const parsed = JSON.parse(body) as Record<string, unknown>;
          if (/\.(PutItem|UpdateItem|DeleteItem|GetItem|Query|TransactWriteItems|TransactGetItems|BatchWriteItem|BatchGetItem|Scan)$/.test(amzTarget)) {
            parsed.ReturnConsumedCapacity ??= 'TOTAL';
            body = JSON.stringify(parsed);
          }
        } catch {
          // Not JSON: forward unchanged.
        }
      }
      const headers: IncomingHttpHeaders = { ...req.headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) };
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          const responseBody = Buffer.concat(out);
          res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(responseBody.length) });
          res.end(responseBody);
          const exchange = { at: Date.now(), method: req.method ?? 'GET', path: req.url ?? '/', target: amzTarget, status: up.statusCode ?? 0, requestBody: body, responseBody: responseBody.toString('utf8') };
          for (const listener of listeners) listener(exchange);
        });
      });
      upstream.on('error', () => {
        res.writeHead(502).end();
      });
      upstream.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    onExchange: (listener) => void listeners.push(listener),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Sums DynamoDB operations and consumed capacity units from proxied exchanges. */
export function createDynamoTally() {
  const operations = new Map<string, number>();
  let capacityUnits = 0;
  let readUnits = 0;
  let writeUnits = 0;
  const record = (e: ProxiedExchange) => {
    if (!e.target) return;
    const op = e.target.split('.').at(-1)!;
    operations.set(op, (operations.get(op) ?? 0) + 1);
    try {
      const parsed = JSON.parse(e.responseBody) as { ConsumedCapacity?: unknown };
      const list = Array.isArray(parsed.ConsumedCapacity) ? parsed.ConsumedCapacity : parsed.ConsumedCapacity ? [parsed.ConsumedCapacity] : [];
      // DynamoDB Local reports only CapacityUnits (TOTAL); the operation says whether they are reads or writes.
      const writes = /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)$/.test(op);
      for (const c of list as { CapacityUnits?: number }[]) {
        capacityUnits += c.CapacityUnits ?? 0;
        if (writes) writeUnits += c.CapacityUnits ?? 0;
        else readUnits += c.CapacityUnits ?? 0;
      }
    } catch {
      // Error bodies carry no capacity.
    }
  };
  const snapshot = () => ({
    requests: [...operations.values()].reduce((a, b) => a + b, 0),
    operations: Object.fromEntries(operations),
    capacityUnits,
    readUnits,
    writeUnits,
  });
  const reset = () => {
    operations.clear();
    capacityUnits = readUnits = writeUnits = 0;
  };
  return { record, snapshot, reset };
}
