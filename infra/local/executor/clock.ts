import type { Clock } from '../../../domain/shared/clock';

/** A clock that can also call back at an instant; the executor's timers all go through one. */
export interface Scheduler extends Clock {
  readonly kind: 'real' | 'virtual';
  /** Calls `fire` at (or after) `at` (epoch ms); returns a cancel function. */
  schedule(at: number, fire: () => void): () => void;
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
  fire: () => void;
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

  schedule(at: number, fire: () => void): () => void {
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

  advance(ms: number): Promise<Date> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance takes a non-negative number of milliseconds');
    return this.#serialize(() => this.#moveTo(this.#now + ms));
  }

  set(to: Date | number | string): Promise<Date> {
    const target = new Date(to).getTime();
    if (Number.isNaN(target)) throw new RangeError('set takes a valid instant');
    if (target < this.#now) throw new RangeError('the virtual clock never goes backwards');
    return this.#serialize(() => this.#moveTo(target));
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

  async #moveTo(target: number) {
    await this.settle();
    for (;;) {
      const due = this.#timers.peek();
      if (!due || due.at > target) break;
      this.#timers.pop();
      if (due.cancelled) continue;
      due.cancelled = true;
      this.#live--;
      this.#now = Math.max(this.#now, due.at);
      due.fire();
      await this.settle();
    }
    this.#now = target;
    await this.settle();
  }
}
