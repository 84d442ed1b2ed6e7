import http from 'node:http';
import https from 'node:https';

/** Response headers by lower-case name (what the engine reads: retry-after, x-inngest-no-retry). */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface AppResponse {
  status: number;
  headers: HeaderLookup;
  text: string;
}

/**
 * POSTs to the app's serve endpoint over kept-alive connections. node:http rather than fetch: a call is on the path
 * from a timer's due time to the step, and fetch costs several times more CPU per request on the event loop that the
 * timers (and, under `npm start`, the app) share; the agents keep connections open, so a call sets none up.
 */
export class AppClient {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 256, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 256, scheduling: 'lifo' }),
  };

  async post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<AppResponse> {
    try {
      return await this.send(url, headers, body, signal);
    } catch (error) {
      // A kept-alive connection that the server closed as the request went out: once more on a fresh one.
      if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        return this.send(url, headers, body, signal);
      }
      throw error;
    }
  }

  private send(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<AppResponse> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.agents['https:'] : this.agents['http:'],
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const raw = response.headers;
            resolve({
              status: response.statusCode ?? 0,
              headers: {
                get(name) {
                  const value = raw[name.toLowerCase()];
                  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
                },
              },
              text: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      request.on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
      request.end(body);
    });
  }

  close() {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }
}
