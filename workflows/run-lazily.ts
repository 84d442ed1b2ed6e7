import type { GetStepTools, HandlerWithTriggers } from 'inngest';
import type { WorkflowClient } from './workflow-client';
import type { WorkflowDeps } from './workflow-deps';

/** What a function's implementation receives: the SDK's input for its triggers, with the dependencies built. */
export type WorkflowInput<TTriggers extends readonly unknown[]> = Omit<
  Parameters<HandlerWithTriggers<GetStepTools<WorkflowClient>, TTriggers>>[0],
  'loadDeps'
> & { deps: WorkflowDeps };

interface LoaderInput {
  loadDeps(): Promise<WorkflowDeps>;
}

/**
 * Runs a function's implementation (steps, domain rules, repositories), imported on its first run: serving and syncing
 * the functions needs only their configuration, so the Inngest Lambda's cold start loads none of it. Called from the
 * handler with the SDK's input, so that TypeScript checks the implementation against the function's triggers.
 */
export async function runLazily<TInput extends LoaderInput, TOutput>(
  input: TInput,
  load: () => Promise<{ run: (input: TInput & { deps: WorkflowDeps }) => Promise<TOutput> }>,
): Promise<TOutput> {
  const [{ run }, deps] = await Promise.all([load(), input.loadDeps()]);
  return run({ ...input, deps });
}

/** The `onFailure` of a function that owns a legal clock: the incident is flagged and people are told (steps/automation). */
export function recordFailureLazily(functionId: string) {
  return async ({ event, error, loadDeps }: LoaderInput & { event: FailedRunEvent; error: Error }) => {
    const [{ recordAutomationFailure }, deps] = await Promise.all([import('./steps/automation'), loadDeps()]);
    return recordAutomationFailure(deps, functionId, { event, error });
  };
}

type FailedRunEvent = Parameters<typeof import('./steps/automation').recordAutomationFailure>[2]['event'];
