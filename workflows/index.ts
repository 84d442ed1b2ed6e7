import { dependencyInjectionMiddleware, Inngest } from 'inngest';
import { INNGEST_APP_ID } from './client';
import type { WorkflowDeps } from './workflow-deps';

/**
 * The Inngest client that serves this app's durable functions, with their dependencies injected once,
 * and the functions array `serve()` exposes.
 */
export function createWorkflows(deps: WorkflowDeps, clientOptions: { baseUrl?: string; eventKey?: string; isDev?: boolean } = {}) {
  const client = new Inngest({ id: INNGEST_APP_ID, ...clientOptions, middleware: [dependencyInjectionMiddleware({ deps })] });
  const functions: ReturnType<typeof client.createFunction>[] = [];
  return { client, functions };
}

export type Workflows = ReturnType<typeof createWorkflows>;
