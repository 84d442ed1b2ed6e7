import { createHash } from 'node:crypto';
import { decodeTime, ulid } from 'ulid';
import type { Logger } from '../../log';
import { AppClient, type HeaderLookup } from './app-client';
import { celMatches } from './cel';
import { ConcurrencyLimiter, concurrencyGroups, type ConcurrencyGroup } from './concurrency';
import type { Scheduler } from './clock';
import { parseTimeString, resolveDueTime } from './duration';
import { canonicalJson, signBody } from './signing';
import type { ExecutorStore } from './store';
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

export interface EngineOptions {
  store: ExecutorStore;
  clock: Scheduler;
  logger: Logger;
  signingKey?: string;
  /** Delay before retry number `attempt` (1-based), on the executor's clock. */
  retryBackoffMs?: (attempt: number) => number;
  requestTimeoutMs?: number;
  /** On the real clock, a run is read this long before its timer is due, so that firing costs no database read. */
  prefetchMs?: number;
  /** On the real clock, a waiting run due within this long stays in memory (no read when its timer fires). */
  hotWindowMs?: number;
  /** How long an event accepted before any app was synced is held to be matched again at the first sync. */
  heldEventWindowMs?: number;
  /**
   * App calls in flight at most. More are queued in memory (their jobs are already durable), timers first, so that
   * a burst of new runs neither starves event intake nor delays a timer that falls due.
   */
  maxConcurrentCalls?: number;
  /** Stage timestamps of timer-driven calls (Date.now() ms), for measuring where a timer's lateness goes. */
  trace?: TimerTrace;
}

export interface TimerTrace {
  /** A timer's callback ran (its lateness is `at - job.dueAt`). */
  fired?(job: Job, at: number): void;
  /** The app call that a timer led to was handed to the HTTP client. */
  callSent?(runId: string, at: number): void;
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
  | { kind: 'response'; status: number; headers: HeaderLookup; text: string; durationMs: number }
  | { kind: 'network-error'; error: SerializedError; durationMs: number };

const maxHeldEvents = 10_000;
/**
 * A sender of a burst sends its batches one after another: between two of them intake still counts as under way for
 * this long, so that the runs accepted so far do not take every call slot (and the event loop) from the next batch.
 */
const INTAKE_GRACE_MS = 100;
/** Real-clock timers due within the same second are prefetched together, 250 ms to 1.25 s before they fall due. */
const PREFETCH_SLOT_MS = 1000;
const defaultBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 5 * 60_000);
const maxHistory = 300;
const internalEvent = {
  failed: 'inngest/function.failed',
  finished: 'inngest/function.finished',
  cancelled: 'inngest/function.cancelled',
  invoked: 'inngest/function.invoked',
};

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
 * endpoint. A run's state, its due work (`jobs`) and its waits are one item, written with one conditional PutItem
 * before the timers that depend on it are armed; the timers and waits are indexed in memory and rebuilt from the
 * open runs on start, so a restart carries on where the table says.
 */
export class ExecutionEngine {
  readonly apps = new Map<string, RegisteredApp>();
  private readonly functions = new Map<string, { app: RegisteredApp; config: FunctionConfig }>();
  /** The due-time index: every armed job, by id (its timer's cancel function in `timers`). */
  private readonly jobs = new Map<string, Job>();
  private readonly timers = new Map<string, () => void>();
  /** Job items of tables written before jobs moved into the run item; deleted once handled. */
  private readonly legacyJobs = new Set<string>();
  /** Waits by event name, then by wait key. */
  private readonly waits = new Map<string, Map<string, Wait>>();
  /** Last written body of runs with work under way (waiting and finished runs are dropped), so a step costs no read. */
  private readonly hot = new Map<string, string>();
  /** Event ids being accepted, so that two requests with the same id are taken one after the other. */
  private readonly accepting = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly aborts = new Set<AbortController>();
  private stopped = false;
  private activeCalls = 0;
  private ingesting = 0;
  /** Until when (performance.now()) intake counts as under way after its last request ended (see INTAKE_GRACE_MS). */
  private intakeGraceUntil = 0;
  private intakeGraceTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly callQueue: { urgent: QueuedCall[]; normal: QueuedCall[] } = { urgent: [], normal: [] };
  private readonly limiter = new ConcurrencyLimiter();
  /** Concurrency groups of open runs whose function declares `concurrency`, so a queued call needs no read to find them. */
  private readonly groupsByRun = new Map<string, ConcurrencyGroup[]>();
  private readonly backoff: (attempt: number) => number;
  private readonly appClient = new AppClient();
  /** Prefetch timers by slot start (see schedule): one timer and one read per slot. */
  private readonly prefetchSlots = new Map<number, { members: Set<SlotMember>; cancel: () => void }>();
  /** Runs with a fused timer call in flight, until its outcome is written: the run's other timers wait for it. */
  private readonly fusing = new Map<string, Promise<void>>();
  /** Events accepted before any app was synced (see startHeldRuns). */
  private readonly held: { event: InngestEvent; at: number }[] = [];

