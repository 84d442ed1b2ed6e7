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
  #timers: Timer[] = [];
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
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Registers a function that resolves when the registrant has no work in flight. */
  onSettle(settle: () => Promise<void>): () => void {
    this.#settlers.add(settle);
    return () => this.#settlers.delete(settle);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.length;
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
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fire();
      await this.settle();
    }
    this.#now = target;
    await this.settle();
  }
}
