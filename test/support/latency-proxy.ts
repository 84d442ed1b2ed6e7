import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface LatencyProxy {
  url: string;
  /** Chunks relayed each way. */
  stats(): { connections: number; chunks: number };
  stop(): Promise<void>;
}

/**
 * A slow network as a TCP proxy, in the style of transaction-conflict-proxy.ts: every chunk is delivered `delayMs`
 * (plus up to `jitterMs`) after it arrived, each direction in order, so a request/answer round trip costs about twice
 * the one-way delay. It knows nothing of HTTP: keep-alive, pipelining and half-closed sockets pass as they are.
 */
export async function startLatencyProxy(targetUrl: string, options: { delayMs: number; jitterMs?: number }): Promise<LatencyProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const counts = { connections: 0, chunks: 0 };
  const oneWay = () => options.delayMs + Math.random() * (options.jitterMs ?? 0);

  /** Relays `from` to `to` late but in order: a chunk never overtakes the one before it. */
  const relay = (from: Socket, to: Socket) => {
    let lastAt = 0;
    from.on('data', (chunk: Buffer) => {
      counts.chunks++;
      const at = Math.max(Date.now() + oneWay(), lastAt);
      lastAt = at;
      setTimeout(() => to.writable && to.write(chunk), at - Date.now());
    });
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastAt - Date.now())));
    from.on('error', () => to.destroy());
    from.on('close', () => setTimeout(() => to.destroy(), Math.max(0, lastAt - Date.now()) + 10));
  };

  const server = createServer((client) => {
    counts.connections++;
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => ({ ...counts }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
