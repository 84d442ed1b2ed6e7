import type { Clock } from '../../../domain/shared/clock';

/** A clock that can also call back at an instant; the executor's timers all go through one. */
export interface Scheduler extends Clock {
  readonly kind: 'real' | 'virtual';
  /**
   * Calls `fire` at (or after) `at` (epoch ms); returns a cancel function. `fire` may return the promise of the work
   * it starts, so that a virtual clock firing timers concurrently can bound how many are under way.
   */
  schedule(at: number, fire: () => unknown): () => void;
}

/** How a virtual clock move fires the timers it passes. */
export interface MoveOptions {
  /**
   * 1 (the default): one timer at a time, the system settling between timers, so that a scenario replays identically.
   * More: up to this many fired timers under way at once, each fired with `now` at its own due time but seeing the
   * clock move on while it works (as on the real clock); still fired in (due time, creation) order.
   */
  concurrency?: number;
}

const maxTimeout = 2_147_483_647;

export const realScheduler: Scheduler = {
  kind: 'real',
  now: () => new Date(),
  schedule(at, fire) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      if (cancelled) return;
      const delay = at - Date.now();
      if (delay <= 0) {
        handle = setTimeout(fire, 0);
        return;
      }
      // setTimeout cannot wait longer than ~24.8 days; re-arm until the instant is near.
      handle = setTimeout(delay > maxTimeout ? arm : fire, Math.min(delay, maxTimeout));
    };
    arm();
    return () => {
      cancelled = true;
      if (handle) clearTimeout(handle);
    };
  },
};

interface Timer {
  at: number;
  seq: number;
  fire: () => unknown;
  cancelled?: boolean;
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap of timers by (due time, creation), so that 10,000 pending timers cost O(log n) each. */
class TimerHeap {
  private readonly items: Timer[] = [];

  get size() {
    return this.items.length;
  }

  peek(): Timer | undefined {
    return this.items[0];
  }

  push(timer: Timer) {
    const items = this.items;
    items.push(timer);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let least = i;
        if (l < items.length && before(items[l]!, items[least]!)) least = l;
        if (r < items.length && before(items[r]!, items[least]!)) least = r;
        if (least === i) break;
        [items[i], items[least]] = [items[least]!, items[i]!];
        i = least;
      }
    }
    return top;
  }
}

/**
 * A clock that moves only when told to. `advance`/`set` fire due timers one at a time in (due time, creation)
 * order, setting `now` to each timer's instant and letting the system settle between timers, so that a run of
 * the same scenario always produces the same sequence of events.
 */
export class VirtualClock implements Scheduler {
  readonly kind = 'virtual' as const;
  #now: number;
  #seq = 0;
  #timers = new TimerHeap();
  #live = 0;
  #settlers = new Set<() => Promise<void>>();
  #moving: Promise<void> = Promise.resolve();

  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  schedule(at: number, fire: () => unknown): () => void {
    const timer: Timer = { at, seq: this.#seq++, fire };
    if (at <= this.#now) {
      // Already due: fire on the next turn without moving time.
      const handle = setImmediate(fire);
      return () => clearImmediate(handle);
    }
    this.#timers.push(timer);
    this.#live++;
    return () => {
      // Cancelled timers stay in the heap, marked, and are skipped when they reach the top.
      if (timer.cancelled) return;
      timer.cancelled = true;
      this.#live--;
    };
  }

  /** Registers a function that resolves when the registrant has no work in flight. */
  onSettle(settle: () => Promise<void>): () => void {
    this.#settlers.add(settle);
    return () => this.#settlers.delete(settle);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.#live;
  }

  advance(ms: number, options: MoveOptions = {}): Promise<Date> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance takes a non-negative number of milliseconds');
    const concurrency = concurrencyOf(options);
    return this.#serialize(() => this.#moveTo(this.#now + ms, concurrency));
  }

  set(to: Date | number | string, options: MoveOptions = {}): Promise<Date> {
    const target = new Date(to).getTime();
    if (Number.isNaN(target)) throw new RangeError('set takes a valid instant');
    if (target < this.#now) throw new RangeError('the virtual clock never goes backwards');
    const concurrency = concurrencyOf(options);
    return this.#serialize(() => this.#moveTo(target, concurrency));
  }

  async settle(): Promise<void> {
    // Loop until a full pass finds nothing new to wait for.
    for (let i = 0; i < 1000; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      const before = this.#seq;
      await Promise.all([...this.#settlers].map((s) => s()));
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#seq === before) {
        await Promise.all([...this.#settlers].map((s) => s()));
        if (this.#seq === before) return;
      }
    }
  }

  #serialize(move: () => Promise<void>): Promise<Date> {
    const next = this.#moving.then(move).then(() => this.now());
    this.#moving = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** The next live timer due by `target`, taken off the heap (cancelled ones are dropped on the way). */
  #takeDue(target: number): Timer | undefined {
    for (;;) {
      const due = this.#timers.peek();
      if (!due || due.at > target) return undefined;
      this.#timers.pop();
      if (due.cancelled) continue;
      due.cancelled = true;
      this.#live--;
      return due;
    }
  }

  #hasDue(target: number): boolean {
    for (let top = this.#timers.peek(); top?.cancelled; top = this.#timers.peek()) this.#timers.pop();
    const top = this.#timers.peek();
    return top !== undefined && top.at <= target;
  }

  async #moveTo(target: number, concurrency: number) {
    await this.settle();
    if (concurrency <= 1) {
      for (let due = this.#takeDue(target); due; due = this.#takeDue(target)) {
        this.#now = Math.max(this.#now, due.at);
        await fireOf(due);
        await this.settle();
      }
    } else {
      // Timers keep their order of firing; only the waiting between them goes. A fired timer's work counts as under
      // way until the promise its `fire` returned settles; when none is due, the whole system settles, since the work
      // under way may arm timers due before the target.
      const underWay = new Set<Promise<unknown>>();
      for (;;) {
        const due = underWay.size < concurrency ? this.#takeDue(target) : undefined;
        if (due) {
          this.#now = Math.max(this.#now, due.at);
          const work = fireOf(due);
          underWay.add(work);
          void work.then(() => underWay.delete(work));
          continue;
        }
        if (underWay.size > 0) {
          await Promise.race(underWay);
          continue;
        }
        await this.settle();
        if (!this.#hasDue(target)) break;
      }
    }
    this.#now = Math.max(this.#now, target);
    await this.settle();
  }
}

/** Fires a timer now; resolves when the work its `fire` returned has settled (at once if it returned none). */
function fireOf(timer: Timer): Promise<unknown> {
  try {
    return Promise.resolve(timer.fire()).catch(() => undefined);
  } catch {
    return Promise.resolve();
  }
}

function concurrencyOf(options: MoveOptions): number {
  const n = options.concurrency ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new RangeError('concurrency is a whole number of at least 1');
  return n;
}
