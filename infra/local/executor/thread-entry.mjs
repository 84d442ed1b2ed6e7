// The executor thread's entry point in plain JavaScript: a worker does not inherit the TypeScript loader of the thread
// that starts it, so it registers its own before it loads the executor.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
