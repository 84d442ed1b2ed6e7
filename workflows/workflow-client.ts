import { dependencyInjectionMiddleware, Inngest } from 'inngest';
import { INNGEST_APP_ID } from './client';
import type { WorkflowDeps } from './workflow-deps';

/** The client that serves the durable functions; every handler receives the dependencies as `deps`. */
export function createWorkflowClient(deps: WorkflowDeps, options: { baseUrl?: string; eventKey?: string; isDev?: boolean } = {}) {
  return new Inngest({ id: INNGEST_APP_ID, ...options, middleware: [dependencyInjectionMiddleware({ deps })] });
}

export type WorkflowClient = ReturnType<typeof createWorkflowClient>;
