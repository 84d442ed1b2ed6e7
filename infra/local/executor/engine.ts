import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { Logger } from '../../log';
import { celMatches } from './cel';
import type { Scheduler } from './clock';
import { parseTimeString, resolveDueTime } from './duration';
import { canonicalJson, signBody } from './signing';
import type { ExecutorStore, RunWrite } from './store';
import {
  isTerminal,
  type FunctionConfig,
  type HistoryEntry,
  type InngestEvent,
  type Job,
  type PendingStep,
  type RegisteredApp,
  type Run,
  type SerializedError,
  type StepState,
  type Wait,
} from './types';

/** DynamoDB allows 100 items per transaction. */
const MAX_BATCH_ITEMS = 99;

export interface EngineOptions {
  store: ExecutorStore;
  clock: Scheduler;
  logger: Logger;
  signingKey?: string;
  /** Delay before retry number `attempt` (1-based), on the executor's clock. */
  retryBackoffMs?: (attempt: number) => number;
  requestTimeoutMs?: number;
}

interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
}

type CallOutcome =
  | { kind: 'response'; status: number; headers: Headers; text: string; durationMs: number }
  | { kind: 'network-error'; error: SerializedError; durationMs: number };

const defaultBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 5 * 60_000);
const maxHistory = 300;
const internalEvent = { failed: 'inngest/function.failed', finished: 'inngest/function.finished', cancelled: 'inngest/function.cancelled', invoked: 'inngest/function.invoked' };

/** Seeded PRNG so that ids derived from the same input (a replayed job, a retried send) come out the same. */
function seededUlid(time: number, seed: string): string {
  let counter = 0;
  const prng = () => {
    const digest = createHash('sha256').update(`${seed}:${counter++}`).digest();
    return digest.readUInt32BE(0) / 2 ** 32;
  };
  return ulid(time, prng);
}

const toSerializedError = (value: unknown, fallback: string): SerializedError => {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const message = typeof v.message === 'string' ? v.message : typeof v.error === 'string' ? v.error : fallback;
    return { ...v, name: typeof v.name === 'string' ? v.name : 'Error', message };
  }
  return { name: 'Error', message: typeof value === 'string' && value ? value : fallback };
};

const preview = (value: unknown) => {
  const text = JSON.stringify(value);
  return text !== undefined && text.length > 2000 ? `${text.slice(0, 2000)}…` : value;
};

/**
 * The heart of the local executor: turns events into runs and drives each run through the app's `serve()`
 * endpoint. Every state change is written to DynamoDB (run, jobs, waits in one transaction) before the timers
 * that depend on it are armed, so a restart reloads the jobs and carries on.
 */
export class ExecutionEngine {
  readonly apps = new Map<string, RegisteredApp>();
  private readonly functions = new Map<string, { app: RegisteredApp; config: FunctionConfig }>();
  private readonly timers = new Map<string, () => void>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly aborts = new Set<AbortController>();
  private stopped = false;
  private readonly backoff: (attempt: number) => number;

  constructor(private readonly options: EngineOptions) {
    this.backoff = options.retryBackoffMs ?? defaultBackoff;
  }

  private get store() {
    return this.options.store;
  }
  private get clock() {
    return this.options.clock;
  }
  private now() {
    return this.clock.now().getTime();
  }
  private iso() {
    return this.clock.now().toISOString();
  }

  /** Reloads synced apps and every pending job (sleeps, waits' timeouts, in-flight calls). */
  async load(): Promise<void> {
    for (const app of await this.store.listApps()) this.indexApp(app);
    const jobs = await this.store.listJobs();
    for (const job of jobs.sort((a, b) => a.dueAt - b.dueAt)) this.schedule(job);
    this.options.logger.info('executor state loaded', { apps: this.apps.size, jobs: jobs.length });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    for (const abort of this.aborts) abort.abort();
    await this.idle();
  }

