import { Worker } from 'node:worker_threads';
import type { LogLevel } from '../../log';
import { StartupError } from '../startup-error';
import { realScheduler } from './clock';
import type { TimerTrace } from './engine';
import type { ExecutorOptions, RunningExecutor } from './start-executor';
import type { ThreadCall, ThreadMessage, ThreadWorkerData } from './thread-messages';
import type { Run } from './types';

export interface ExecutorThreadOptions extends Omit<ExecutorOptions, 'clock' | 'logger' | 'retryBackoffMs' | 'trace'> {
  logLevel?: LogLevel;
  /** Fields on every line the executor logs (e.g. `{ component: 'executor' }`). */
  logFields?: Record<string, unknown>;
  trace?: TimerTrace;
  /** Told when the thread ends on its own after start-up (by default the error is thrown, which ends the process). */
  onCrash?(error: Error): void;
}

/** The executor's handle, and the thread it runs on. */
export interface ThreadedExecutor extends RunningExecutor {
  thread: Worker;
}

type Method = ThreadCall['method'];
type ArgsOf<M extends Method> = Extract<ThreadCall, { method: M }>['args'];

/**
 * Starts the executor (real clock only) on a worker thread of this process: its timers, its DynamoDB traffic and its
 * garbage then stay off the event loop of the app it calls, so a timer that falls due waits for neither. A virtual
 * clock is shared with the caller's code, so it needs `startExecutor` in the same thread.
 */
export function startExecutorThread(options: ExecutorThreadOptions): Promise<ThreadedExecutor> {
  const { logLevel = 'info', logFields = {}, trace, onCrash, ...executorOptions } = options;
  const data: ThreadWorkerData = {
    entry: new URL('./thread-worker.ts', import.meta.url).href,
    options: { ...executorOptions, logLevel, logFields, trace: Boolean(trace) },
  };
  const worker = new Worker(new URL('./thread-entry.mjs', import.meta.url), { workerData: data });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let stopping = false;
  let ended: Error | undefined;

  const call = <M extends Method>(method: M, ...args: ArgsOf<M>) =>
    new Promise<unknown>((resolve, reject) => {
      if (ended) return reject(ended);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } as ThreadCall);
    });

  return new Promise((resolve, reject) => {
    let ready = false;
    const fail = (error: Error) => {
      if (ended) return;
      ended = error;
      for (const { reject: rejectCall } of pending.values()) rejectCall(error);
      pending.clear();
      if (!ready) return reject(error);
      if (stopping) return;
      if (onCrash) onCrash(error);
      else
        process.nextTick(() => {
          throw error;
        });
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The executor thread ended (exit code ${code})`)));
    worker.on('message', (message: ThreadMessage) => {
      switch (message.kind) {
        case 'ready':
          ready = true;
          return resolve({
            url: message.url,
            port: message.port,
            clock: realScheduler,
            thread: worker,
            registerApp: (url) => call('registerApp', url) as ReturnType<RunningExecutor['registerApp']>,
            idle: () => call('idle') as Promise<void>,
            getRun: (runId) => call('getRun', runId) as Promise<Run | undefined>,
            listRuns: (filter) => call('listRuns', filter) as Promise<Run[]>,
            async stop() {
              stopping = true;
              if (!ended) await call('stop').finally(() => worker.terminate());
            },
          });
        case 'failed': {
          const error = message.name === 'StartupError' ? new StartupError(message.message) : new Error(message.message);
          stopping = true;
          void worker.terminate();
          return reject(error);
        }
        case 'reply': {
          const waiting = pending.get(message.id);
          pending.delete(message.id);
          if (message.ok) waiting?.resolve(message.value);
          else waiting?.reject(new Error(message.message));
          return;
        }
        case 'fired':
          return trace?.fired?.(message.job, message.at);
        case 'callSent':
          return trace?.callSent?.(message.runId, message.at);
      }
    });
  });
}
