export { startExecutor, type ExecutorOptions, type RunningExecutor } from './start-executor';
export { VirtualClock, realScheduler, type Scheduler } from './clock';
export { executorTableDefinition } from './table-definition';
export type { Run, RunStatus, HistoryEntry, InngestEvent } from './types';