  /**
   * Events wait for `load()`: the HTTP server listens first (the app's out-of-band sync needs it), and an event accepted
   * before the synced apps are known would start no run and be acknowledged all the same — a lost trigger. Found by the
   * heavy kill case: an incident never triaged, with no failed run.
   */
  private markLoaded: () => void = () => undefined;
  private readonly loaded = new Promise<void>((resolve) => {
    this.markLoaded = resolve;
  });

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
    const [runs, legacy] = await Promise.all([this.store.listOpenRuns(), this.store.listJobs()]);
    const due: Job[] = [];
    for (const raw of runs) {
      const run = this.normalize(raw);
      due.push(...run.jobs!);
      for (const wait of run.waits!) this.indexWait(wait);
    }
    for (const job of legacy) {
      if (due.some((j) => j.jobId === job.jobId)) continue;
      this.legacyJobs.add(job.jobId);
      due.push(job);
    }
    for (const job of due.sort((a, b) => a.dueAt - b.dueAt)) this.schedule(job);
    this.markLoaded();
    this.options.logger.info('executor state loaded', {
      apps: this.apps.size,
      openRuns: runs.length,
      jobs: due.length,
      legacyJobs: legacy.length,
    });
  }

  /** Gives a run read from an older table its `jobs` and `waits` (from the legacy job items and its pending steps). */
  private normalize(run: Run): Run {
    this.rememberGroups(run);
    if (!run.jobs) run.jobs = [...this.jobs.values()].filter((j) => j.runId === run.runId && this.legacyJobs.has(j.jobId));
    if (!run.waits) {
      const config = this.functions.get(run.functionId)?.config;
      const created = Date.parse(run.createdAt);
      run.waits = [
        ...Object.entries(run.pending).flatMap(([stepId, p]): Wait[] =>
          p.kind === 'wait'
            ? [
                {
                  eventName: p.event,
                  sk: `${run.runId}#${stepId}`,
                  runId: run.runId,
                  stepId,
                  kind: 'wait',
                  expression: p.expression,
                  expiresAt: p.until,
                },
              ]
            : [],
        ),
        ...run.cancelWaits.map(({ event, sk }): Wait => {
          const cancel = config?.cancel?.[Number(sk.split('#').at(-1))];
          const timeout = cancel?.timeout ? parseTimeString(cancel.timeout) : undefined;
          return {
            eventName: event,
            sk,
            runId: run.runId,
            kind: 'cancel',
            expression: cancel?.if,
            expiresAt: timeout === undefined ? undefined : created + timeout,
          };
        }),
      ];
    }
    return run;
  }

  private rememberGroups(run: Run) {
    const config = this.functions.get(run.functionId)?.config;
    const groups = config && !isTerminal(run.status) ? concurrencyGroups(config, run.event) : [];
    if (groups.length > 0) this.groupsByRun.set(run.runId, groups);
    else this.groupsByRun.delete(run.runId);
  }

  private indexWait(wait: Wait) {
    let byKey = this.waits.get(wait.eventName);
    if (!byKey) this.waits.set(wait.eventName, (byKey = new Map()));
    byKey.set(wait.sk, wait);
  }

  private unindexWait(eventName: string, sk: string) {
    const byKey = this.waits.get(eventName);
    if (!byKey) return;
    byKey.delete(sk);
    if (byKey.size === 0) this.waits.delete(eventName);
  }

  /** The run as last written: from memory while it is under way, else one consistent read. A fresh copy each time. */
  private async loadRun(runId: string): Promise<Run | undefined> {
    const body = this.hot.get(runId);
    if (body !== undefined) return JSON.parse(body) as Run;
    const run = await this.store.getRun(runId);
    return run && this.normalize(run);
  }

  /**
   * On the real clock a waiting run whose next timer is due within `hotWindowMs` stays in memory: its timer then fires
   * with no read at all (nor the prefetch read), and the memory held is bounded by the runs due in the next minute.
   */
  private dueSoon(run: Run) {
    if (this.clock.kind !== 'real') return false;
    const horizon = this.now() + (this.options.hotWindowMs ?? 60_000);
    return run.jobs!.some((j) => j.dueAt <= horizon);
  }

  /**
   * Reads sleeping runs shortly before their timers are due (those of one prefetch slot together: one request, at one
   * moment, rather than one read landing on each other timer's due time), so that each timer fires straight into the
   * app call. Only runs whose lock is free are read: each lock is taken in this turn, before the read is issued, so no
   * write of the run can fall between the read and the caching; a busy run is under way and cached already.
   */
  private prefetch(runIds: Iterable<string>) {
    if (this.stopped) return;
    const wanted = [...new Set(runIds)].filter((runId) => !this.hot.has(runId) && !this.locks.has(runId));
    if (wanted.length === 0) return;
    let read: Promise<Map<string, Run>> | undefined;
    for (const runId of wanted)
      void this.withRunLock(runId, async () => {
        const run = (await read!)?.get(runId);
        if (run && !this.stopped && !isTerminal(run.status) && !this.hot.has(runId))
          this.hot.set(runId, JSON.stringify(this.normalize(run)));
      });
    read = this.store.getRuns(wanted).catch(() => new Map<string, Run>());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.intakeGraceTimer);
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.jobs.clear();
    this.hot.clear();
    for (const abort of this.aborts) abort.abort();
    await this.idle();
    this.appClient.close();
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
    const first = this.apps.size === 0;
    this.indexApp(app);
    this.options.logger.info('app synced', { appId: app.appId, url: app.url, functions: app.functions.map((f) => f.id) });
    if (first) await this.track(this.startHeldRuns());
    return app;
  }

  /**
   * Events accepted before any app was ever synced (a brand-new table: the app's first sync races its first events)
   * matched no function; they are held for `heldEventWindowMs` and matched again at the first sync, so that they start
   * the runs they would have. In memory only: a restart in that window forgets them (their log items stay).
   */
  private async startHeldRuns() {
    const since = this.now() - (this.options.heldEventWindowMs ?? 5 * 60_000);
    const held = this.held.splice(0).filter((h) => h.at >= since);
    const planned = held
      .map(({ event }) => ({ event, runs: this.runsTriggeredBy(event).map((r) => r.run) }))
      .filter((p) => p.runs.length > 0);
    if (planned.length === 0) return;
    const stored = await this.store.existing(
      [],
      planned.flatMap((p) => p.runs.map((r) => r.runId)),
    );
    const runs = planned.flatMap((p) => p.runs.filter((r) => !stored.runs.has(r.runId)));
    await this.store.putNewRuns(runs);
    for (const p of planned)
      await this.store.setEventRuns(
        p.event.id,
        p.runs.map((r) => r.runId),
      );
    for (const run of runs) this.started(run);
    this.options.logger.info('events accepted before the first sync started their runs', { events: planned.length, runs: runs.length });
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
    // Only intake from outside counts as intake for the call slots (not the events the engine emits itself).
    this.ingesting++;
    return this.track(
      this.ingestNow(rawEvents, idSeed).finally(() => {
        this.ingesting--;
        this.intakeGraceUntil = performance.now() + INTAKE_GRACE_MS;
        this.pumpCalls();
      }),
    );
  }

  private async ingestNow(rawEvents: Record<string, unknown>[], idSeed?: string): Promise<string[]> {
    await this.loaded;
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
    // Another request carrying one of these ids goes first: what it stored is then seen as there.
    await Promise.all(events.map((e) => this.accepting.get(e.id)));
    let done: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (done = resolve));
    for (const e of events) this.accepting.set(e.id, settled);
    try {
      await this.acceptEvents(events);
    } finally {
      for (const e of events) if (this.accepting.get(e.id) === settled) this.accepting.delete(e.id);
      done();
    }
    return events.map((e) => e.id);
  }

  /**
   * Durable before acknowledged, without transactions: the runs an event starts are stored (their ids follow from
   * the event id and the function, and each run carries its event), and an event that starts no run is stored
   * itself, before the sender hears back. The event log item of an event that started runs is written just after.
   * An event is a duplicate when its log item exists or every run it starts exists already; a crash between storing
   * some of its runs and the rest leaves open runs that a restart carries on, and the sender's retry (it got no 2xx)
   * stores the rest and re-creates nothing.
   */
  private async acceptEvents(events: InngestEvent[]) {
    const seen = new Set<string>();
    const planned = events.flatMap((event) => {
      if (seen.has(event.id)) return [];
      seen.add(event.id);
      return [{ event, runs: this.runsTriggeredBy(event).map((r) => r.run) }];
    });
    const stored = await this.store.existing(
      planned.map((p) => p.event.id),
      planned.flatMap((p) => p.runs.map((r) => r.runId)),
    );
    const duplicate = (p: (typeof planned)[number]) =>
      stored.events.has(p.event.id) || (p.runs.length > 0 && p.runs.every((r) => stored.runs.has(r.runId)));
    const fresh = planned.filter((p) => !duplicate(p));
    const receivedAt = this.iso();
    const logItem = (p: (typeof planned)[number]) => ({ event: p.event, runIds: p.runs.map((r) => r.runId) });
    await Promise.all([
      this.store.putNewRuns(fresh.flatMap((p) => p.runs.filter((r) => !stored.runs.has(r.runId)))),
      this.store.putEvents(fresh.filter((p) => p.runs.length === 0).map(logItem), receivedAt),
    ]);
    // Also an event whose runs were stored by an interrupted intake but whose log item was not.
    const logged = planned.filter((p) => p.runs.length > 0 && !stored.events.has(p.event.id));
    if (logged.length > 0)
      void this.track(
        this.store
          .putEvents(logged.map(logItem), receivedAt)
          .catch((error) => this.options.logger.warn('event log write failed', { error: (error as Error).message })),
      );
    for (const p of planned) {
      const dup = duplicate(p);
      if (dup) this.options.logger.debug('duplicate event ignored', { id: p.event.id, name: p.event.name });
      if (!dup && this.apps.size === 0 && this.held.length < maxHeldEvents) this.held.push({ event: p.event, at: this.now() });
      for (const run of p.runs) {
        // A run stored while the event's log item is missing comes from an interrupted intake: take it on.
        if (stored.runs.has(run.runId)) {
          if (!stored.events.has(p.event.id)) await this.adopt(run.runId);
        } else if (!dup) this.started(run);
      }
      if (!dup) await this.matchWaits(p.event);
    }
  }

  /** Takes on a run stored by an earlier, interrupted intake: indexes its waits and arms what is not armed yet. */
  private async adopt(runId: string) {
    if (this.hot.has(runId)) return;
    const run = await this.store.getRun(runId);
    if (!run || isTerminal(run.status)) return;
    this.normalize(run);
    for (const wait of run.waits!) this.indexWait(wait);
    for (const job of run.jobs!) if (!this.jobs.has(job.jobId)) this.schedule(job);
  }

  private runsTriggeredBy(event: InngestEvent) {
    return [...this.functions.values()]
      .filter(({ config }) =>
        config.triggers.some((t) => t.event !== undefined && eventNameMatches(t.event, event.name) && celMatches(t.expression, { event })),
      )
      .map(({ config }) => this.buildRun(config.id, event, undefined, runIdFor(event, config.id)));
  }

  /** Indexes a run just written for the first time: its waits, its first call, and its body for that call. */
  private started(run: Run) {
    this.rememberGroups(run);
    this.hot.set(run.runId, JSON.stringify(run));
    for (const wait of run.waits!) this.indexWait(wait);
    for (const job of run.jobs!) this.schedule(job);
  }

  private async matchWaits(event: InngestEvent) {
    // In key order (run ids are ULIDs), so that a replayed scenario matches in the same order.
    const waits = [...(this.waits.get(event.name)?.values() ?? [])].sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    for (const wait of waits) {
      if (wait.expiresAt !== undefined && wait.expiresAt < this.now()) continue;
      await this.withRunLock(wait.runId, async () => {
        const run = await this.loadRun(wait.runId);
        if (!run || isTerminal(run.status)) return;
        if (!run.waits!.some((w) => w.sk === wait.sk)) return;
        if (!celMatches(wait.expression, { event: run.event, async: event })) return;
        if (wait.kind === 'cancel')
          await this.finish(run, { status: 'cancelled', detail: `cancelled by event ${event.name} (${event.id})` });
        else if (wait.stepId)
          await this.resolveStep(run, wait.stepId, { type: 'data', data: event }, `matched event ${event.name} (${event.id})`);
      });
    }
  }

  // ---- runs ---------------------------------------------------------------------------------------------------

  private buildRun(functionId: string, event: InngestEvent, parent?: Run['parent'], runId = ulid(this.now())): { run: Run } {
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
    run.jobs = [job];
    run.waits = waits;
    return { run };
  }

  /** Starts an invoked child run; its id is derived from the parent step, so a replay finds it already there. */
  private async createChildRun(functionId: string, event: InngestEvent, parent: NonNullable<Run['parent']>, runId: string) {
    const { run } = this.buildRun(functionId, event, parent, runId);
    if (await this.store.putRun(run, undefined)) this.started(run);
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
    this.jobs.set(job.jobId, job);
    const fire = () => {
      this.options.trace?.fired?.(job, Date.now());
      this.timers.delete(job.jobId);
      this.jobs.delete(job.jobId);
      return this.track(this.runJob(job));
    };
    if (job.dueAt <= this.now()) {
      this.timers.delete(job.jobId);
      this.jobs.delete(job.jobId);
      void this.track(Promise.resolve().then(() => this.runJob(job)));
      return;
    }
    const prefetchMs = this.options.prefetchMs ?? 250;
    if (this.clock.kind === 'real' && job.kind !== 'call' && job.dueAt - this.now() > prefetchMs) {
      // Two stages on the real clock: the run is read a little early, with the others of its prefetch slot (those due
      // within the same second), then its timer fires on time from memory.
      let cancelFire: (() => void) | undefined;
      const member: SlotMember = {
        runId: job.runId,
        arm: () => {
          cancelFire = this.clock.schedule(job.dueAt, fire);
        },
      };
      const slotAt = Math.floor((job.dueAt - prefetchMs) / PREFETCH_SLOT_MS) * PREFETCH_SLOT_MS;
      let slot = this.prefetchSlots.get(slotAt);
      if (!slot) {
        const members = new Set<SlotMember>();
        slot = { members, cancel: this.clock.schedule(slotAt, () => this.firePrefetchSlot(slotAt, members)) };
        this.prefetchSlots.set(slotAt, slot);
      }
      slot.members.add(member);
      const joined = slot;
      this.timers.set(job.jobId, () => {
        cancelFire?.();
        if (joined.members.delete(member) && joined.members.size === 0) {
          joined.cancel();
          if (this.prefetchSlots.get(slotAt) === joined) this.prefetchSlots.delete(slotAt);
        }
      });
      return;
    }
    this.timers.set(job.jobId, this.clock.schedule(job.dueAt, fire));
  }

  private firePrefetchSlot(slotAt: number, members: Set<SlotMember>) {
    if (this.prefetchSlots.get(slotAt)?.members === members) this.prefetchSlots.delete(slotAt);
    const runIds: string[] = [];
    for (const member of members) {
      member.arm();
      runIds.push(member.runId);
    }
    members.clear();
    this.prefetch(runIds);
  }

  private unschedule(jobIdToCancel: string) {
    this.timers.get(jobIdToCancel)?.();
    this.timers.delete(jobIdToCancel);
    this.jobs.delete(jobIdToCancel);
  }

  /**
   * Runs `work` in one of the `maxConcurrentCalls` slots. `urgent` work (a timer that fell due, a retry) goes first;
   * while events are being accepted, other calls get only a few slots: intake (whose sender waits) comes first, and
   * the runs it starts are already stored.
   */
  private async inCallSlot<T>(urgent: boolean, runId: string, work: () => Promise<T>): Promise<T> {
    const groups = this.groupsByRun.get(runId) ?? [];
    await new Promise<void>((start) => {
      (urgent ? this.callQueue.urgent : this.callQueue.normal).push({ groups, start });
      this.pumpCalls();
    });
    try {
      return await work();
    } finally {
      this.activeCalls--;
      this.limiter.release(groups);
      this.pumpCalls();
    }
  }

  /** Starts queued calls while slots are free; a call whose concurrency group is full waits, later ones may pass it. */
  private pumpCalls() {
    const max = this.options.maxConcurrentCalls ?? 32;
    const take = (queue: QueuedCall[]) => {
      const index = queue.findIndex((q) => this.limiter.fits(q.groups));
      return index < 0 ? undefined : queue.splice(index, 1)[0];
    };
    const intakeUnderWay = this.ingesting > 0 || performance.now() < this.intakeGraceUntil;
    if (intakeUnderWay && this.ingesting === 0 && !this.intakeGraceTimer && this.callQueue.normal.length > 0) {
      this.intakeGraceTimer = setTimeout(() => {
        this.intakeGraceTimer = undefined;
        this.pumpCalls();
      }, this.intakeGraceUntil - performance.now());
    }
    for (;;) {
      const normalMax = intakeUnderWay ? Math.min(4, max) : max;
      const next =
        this.activeCalls < max
          ? (take(this.callQueue.urgent) ?? (this.activeCalls < normalMax ? take(this.callQueue.normal) : undefined))
          : undefined;
      if (!next) return;
      this.activeCalls++;
      this.limiter.take(next.groups);
      next.start();
    }
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
      if (job.kind === 'call')
        return await this.inCallSlot(job.attempt > 0 || job.stepId !== undefined, job.runId, () => this.runCall(job));
      let fused: Fused | undefined;
      let behind: Promise<void> | undefined;
      await this.withRunLock(job.runId, async () => {
        // Another timer of this run is in its fused call (its resolution not yet written): this one goes after it.
        behind = this.fusing.get(job.runId);
        if (behind) return;
        const run = await this.loadRun(job.runId);
        if (!run || isTerminal(run.status) || !run.pending[job.stepId]) return void (await this.dropJob(job, run));
        const [state, detail]: [StepState, string] =
          job.kind === 'sleep'
            ? [{ type: 'data', data: null }, 'sleep finished']
            : job.kind === 'wait-timeout'
              ? [{ type: 'data', data: null }, 'wait timed out']
              : [
                  {
                    type: 'error',
                    error: { name: 'InngestInvokeTimeoutError', message: 'Timed out waiting for invoked function to complete' },
                  },
                  'invoke timed out',
                ];
        const baseVersion = run.version;
        const changes = this.resolveInMemory(run, job.stepId, state, detail, job.jobId);
        if (!changes) return;
        // A timer carries no data, so when all it does is let the function go on, the app is called at once and
        // the timer's resolution is written together with the call's outcome (one write instead of two, no wait
        // for the database before the call). A crash in between leaves the timer in the table: it fires again.
        const [call] = changes.putJobs;
        if (
          changes.putJobs.length === 1 &&
          call?.kind === 'call' &&
          !call.stepId &&
          changes.after.length === 0 &&
          this.functions.has(run.functionId)
        ) {
          changes.putJobs = [];
          fused = { run, changes, call, baseVersion, fired: job };
          this.fusing.set(job.runId, new Promise((resolve) => (fused!.done = resolve)));
          return;
        }
        await this.commit(run, changes);
      });
      if (behind) {
        await behind;
        return await this.runJob(job);
      }
      if (fused) {
        const { done } = fused;
        try {
          await this.inCallSlot(true, job.runId, () => this.runFusedCall(fused!));
        } finally {
          this.fusing.delete(job.runId);
          done?.();
        }
      }
    } catch (error) {
      if (this.stopped) return;
      this.hot.delete(job.runId);
      this.options.logger.error('executor job failed; retrying in 1 s', { jobId: job.jobId, error: (error as Error).message });
      // Infrastructure trouble (e.g. DynamoDB briefly away) is retried on real time, whatever the clock.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!this.stopped) void this.track(this.runJob(job));
    }
  }

  private async runFusedCall({ run, changes, call, baseVersion, fired }: Fused) {
    if (this.stopped) return;
    const outcome = await this.callApp(this.functions.get(run.functionId)!.config, run, call);
    if (this.stopped) return;
    await this.withRunLock(run.runId, async () => {
      const current = await this.loadRun(run.runId);
      if (!current || current.version !== baseVersion) {
        // Something else moved the run on during the call (a cancellation, say): the call's outcome is stale.
        if (current && !isTerminal(current.status) && current.jobs!.some((j) => j.jobId === fired.jobId)) this.schedule(fired);
        return;
      }
      await this.applyOutcome(run, call, outcome, changes);
    });
  }

  private async runCall(job: Extract<Job, { kind: 'call' }>) {
    if (this.stopped) return;
    const before = await this.loadRun(job.runId);
    if (!before || isTerminal(before.status) || (job.stepId && before.steps[job.stepId])) {
      return void (await this.withRunLock(job.runId, async () => this.dropJob(job, await this.loadRun(job.runId))));
    }
    const entry = this.functions.get(before.functionId);
    const outcome: CallOutcome = entry
      ? await this.callApp(entry.config, before, job)
      : { kind: 'network-error', error: { name: 'Error', message: `Function ${before.functionId} is not synced` }, durationMs: 0 };
    if (this.stopped) return;
    await this.withRunLock(job.runId, async () => {
      const run = await this.loadRun(job.runId);
      if (!run || isTerminal(run.status) || run.version < before.version) return void (await this.dropJob(job, run));
      await this.applyOutcome(run, job, outcome);
    });
  }

  /** A job that has nothing left to do: forgotten, and removed from its run (or the legacy table) if still there. Under the run's lock. */
  private async dropJob(job: Job, run: Run | undefined) {
    this.unschedule(job.jobId);
    if (this.legacyJobs.delete(job.jobId)) await this.store.deleteJob(job.jobId);
    if (run && !isTerminal(run.status) && run.jobs!.some((j) => j.jobId === job.jobId)) await this.commit(run, this.begin(run, job.jobId));
  }

  private async callApp(config: FunctionConfig, run: Run, job: Extract<Job, { kind: 'call' }>): Promise<CallOutcome> {
    const runtimeUrl = config.steps.step?.runtime.url;
    if (!runtimeUrl)
      return { kind: 'network-error', error: { name: 'Error', message: `Function ${config.id} has no HTTP runtime` }, durationMs: 0 };
    const url = new URL(runtimeUrl);
    url.searchParams.set('fnId', config.id);
    url.searchParams.set('stepId', job.stepId ?? 'step');
    // No ctx.fn_id: without it the SDK never switches to checkpointing (see README). Canonical (sorted) JSON only when
    // signed: the SDK checks the signature over its own canonical form; unsigned, plain JSON costs less at fire time.
    const body = (this.options.signingKey ? canonicalJson : JSON.stringify)({
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
    this.options.trace?.callSent?.(run.runId, Date.now());
    try {
      const response = await this.appClient.post(url, headers, body, abort.signal);
      return { kind: 'response', ...response, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return {
        kind: 'network-error',
        error: { name: 'FetchError', message: (error as Error).message },
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
    }
  }

  private async applyOutcome(run: Run, job: Extract<Job, { kind: 'call' }>, outcome: CallOutcome, changes = this.begin(run, job.jobId)) {
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
      if (job.stepId && run.pending[job.stepId])
        run.pending[job.stepId] = { ...(run.pending[job.stepId] as PendingStep & { kind: 'step' }), jobId: retry.jobId };
      this.log(run, { type: 'run.retry-scheduled', attempt: retry.attempt, detail: `at ${new Date(retry.dueAt).toISOString()}` });
      run.status = 'running';
      return this.commit(run, changes);
    }
    return this.finish(run, { status: 'failed', error }, changes);
  }

  private retryJob(run: Run, job: Extract<Job, { kind: 'call' }>, headers?: HeaderLookup): Extract<Job, { kind: 'call' }> {
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

  private async applyOps(run: Run, job: Extract<Job, { kind: 'call' }>, ops: Op[], headers: HeaderLookup, changes: Changes) {
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
          this.log(run, {
            type: 'step.failed',
            stepId: op.id,
            name,
            attempt: job.attempt,
            error: toSerializedError(op.error, 'Step failed'),
          });
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
          const planned: Job = {
            jobId: jobId(run, 'call', op.id, 0),
            kind: 'call',
            runId: run.runId,
            attempt: 0,
            stepId: op.id,
            dueAt: now,
          };
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
          const timeout: Job = {
            jobId: jobId(run, 'wait-timeout', op.id, 0),
            kind: 'wait-timeout',
            runId: run.runId,
            stepId: op.id,
            dueAt: until,
          };
          changes.putJobs.push(timeout);
          changes.putWaits.push({
            eventName,
            sk: `${run.runId}#${op.id}`,
            runId: run.runId,
            stepId: op.id,
            kind: 'wait',
            expression,
            expiresAt: until,
          });
          run.pending[op.id] = { kind: 'wait', name, event: eventName, expression, until, jobId: timeout.jobId };
          this.log(run, {
            type: 'step.waiting',
            stepId: op.id,
            name,
            detail: `for ${eventName}${expression ? ` if ${expression}` : ''} until ${new Date(until).toISOString()}`,
          });
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
              data: {
                ...(payload.data ?? {}),
                _inngest: {
                  source_app_id: run.appId,
                  source_fn_id: run.functionId,
                  source_run_id: run.runId,
                  invoke_correlation_id: `${run.runId}.${op.id}`,
                },
              },
              ts: now,
              ...(payload.v ? { v: payload.v } : {}),
            };
            await this.store.putEventOnce(event, this.iso());
            await this.createChildRun(functionId, event, { runId: run.runId, stepId: op.id }, childRunId);
          });
          const timeoutMs = typeof op.opts?.timeout === 'string' ? parseTimeString(op.opts.timeout) : undefined;
          let timeoutJobId: string | undefined;
          if (timeoutMs !== undefined) {
            const timeout: Job = {
              jobId: jobId(run, 'invoke-timeout', op.id, 0),
              kind: 'invoke-timeout',
              runId: run.runId,
              stepId: op.id,
              dueAt: now + timeoutMs,
            };
            changes.putJobs.push(timeout);
            timeoutJobId = timeout.jobId;
          }
          run.pending[op.id] = {
            kind: 'invoke',
            name,
            childRunId,
            until: timeoutMs === undefined ? undefined : now + timeoutMs,
            jobId: timeoutJobId,
          };
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
    const changes = this.resolveInMemory(run, stepId, state, detail, firedJobId);
    if (changes) await this.commit(run, changes);
  }

  private resolveInMemory(run: Run, stepId: string, state: StepState, detail: string, firedJobId?: string): Changes | undefined {
    const pending = run.pending[stepId];
    if (!pending) return undefined;
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
    return changes;
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
    changes.deleteWaits.push(...run.waits!.map((w) => ({ eventName: w.eventName, sk: w.sk })));
    changes.deleteJobIds.push(...run.jobs!.map((j) => j.jobId));
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
    const error =
      end.status === 'failed'
        ? end.error
        : end.status === 'cancelled'
          ? { name: 'Error', message: 'Invoked run was cancelled' }
          : undefined;
    const base = { function_id: run.functionId, run_id: run.runId, event: run.event };
    const follow: { name: string; data: Record<string, unknown> }[] = [];
    if (end.status === 'failed') follow.push({ name: internalEvent.failed, data: { ...base, error: end.error } });
    if (end.status === 'cancelled') follow.push({ name: internalEvent.cancelled, data: base });
    follow.push({
      name: internalEvent.finished,
      data: { ...base, ...(end.status === 'completed' ? { result: end.output ?? null } : { error: error ?? null }) },
    });
    const ts = this.now();
    const events = follow.map(
      (e, i): InngestEvent => ({ ...e, ts, id: seededUlid(Date.parse(run.createdAt), `${run.runId}#${end.status}#${i}`) }),
    );
    // Most runs' end events start nothing and match nothing: then there is no duplicate to find, only the log to
    // write, and it goes in the same request as the run's final state (its id is derived, so a replay overwrites the
    // same item): one request per run's end instead of two.
    const inert = (e: InngestEvent) => !this.waits.has(e.name) && this.runsTriggeredBy(e).length === 0;
    changes.logEvents.push(...events.filter(inert));
    const rest = events.filter((e) => !inert(e));
    changes.after.push(async () => {
      if (parent) {
        await this.withRunLock(parent.runId, async () => {
          const parentRun = await this.loadRun(parent.runId);
          if (!parentRun || isTerminal(parentRun.status)) return;
          const state: StepState = error
            ? { type: 'error', error }
            : { type: 'data', data: end.status === 'completed' ? (end.output ?? null) : null };
          await this.resolveStep(parentRun, parent.stepId, state, `invoked run ${run.runId} ${end.status}`);
        });
      }
      if (rest.length > 0) await this.ingestNow(rest);
    });
    await this.commit(run, changes);
  }

  private begin(run: Run, firedJobId?: string): Changes {
    return {
      expectedVersion: run.version,
      putJobs: [],
      deleteJobIds: firedJobId ? [firedJobId] : [],
      putWaits: [],
      deleteWaits: [],
      logEvents: [],
      after: [],
    };
  }

  /**
   * Writes the run's new state, due work and waits as one conditional PutItem, then updates the in-memory indexes
   * (timers are armed only once the state that implies them is durable).
   */
  private async commit(run: Run, changes: Changes) {
    if (this.stopped) return;
    const dropped = new Set([...changes.deleteJobIds, ...changes.putJobs.map((j) => j.jobId)]);
    run.jobs = [...run.jobs!.filter((j) => !dropped.has(j.jobId)), ...changes.putJobs];
    const unwaited = new Set([...changes.deleteWaits.map((w) => w.sk), ...changes.putWaits.map((w) => w.sk)]);
    run.waits = [...run.waits!.filter((w) => !unwaited.has(w.sk)), ...changes.putWaits];
    run.version = changes.expectedVersion + 1;
    run.updatedAt = this.iso();
    if (!run.startedAt && run.status !== 'queued') run.startedAt = run.updatedAt;
    const body = JSON.stringify(run);
    // Both puts are issued in the same turn, so that they share one BatchWriteItem.
    const [stored] = await Promise.all([
      this.store.putRun(run, changes.expectedVersion, body),
      changes.logEvents.length > 0 &&
        this.store.putEvents(
          changes.logEvents.map((event) => ({ event, runIds: [] })),
          run.updatedAt,
        ),
    ]);
    if (!stored) {
      this.hot.delete(run.runId);
      throw new Error(`run ${run.runId} was changed by another writer (expected version ${changes.expectedVersion})`);
    }
    if (isTerminal(run.status)) this.groupsByRun.delete(run.runId);
    if (isTerminal(run.status) || (run.status === 'waiting' && !this.dueSoon(run))) this.hot.delete(run.runId);
    else this.hot.set(run.runId, body);
    for (const id of changes.deleteJobIds) {
      if (changes.putJobs.some((j) => j.jobId === id)) continue;
      this.unschedule(id);
      if (this.legacyJobs.delete(id)) await this.store.deleteJob(id).catch(() => undefined);
    }
    for (const w of changes.deleteWaits) this.unindexWait(w.eventName, w.sk);
    for (const w of changes.putWaits) this.indexWait(w);
    for (const job of changes.putJobs) this.schedule(job);
    for (const after of changes.after) await after();
  }

  private log(run: Run, entry: Omit<HistoryEntry, 'at'>) {
    run.history.push({ at: this.iso(), ...entry });
    if (run.history.length > maxHistory) run.history.splice(1, run.history.length - maxHistory);
  }
}

