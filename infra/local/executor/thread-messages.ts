import type { LogLevel } from '../../log';
import type { ExecutorOptions, RunningExecutor } from './start-executor';
import type { Job } from './types';

/** What the thread is started with: the executor's options that can cross a thread boundary (no functions, no clock). */
export interface ThreadWorkerData {
  entry: string;
  options: Omit<ExecutorOptions, 'clock' | 'logger' | 'retryBackoffMs' | 'trace'> & {
    logLevel: LogLevel;
    logFields: Record<string, unknown>;
    trace: boolean;
  };
}

export type ThreadCall =
  | { id: number; method: 'registerApp'; args: [url: string] }
  | { id: number; method: 'idle'; args: [] }
  | { id: number; method: 'getRun'; args: [runId: string] }
  | { id: number; method: 'listRuns'; args: [filter?: Parameters<RunningExecutor['listRuns']>[0]] }
  | { id: number; method: 'stop'; args: [] };

export type ThreadMessage =
  | { kind: 'ready'; url: string; port: number }
  | { kind: 'failed'; name: string; message: string }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; message: string }
  | { kind: 'fired'; job: Job; at: number }
  | { kind: 'callSent'; runId: string; at: number };
