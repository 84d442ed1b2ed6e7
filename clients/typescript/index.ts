import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export interface BreachResponseClientOptions {
  /** The API's origin, e.g. http://127.0.0.1:3000 (paths in the document start with /v1). */
  baseUrl: string;
  /** A bearer token (locally: `npm run token`), or a function that returns the current one. */
  token: string | (() => string | Promise<string>);
  fetch?: typeof globalThis.fetch;
}

/** A typed client for the Breach Response API: `client.POST('/v1/breach-incidents', { body })` checks paths and bodies. */
export function createBreachResponseClient({ baseUrl, token, fetch }: BreachResponseClientOptions): Client<paths> {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  const auth: Middleware = {
    async onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${typeof token === 'function' ? await token() : token}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}