  /** Resolves once no job, call or event processing is in flight. */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.inflight.size === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.inflight.size === 0) return;
      }
      await Promise.allSettled([...this.inflight]);
    }
  }

  listFunctions() {
    return [...this.functions.values()].map(({ app, config }) => ({ appId: app.appId, ...config }));
  }

  // ---- sync ---------------------------------------------------------------------------------------------------

  async registerApp(input: { appId: string; url: string; functions: FunctionConfig[] }): Promise<RegisteredApp> {
    const app: RegisteredApp = { ...input, syncedAt: this.iso() };
    await this.store.putApp(app);
    this.indexApp(app);
    this.options.logger.info('app synced', { appId: app.appId, url: app.url, functions: app.functions.map((f) => f.id) });
    return app;
  }

  private indexApp(app: RegisteredApp) {
    const previous = this.apps.get(app.appId);
    for (const fn of previous?.functions ?? []) this.functions.delete(fn.id);
    this.apps.set(app.appId, app);
    for (const config of app.functions) this.functions.set(config.id, { app, config });
  }

  // ---- events -------------------------------------------------------------------------------------------------

  /** Accepts events durably, matches waits and cancellations, starts triggered runs; returns the event ids. */
  ingest(rawEvents: Record<string, unknown>[], idSeed?: string): Promise<string[]> {
    return this.track(this.ingestNow(rawEvents, idSeed));
  }

  private async ingestNow(rawEvents: Record<string, unknown>[], idSeed?: string): Promise<string[]> {
    const now = this.now();
    const events = rawEvents.map((raw, index): InngestEvent => {
      const id = typeof raw.id === 'string' && raw.id ? raw.id : idSeed ? seededUlid(now, `${idSeed}#${index}`) : ulid(now);
      return {
        ...raw,
        id,
        name: String(raw.name),
        data: raw.data && typeof raw.data === 'object' ? (raw.data as Record<string, unknown>) : {},
        ts: typeof raw.ts === 'number' ? raw.ts : now,
      };
    });
    // Events of one request are independent: they are stored in as few transactions as fit (up to
    // MAX_BATCH_ITEMS items each), and a batch holding a duplicate falls back to one event at a time.
    const planned = events.map((event) => ({ event, runs: this.runsTriggeredBy(event) }));
    const batches: (typeof planned)[] = [];
    let size = Infinity;
    for (const entry of planned) {
      const items = 1 + entry.runs.reduce((n, r) => n + 1 + r.jobs.length + r.waits.length, 0);
      if (size + items > MAX_BATCH_ITEMS) {
        batches.push([]);
        size = 0;
      }
      batches.at(-1)!.push(entry);
      size += items;
    }
    await Promise.all(
      batches.map(async (batch) => {
        const together = batch.length > 1 && (await this.store.putEventsWithRuns(batch, this.iso()));
        for (const { event, runs } of batch) await this.acceptEvent(event, runs, together);
      }),
    );
    return events.map((e) => e.id);
  }

  private runsTriggeredBy(event: InngestEvent) {
    return [...this.functions.values()]
      .filter(({ config }) => config.triggers.some((t) => t.event !== undefined && eventNameMatches(t.event, event.name) && celMatches(t.expression, { event })))
      .map(({ config }) => this.buildRun(config.id, event));
  }

  private async acceptEvent(event: InngestEvent, runs: { run: Run; jobs: Job[]; waits: Wait[] }[], alreadyStored: boolean) {
    if (!alreadyStored && !(await this.store.putEventWithRuns(event, this.iso(), runs))) {
      this.options.logger.debug('duplicate event ignored', { id: event.id, name: event.name });
      return;
    }
    for (const { jobs } of runs) for (const job of jobs) this.schedule(job);
    await this.matchWaits(event);
  }

  private async matchWaits(event: InngestEvent) {
    for (const wait of await this.store.listWaits(event.name)) {
      if (wait.expiresAt !== undefined && wait.expiresAt < this.now()) continue;
      await this.withRunLock(wait.runId, async () => {
        const run = await this.store.getRun(wait.runId);
        if (!run || isTerminal(run.status)) return;
        if (!celMatches(wait.expression, { event: run.event, async: event })) return;
        if (wait.kind === 'cancel') await this.finish(run, { status: 'cancelled', detail: `cancelled by event ${event.name} (${event.id})` });
        else if (wait.stepId) await this.resolveStep(run, wait.stepId, { type: 'data', data: event }, `matched event ${event.name} (${event.id})`);
      });
    }
  }

  // ---- runs ---------------------------------------------------------------------------------------------------

  private buildRun(functionId: string, event: InngestEvent, parent?: Run['parent'], runId = ulid(this.now())): { run: Run; jobs: Job[]; waits: Wait[] } {
    const entry = this.functions.get(functionId);
    if (!entry) throw new Error(`Function ${functionId} is not synced`);
    const { config } = entry;
    const now = this.now();
    const waits: Wait[] = (config.cancel ?? []).map((c, i) => ({
      eventName: c.event,
      sk: `${runId}#cancel#${i}`,
      runId,
      kind: 'cancel',
      expression: c.if,
      expiresAt: c.timeout ? now + (parseTimeString(c.timeout) ?? 0) : undefined,
    }));
    const retries = config.steps.step?.retries?.attempts;
    const run: Run = {
      runId,
      functionId,
      appId: entry.app.appId,
      status: 'queued',
      createdAt: this.iso(),
      updatedAt: this.iso(),
      version: 1,
      event,
      events: [event],
      maxAttempts: (typeof retries === 'number' ? retries : 3) + 1,
      steps: {},
      stack: [],
      pending: {},
      cancelWaits: waits.map(({ eventName, sk }) => ({ event: eventName, sk })),
      parent,
      history: [{ at: this.iso(), type: 'run.queued', detail: `event ${event.name} (${event.id})` }],
    };
    const job: Job = { jobId: jobId({ ...run, version: 0 }, 'call', 'fn', 0), kind: 'call', runId, dueAt: now, attempt: 0 };
    return { run, jobs: [job], waits };
  }

  /** Starts an invoked child run; its id is derived from the parent step, so a replay finds it already there. */
  private async createChildRun(functionId: string, event: InngestEvent, parent: NonNullable<Run['parent']>, runId: string) {
    const { run, jobs, waits } = this.buildRun(functionId, event, parent, runId);
    try {
      await this.write({ run, expectedVersion: undefined, putJobs: jobs, putWaits: waits });
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    void promise.then(
      () => this.inflight.delete(promise),
      () => this.inflight.delete(promise),
    );
    return promise;
  }

  private schedule(job: Job) {
    if (this.stopped) return;
    this.timers.get(job.jobId)?.();
    if (job.dueAt <= this.now()) {
      this.timers.delete(job.jobId);
      void this.track(Promise.resolve().then(() => this.runJob(job)));
      return;
    }
    const cancel = this.clock.schedule(job.dueAt, () => {
      this.timers.delete(job.jobId);
      void this.track(this.runJob(job));
    });
    this.timers.set(job.jobId, cancel);
  }

  private unschedule(jobIdToCancel: string) {
    this.timers.get(jobIdToCancel)?.();
    this.timers.delete(jobIdToCancel);
  }

  private async withRunLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(runId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(runId, settled);
    void settled.then(() => {
      if (this.locks.get(runId) === settled) this.locks.delete(runId);
    });
    return next;
  }

  private async runJob(job: Job): Promise<void> {
    if (this.stopped) return;
    try {
      if (job.kind === 'call') return await this.runCall(job);
      await this.withRunLock(job.runId, async () => {
        const run = await this.store.getRun(job.runId);
        if (!run || isTerminal(run.status) || !run.pending[job.stepId]) return void (await this.store.deleteJob(job.jobId));
        if (job.kind === 'sleep') await this.resolveStep(run, job.stepId, { type: 'data', data: null }, 'sleep finished', job.jobId);
        else if (job.kind === 'wait-timeout') await this.resolveStep(run, job.stepId, { type: 'data', data: null }, 'wait timed out', job.jobId);
        else
          await this.resolveStep(
            run,
            job.stepId,
            { type: 'error', error: { name: 'InngestInvokeTimeoutError', message: 'Timed out waiting for invoked function to complete' } },
            'invoke timed out',
            job.jobId,
          );
      });
    } catch (error) {
      if (this.stopped) return;
      this.options.logger.error('executor job failed; retrying in 1 s', { jobId: job.jobId, error: (error as Error).message });
      // Infrastructure trouble (e.g. DynamoDB briefly away) is retried on real time, whatever the clock.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!this.stopped) void this.track(this.runJob(job));
    }
  }

  private async runCall(job: Extract<Job, { kind: 'call' }>) {
    const before = await this.store.getRun(job.runId);
    if (!before || isTerminal(before.status) || (job.stepId && before.steps[job.stepId])) return void (await this.store.deleteJob(job.jobId));
    const entry = this.functions.get(before.functionId);
    const outcome: CallOutcome = entry
      ? await this.callApp(entry.config, before, job)
      : { kind: 'network-error', error: { name: 'Error', message: `Function ${before.functionId} is not synced` }, durationMs: 0 };
    if (this.stopped) return;
    await this.withRunLock(job.runId, async () => {
      const run = await this.store.getRun(job.runId);
      if (!run || isTerminal(run.status) || run.version < before.version) return void (await this.store.deleteJob(job.jobId));
      await this.applyOutcome(run, job, outcome);
    });
  }

  private async callApp(config: FunctionConfig, run: Run, job: Extract<Job, { kind: 'call' }>): Promise<CallOutcome> {
    const runtimeUrl = config.steps.step?.runtime.url;
    if (!runtimeUrl) return { kind: 'network-error', error: { name: 'Error', message: `Function ${config.id} has no HTTP runtime` }, durationMs: 0 };
    const url = new URL(runtimeUrl);
    url.searchParams.set('fnId', config.id);
    url.searchParams.set('stepId', job.stepId ?? 'step');
    // No ctx.fn_id: without it the SDK never switches to checkpointing (see README).
    const body = canonicalJson({
      version: 2,
      event: run.event,
      events: run.events,
      steps: run.steps,
      ctx: {
        run_id: run.runId,
        attempt: job.attempt,
        max_attempts: run.maxAttempts,
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack: run.stack, current: run.stack.length },
      },
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-inngest-server-kind': this.options.signingKey ? 'cloud' : 'dev',
      'x-run-id': run.runId,
    };
    if (this.options.signingKey) headers['x-inngest-signature'] = signBody(body, this.options.signingKey);
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), this.options.requestTimeoutMs ?? 5 * 60_000);
    const started = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: abort.signal });
      const text = await response.text();
      return { kind: 'response', status: response.status, headers: response.headers, text, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { kind: 'network-error', error: { name: 'FetchError', message: (error as Error).message }, durationMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
    }
  }

  private async applyOutcome(run: Run, job: Extract<Job, { kind: 'call' }>, outcome: CallOutcome) {
    const changes = this.begin(run, job.jobId);
    const base = { attempt: job.attempt, durationMs: outcome.durationMs, stepId: job.stepId };
    if (outcome.kind === 'response' && outcome.status === 200) {
      this.log(run, { type: 'call', status: 200, ...base });
      return this.finish(run, { status: 'completed', output: parseJson(outcome.text) }, changes);
    }
    if (outcome.kind === 'response' && outcome.status === 206) {
      this.log(run, { type: 'call', status: 206, ...base });
      const parsed = parseJson(outcome.text);
      const ops = (Array.isArray(parsed) ? parsed : [parsed]).filter((o): o is Op => !!o && typeof o === 'object' && 'op' in o);
      return this.applyOps(run, job, ops, outcome.headers, changes);
    }
    const error =
      outcome.kind === 'network-error'
        ? outcome.error
        : toSerializedError(parseJson(outcome.text), `The app answered HTTP ${outcome.status}`);
    const noRetry = outcome.kind === 'response' && (outcome.headers.get('x-inngest-no-retry') === 'true' || outcome.status === 400);
    this.log(run, { type: 'call', status: outcome.kind === 'response' ? outcome.status : undefined, error, ...base });
    if (!noRetry && job.attempt + 1 < run.maxAttempts) {
      const retry = this.retryJob(run, job, outcome.kind === 'response' ? outcome.headers : undefined);
      changes.putJobs.push(retry);
      if (job.stepId && run.pending[job.stepId]) run.pending[job.stepId] = { ...(run.pending[job.stepId] as PendingStep & { kind: 'step' }), jobId: retry.jobId };
      this.log(run, { type: 'run.retry-scheduled', attempt: retry.attempt, detail: `at ${new Date(retry.dueAt).toISOString()}` });
      run.status = 'running';
      return this.commit(run, changes);
    }
    return this.finish(run, { status: 'failed', error }, changes);
  }

  private retryJob(run: Run, job: Extract<Job, { kind: 'call' }>, headers?: Headers): Extract<Job, { kind: 'call' }> {
    const attempt = job.attempt + 1;
    return {
      jobId: jobId(run, 'call', job.stepId ?? 'fn', attempt),
      kind: 'call',
      runId: run.runId,
      attempt,
      stepId: job.stepId,
      dueAt: this.now() + (retryAfterMs(headers, this.now()) ?? this.backoff(attempt)),
    };
  }

  private async applyOps(run: Run, job: Extract<Job, { kind: 'call' }>, ops: Op[], headers: Headers, changes: Changes) {
    const now = this.now();
    let completed: { output: unknown } | undefined;
    if (ops.length === 0) ops = [{ id: '', op: 'Unknown' }];
    for (const op of ops) {
      const name = op.displayName ?? op.name ?? op.id;
      const known = run.steps[op.id] !== undefined;
      switch (op.op) {
        case 'StepRun':
        case 'Step':
          if (known) break;
          this.record(run, op.id, { type: 'data', data: op.data ?? null }, changes);
          this.log(run, { type: 'step.completed', stepId: op.id, name, attempt: job.attempt, output: preview(op.data ?? null) });
          break;
        case 'StepFailed':
          if (known) break;
          this.record(run, op.id, { type: 'error', error: toSerializedError(op.error, 'Step failed') }, changes);
          this.log(run, { type: 'step.failed', stepId: op.id, name, attempt: job.attempt, error: toSerializedError(op.error, 'Step failed') });
          break;
        case 'StepError': {
          if (known) break;
          const error = toSerializedError(op.error, 'Step errored');
          this.log(run, { type: 'step.errored', stepId: op.id, name, attempt: job.attempt, error });
          if (job.attempt + 1 >= run.maxAttempts) {
            this.record(run, op.id, { type: 'error', error }, changes);
            break;
          }
          const retry = this.retryJob(run, { ...job, stepId: op.id }, headers);
          changes.putJobs.push(retry);
          run.pending[op.id] = { kind: 'step', name, jobId: retry.jobId };
          break;
        }
        case 'StepPlanned': {
          if (known || run.pending[op.id]) break;
          const planned: Job = { jobId: jobId(run, 'call', op.id, 0), kind: 'call', runId: run.runId, attempt: 0, stepId: op.id, dueAt: now };
          changes.putJobs.push(planned);
          run.pending[op.id] = { kind: 'step', name, jobId: planned.jobId };
          this.log(run, { type: 'step.planned', stepId: op.id, name });
          break;
        }
        case 'Sleep': {
          if (known || run.pending[op.id]) break;
          const until = resolveDueTime(op.name ?? '0s', now);
          const sleep: Job = { jobId: jobId(run, 'sleep', op.id, 0), kind: 'sleep', runId: run.runId, stepId: op.id, dueAt: until };
          changes.putJobs.push(sleep);
          run.pending[op.id] = { kind: 'sleep', name, until, jobId: sleep.jobId };
          this.log(run, { type: 'step.sleeping', stepId: op.id, name, detail: `until ${new Date(until).toISOString()}` });
          break;
        }
        case 'WaitForEvent': {
          if (known || run.pending[op.id]) break;
          const eventName = op.name ?? '';
          const expression = typeof op.opts?.if === 'string' ? op.opts.if : undefined;
          const until = now + (parseTimeString(String(op.opts?.timeout ?? '')) ?? 365 * 86_400_000);
          const timeout: Job = { jobId: jobId(run, 'wait-timeout', op.id, 0), kind: 'wait-timeout', runId: run.runId, stepId: op.id, dueAt: until };
          changes.putJobs.push(timeout);
          changes.putWaits.push({ eventName, sk: `${run.runId}#${op.id}`, runId: run.runId, stepId: op.id, kind: 'wait', expression, expiresAt: until });
          run.pending[op.id] = { kind: 'wait', name, event: eventName, expression, until, jobId: timeout.jobId };
          this.log(run, { type: 'step.waiting', stepId: op.id, name, detail: `for ${eventName}${expression ? ` if ${expression}` : ''} until ${new Date(until).toISOString()}` });
          break;
        }
        case 'InvokeFunction': {
          if (known || run.pending[op.id]) break;
          const functionId = String(op.opts?.function_id ?? '');
          if (!this.functions.has(functionId)) {
            const error = { name: 'Error', message: `Could not invoke ${functionId}: no such function is synced` };
            this.record(run, op.id, { type: 'error', error }, changes);
            this.log(run, { type: 'step.failed', stepId: op.id, name, error });
            break;
          }
          const payload = (op.opts?.payload ?? {}) as { data?: Record<string, unknown>; v?: string };
          const createdAt = Date.parse(run.createdAt);
          const childRunId = seededUlid(createdAt, `${run.runId}#${op.id}`);
          changes.after.push(async () => {
            const event: InngestEvent = {
              id: seededUlid(createdAt, `${run.runId}#${op.id}#event`),
              name: internalEvent.invoked,
              data: { ...(payload.data ?? {}), _inngest: { source_app_id: run.appId, source_fn_id: run.functionId, source_run_id: run.runId, invoke_correlation_id: `${run.runId}.${op.id}` } },
              ts: now,
              ...(payload.v ? { v: payload.v } : {}),
            };
            await this.store.putEventOnce(event, this.iso());
            await this.createChildRun(functionId, event, { runId: run.runId, stepId: op.id }, childRunId);
          });
          const timeoutMs = typeof op.opts?.timeout === 'string' ? parseTimeString(op.opts.timeout) : undefined;
          let timeoutJobId: string | undefined;
          if (timeoutMs !== undefined) {
            const timeout: Job = { jobId: jobId(run, 'invoke-timeout', op.id, 0), kind: 'invoke-timeout', runId: run.runId, stepId: op.id, dueAt: now + timeoutMs };
            changes.putJobs.push(timeout);
            timeoutJobId = timeout.jobId;
          }
          run.pending[op.id] = { kind: 'invoke', name, childRunId, until: timeoutMs === undefined ? undefined : now + timeoutMs, jobId: timeoutJobId };
          this.log(run, { type: 'step.invoking', stepId: op.id, name, detail: `${functionId} as run ${childRunId}` });
          break;
        }
        case 'RunComplete':
          completed = { output: op.data ?? null };
          break;
        case 'DeferAdd':
        case 'DeferAbort':
          this.log(run, { type: 'step.ignored', stepId: op.id, name, detail: `${op.op} is not supported locally` });
          break;
        default: {
          if (!op.id || known) {
            this.log(run, { type: 'call.empty', detail: 'the app reported no operations' });
            break;
          }
          const error = { name: 'NotSupportedError', message: `${op.op} is not supported by the local executor` };
          this.record(run, op.id, { type: 'error', error }, changes);
          this.log(run, { type: 'step.failed', stepId: op.id, name, error });
        }
      }
    }
    if (completed) return this.finish(run, { status: 'completed', output: completed.output }, changes);
    this.continueOrWait(run, changes);
    return this.commit(run, changes);
  }

  /** When nothing is outstanding the function is called again to discover what follows. */
  private continueOrWait(run: Run, changes: Changes) {
    const pending = Object.values(run.pending);
    if (pending.length === 0) {
      const discovery: Job = { jobId: jobId(run, 'call', 'fn', 0), kind: 'call', runId: run.runId, attempt: 0, dueAt: this.now() };
      changes.putJobs.push(discovery);
      run.status = 'running';
    } else {
      run.status = pending.some((p) => p.kind === 'step') ? 'running' : 'waiting';
    }
  }

  private async resolveStep(run: Run, stepId: string, state: StepState, detail: string, firedJobId?: string) {
    const pending = run.pending[stepId];
    if (!pending) return;
    const changes = this.begin(run, firedJobId);
    if (pending.jobId && pending.jobId !== firedJobId) changes.deleteJobIds.push(pending.jobId);
    if (pending.kind === 'wait') changes.deleteWaits.push({ eventName: pending.event, sk: `${run.runId}#${stepId}` });
    this.record(run, stepId, state, changes);
    this.log(run, {
      type: state.type === 'data' ? 'step.completed' : 'step.failed',
      stepId,
      name: pending.name,
      detail,
      ...(state.type === 'data' ? { output: preview(state.data) } : { error: state.error }),
    });
    this.continueOrWait(run, changes);
    await this.commit(run, changes);
  }

  private record(run: Run, stepId: string, state: StepState, changes: Changes) {
    const pending = run.pending[stepId];
    if (pending?.jobId && !changes.deleteJobIds.includes(pending.jobId) && !changes.putJobs.some((j) => j.jobId === pending.jobId)) {
      changes.deleteJobIds.push(pending.jobId);
    }
    delete run.pending[stepId];
    run.steps[stepId] = state;
    run.stack.push(stepId);
  }

  private async finish(
    run: Run,
    end: { status: 'completed'; output: unknown } | { status: 'failed'; error: SerializedError } | { status: 'cancelled'; detail: string },
    changes: Changes = this.begin(run),
  ) {
    run.status = end.status;
    run.endedAt = this.iso();
    for (const [stepId, pending] of Object.entries(run.pending)) {
      if (pending.jobId) changes.deleteJobIds.push(pending.jobId);
      if (pending.kind === 'wait') changes.deleteWaits.push({ eventName: pending.event, sk: `${run.runId}#${stepId}` });
    }
    run.pending = {};
    changes.deleteWaits.push(...run.cancelWaits.map((w) => ({ eventName: w.event, sk: w.sk })));
    changes.putJobs = [];
    if (end.status === 'completed') {
      run.output = end.output;
      this.log(run, { type: 'run.completed', output: preview(end.output) });
    } else if (end.status === 'failed') {
      run.error = end.error;
      this.log(run, { type: 'run.failed', error: end.error });
    } else {
      this.log(run, { type: 'run.cancelled', detail: end.detail });
    }
    const { parent } = run;
    const error = end.status === 'failed' ? end.error : end.status === 'cancelled' ? { name: 'Error', message: 'Invoked run was cancelled' } : undefined;
    changes.after.push(async () => {
      if (parent) {
        await this.withRunLock(parent.runId, async () => {
          const parentRun = await this.store.getRun(parent.runId);
          if (!parentRun || isTerminal(parentRun.status)) return;
          const state: StepState = error ? { type: 'error', error } : { type: 'data', data: end.status === 'completed' ? (end.output ?? null) : null };
          await this.resolveStep(parentRun, parent.stepId, state, `invoked run ${run.runId} ${end.status}`);
        });
      }
      const base = { function_id: run.functionId, run_id: run.runId, event: run.event };
      const follow: Record<string, unknown>[] = [];
      if (end.status === 'failed') follow.push({ name: internalEvent.failed, data: { ...base, error: end.error } });
      if (end.status === 'cancelled') follow.push({ name: internalEvent.cancelled, data: base });
      follow.push({
        name: internalEvent.finished,
        data: { ...base, ...(end.status === 'completed' ? { result: end.output ?? null } : { error: error ?? null }) },
      });
      await this.ingestNow(
        follow.map((e, i) => ({ ...e, id: seededUlid(Date.parse(run.createdAt), `${run.runId}#${end.status}#${i}`) })),
      );
    });
    await this.commit(run, changes);
  }

  private begin(run: Run, firedJobId?: string): Changes {
    return { expectedVersion: run.version, putJobs: [], deleteJobIds: firedJobId ? [firedJobId] : [], putWaits: [], deleteWaits: [], after: [] };
  }

  private async commit(run: Run, changes: Changes) {
    if (this.stopped) return;
    run.version = changes.expectedVersion + 1;
    run.updatedAt = this.iso();
    if (!run.startedAt && run.status !== 'queued') run.startedAt = run.updatedAt;
    await this.write({ run, ...changes });
    for (const after of changes.after) await after();
  }

  private async write(input: RunWrite & { run: Run }) {
    await this.store.writeRun(input);
    for (const id of input.deleteJobIds ?? []) this.unschedule(id);
    for (const job of input.putJobs ?? []) this.schedule(job);
  }

  private log(run: Run, entry: Omit<HistoryEntry, 'at'>) {
    run.history.push({ at: this.iso(), ...entry });
    if (run.history.length > maxHistory) run.history.splice(1, run.history.length - maxHistory);
  }
}

interface Changes {
  expectedVersion: number;
  putJobs: Job[];
  deleteJobIds: string[];
  putWaits: Wait[];
  deleteWaits: { eventName: string; sk: string }[];
  /** Work that follows a successful commit (child runs, internal events). */
  after: (() => Promise<void>)[];
}

/** Deterministic: replaying a job after a crash produces the same follow-up job ids, so writes overwrite. */
const jobId = (run: Run, kind: Job['kind'], stepId: string, attempt: number) => `${run.runId}#v${run.version}#${kind}#${stepId}#${attempt}`;

function eventNameMatches(pattern: string, name: string) {
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
