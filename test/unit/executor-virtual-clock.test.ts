import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../infra/local/executor';

const minute = 60_000;
const start = Date.UTC(2030, 0, 1, 9);

/** Timers whose work takes a few turns of the event loop, recording when each fired and how many were under way. */
function timers(clock: VirtualClock, dues: number[]) {
  const fired: { at: number; now: number }[] = [];
  let underWay = 0;
  let most = 0;
  for (const at of dues) {
    clock.schedule(at, async () => {
      fired.push({ at, now: clock.now().getTime() });
      most = Math.max(most, ++underWay);
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      underWay--;
    });
  }
  return { fired, most: () => most };
}

describe('virtual clock moves', () => {
  // Out of due order, two due at the same instant (creation order decides between them).
  const dues = [7, 3, 9, 3, 1, 12, 5, 8, 2, 11, 4, 6].map((m) => start + m * minute);
  const ordered = [...dues].sort((a, b) => a - b);

  it('fire one timer at a time by default, with now at each due time', async () => {
    const clock = new VirtualClock(start);
    const t = timers(clock, dues);
    await clock.advance(10 * minute);
    expect(t.fired.map((f) => f.at)).toEqual(ordered.filter((at) => at <= start + 10 * minute));
    expect(t.fired.every((f) => f.now === f.at)).toBe(true);
    expect(t.most()).toBe(1);
    expect(clock.now().getTime()).toBe(start + 10 * minute);
    expect(clock.pendingTimers).toBe(2);
  });

  it('with concurrency, keep up to that many fired timers under way, still fired in due order with now at each due time', async () => {
    const clock = new VirtualClock(start);
    const t = timers(clock, dues);
    await clock.advance(15 * minute, { concurrency: 4 });
    expect(t.fired.map((f) => f.at)).toEqual(ordered);
    expect(t.fired.every((f) => f.now === f.at)).toBe(true);
    expect(t.most()).toBe(4);
    expect(clock.now().getTime()).toBe(start + 15 * minute);
    expect(clock.pendingTimers).toBe(0);
  });

  it('with concurrency, also fire timers that fired work arms before the target, and skip cancelled ones', async () => {
    const clock = new VirtualClock(start);
    const fired: string[] = [];
    const cancel = clock.schedule(start + 2 * minute, () => fired.push('cancelled'));
    clock.schedule(start + minute, async () => {
      fired.push('first');
      await new Promise((resolve) => setImmediate(resolve));
      clock.schedule(start + 30 * minute, () => fired.push('armed by first'));
      clock.schedule(start + 90 * minute, () => fired.push('after the target'));
    });
    cancel();
    await clock.advance(60 * minute, { concurrency: 8 });
    expect(fired).toEqual(['first', 'armed by first']);
    expect(clock.pendingTimers).toBe(1);
  });

  it('refuse a concurrency that is not a whole number of at least 1', () => {
    const clock = new VirtualClock(start);
    expect(() => clock.advance(minute, { concurrency: 0 })).toThrow(RangeError);
    expect(() => clock.set(start + minute, { concurrency: 1.5 })).toThrow(RangeError);
  });
});
