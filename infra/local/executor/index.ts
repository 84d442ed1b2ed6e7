export { startExecutor, type ExecutorOptions, type RunningExecutor } from './start-executor';
export { startExecutorThread, type ExecutorThreadOptions, type ThreadedExecutor } from './thread';
export { VirtualClock, realScheduler, type Scheduler } from './clock';
export { executorTableDefinition } from './table-definition';
export type { Run, RunStatus, HistoryEntry, InngestEvent } from './types';
