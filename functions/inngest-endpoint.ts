import type { Hono } from 'hono';
import { serve } from 'inngest/hono';
import type { Workflows } from '../workflows';

export const INNGEST_PATH = '/api/inngest';

/** The Inngest `serve()` endpoint: the engine syncs functions with PUT and calls steps with POST. */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app whatever its environment (Hono's generics are invariant)
export function mountInngestEndpoint(app: Hono<any>, workflows: Workflows) {
  const handler = serve({ client: workflows.client, functions: workflows.functions });
  app.on(['GET', 'POST', 'PUT'], INNGEST_PATH, (c) => handler(c));
}