/** A timer waiting in a prefetch slot: its run is read when the slot starts, and then its timer is armed. */
interface SlotMember {
  runId: string;
  arm: () => void;
}

interface QueuedCall {
  groups: ConcurrencyGroup[];
  start: () => void;
}

/** A timer's resolution held in memory while the app is called (see runJob). */
interface Fused {
  /** Lets the run's other timers go (see `fusing`). */
  done?: () => void;
  run: Run;
  changes: Changes;
  call: Extract<Job, { kind: 'call' }>;
  baseVersion: number;
  fired: Job;
}

interface Changes {
  expectedVersion: number;
  putJobs: Job[];
  deleteJobIds: string[];
  putWaits: Wait[];
  deleteWaits: { eventName: string; sk: string }[];
  /** Internal events that start nothing (a run's end): their log items are written with the run. */
  logEvents: InngestEvent[];
  /** Work that follows a successful commit (child runs, internal events). */
  after: (() => Promise<void>)[];
}

/** A run's id follows from its event and function, so that a retried intake finds the runs it stored before. */
function runIdFor(event: InngestEvent, functionId: string): string {
  // A caller's own id, not a ULID: a fixed time part (a retried send may carry another `ts`; ulid() reads 0 as "now").
  let time = 1;
  try {
    time = decodeTime(event.id) || 1;
  } catch {
    // keeps 1
  }
  return seededUlid(time, `${event.id}#${functionId}`);
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

function retryAfterMs(headers: HeaderLookup | undefined, now: number): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
