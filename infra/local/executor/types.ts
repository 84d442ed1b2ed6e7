/** Shapes the executor keeps; wire shapes follow the inngest SDK (node_modules/inngest). */

export interface InngestEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  user?: Record<string, unknown>;
  v?: string;
  [key: string]: unknown;
}

export interface FunctionTrigger {
  event?: string;
  expression?: string;
  cron?: string;
}

export interface FunctionConfig {
  id: string;
  name?: string;
  triggers: FunctionTrigger[];
  steps: Record<string, { id: string; name: string; runtime: { type: string; url: string }; retries?: { attempts?: number } }>;
  cancel?: { event: string; if?: string; timeout?: string }[];
  [key: string]: unknown;
}

export interface RegisteredApp {
  appId: string;
  url: string;
  functions: FunctionConfig[];
  syncedAt: string;
}

export type RunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export const runStatuses: readonly RunStatus[] = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'];
export const isTerminal = (status: RunStatus) => status === 'completed' || status === 'failed' || status === 'cancelled';

export type SerializedError = { name: string; message: string; stack?: string; [key: string]: unknown };

/** Memoized step state exactly as the SDK's `steps` request field accepts it. */
export type StepState = { type: 'data'; data: unknown } | { type: 'error'; error: SerializedError };

export type PendingStep =
  | { kind: 'step'; name: string; jobId: string }
  | { kind: 'sleep'; name: string; until: number; jobId: string }
  | { kind: 'wait'; name: string; event: string; expression?: string; until: number; jobId: string }
  | { kind: 'invoke'; name: string; childRunId: string; until?: number; jobId?: string };

export interface HistoryEntry {
  at: string;
  type: string;
  stepId?: string;
  name?: string;
  attempt?: number;
  status?: number;
  durationMs?: number;
  output?: unknown;
  error?: SerializedError;
  detail?: string;
}

export interface Run {
  runId: string;
  functionId: string;
  appId: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  endedAt?: string;
  version: number;
  event: InngestEvent;
  events: InngestEvent[];
  maxAttempts: number;
  steps: Record<string, StepState>;
  stack: string[];
  pending: Record<string, PendingStep>;
  cancelWaits: { event: string; sk: string }[];
  /** Due work (calls, sleeps, timeouts): the executor's in-memory timer index is rebuilt from these on start. */
  jobs?: Job[];
  /** Waits for events (waitForEvent, cancelOn), indexed in memory by event name. */
  waits?: Wait[];
  output?: unknown;
  error?: SerializedError;
  parent?: { runId: string; stepId: string };
  history: HistoryEntry[];
}

export type Job =
  | { jobId: string; kind: 'call'; runId: string; dueAt: number; attempt: number; stepId?: string }
  | { jobId: string; kind: 'sleep'; runId: string; dueAt: number; stepId: string }
  | { jobId: string; kind: 'wait-timeout'; runId: string; dueAt: number; stepId: string }
  | { jobId: string; kind: 'invoke-timeout'; runId: string; dueAt: number; stepId: string };

export interface Wait {
  eventName: string;
  sk: string;
  runId: string;
  stepId?: string;
  kind: 'wait' | 'cancel';
  expression?: string;
  expiresAt?: number;
}
