import { dependencyInjectionMiddleware, Inngest } from 'inngest';
import { INNGEST_APP_ID } from './client';
import type { WorkflowDeps } from './workflow-deps';

/** The dependencies, or how to build them on the first run (the Lambda, whose cold start then builds none of them). */
export type WorkflowDepsSource = WorkflowDeps | (() => Promise<WorkflowDeps>);

/** The client that serves the durable functions; every handler receives `loadDeps`, which resolves the dependencies. */
export function createWorkflowClient(deps: WorkflowDepsSource, options: { baseUrl?: string; eventKey?: string; isDev?: boolean } = {}) {
  return new Inngest({ id: INNGEST_APP_ID, ...options, middleware: [dependencyInjectionMiddleware({ loadDeps: depsLoader(deps) })] });
}

export type WorkflowClient = ReturnType<typeof createWorkflowClient>;

function depsLoader(source: WorkflowDepsSource): () => Promise<WorkflowDeps> {
  if (typeof source !== 'function') return () => Promise.resolve(source);
  let loading: Promise<WorkflowDeps> | undefined;
  return () => {
    // A failed build is retried by the next run rather than remembered.
    loading ??= source().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}
