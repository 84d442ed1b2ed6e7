import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../../log';
import { startExecutor, type RunningExecutor } from './start-executor';
import type { ThreadCall, ThreadMessage, ThreadWorkerData } from './thread-messages';

const port = parentPort!;
const post = (message: ThreadMessage) => port.postMessage(message);
const { options } = workerData as ThreadWorkerData;
const { logLevel, logFields, trace, ...executorOptions } = options;

function answer(executor: RunningExecutor, call: ThreadCall): Promise<unknown> {
  switch (call.method) {
    case 'registerApp':
      return executor.registerApp(...call.args);
    case 'idle':
      return executor.idle();
    case 'getRun':
      return executor.getRun(...call.args);
    case 'listRuns':
      return executor.listRuns(...call.args);
    case 'stop':
      return executor.stop();
  }
}

startExecutor({
  ...executorOptions,
  clock: 'real',
  logger: createLogger(logLevel, logFields),
  trace: trace
    ? { fired: (job, at) => post({ kind: 'fired', job, at }), callSent: (runId, at) => post({ kind: 'callSent', runId, at }) }
    : undefined,
}).then(
  (executor) => {
    port.on('message', (call: ThreadCall) =>
      answer(executor, call).then(
        (value) => post({ kind: 'reply', id: call.id, ok: true, value }),
        (error: Error) => post({ kind: 'reply', id: call.id, ok: false, message: error.message }),
      ),
    );
    post({ kind: 'ready', url: executor.url, port: executor.port });
  },
  (error: Error) => post({ kind: 'failed', name: error.name, message: error.message }),
);
