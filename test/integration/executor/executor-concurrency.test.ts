import type { Inngest } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExecutorHarness, type ExecutorHarness } from '../../support/executor-harness';

/** Steps running right now and the most seen at once, per group name. */
const running = new Map<string, number>();
const peak = new Map<string, number>();
const bump = (group: string, by: number) => {
  const n = (running.get(group) ?? 0) + by;
  running.set(group, n);
  peak.set(group, Math.max(peak.get(group) ?? 0, n));
};

/** Holds the step long enough (real time) for calls that are let through together to overlap. */
async function occupy(groups: string[]) {
  for (const g of groups) bump(g, 1);
  await new Promise((resolve) => setTimeout(resolve, 150));
  for (const g of groups) bump(g, -1);
}

function functions(inngest: Inngest.Any) {
  const perEndpoint = inngest.createFunction(
    { id: 'per-endpoint', triggers: { event: 'test/deliver' }, concurrency: [{ key: 'event.data.endpoint', limit: 2 }] },
    async ({ event, step }) => {
      const endpoint = String(event.data.endpoint);
      await step.run('first', () => occupy([`endpoint:${endpoint}`, 'endpoints']));
      await step.run('second', () => occupy([`endpoint:${endpoint}`, 'endpoints']));
    },
  );
  const shared = (id: string) =>
    inngest.createFunction(
      { id, triggers: { event: `test/${id}` }, concurrency: { scope: 'account', key: '"smtp"', limit: 1 } },
      async ({ step }) => {
        await step.run('send', () => occupy(['smtp']));
      },
    );
  const unlimited = inngest.createFunction({ id: 'unlimited', triggers: { event: 'test/free' } }, async ({ step }) => {
    await step.run('work', () => occupy(['free']));
  });
  return [perEndpoint, shared('mail-a'), shared('mail-b'), unlimited];
}

describe('executor: Inngest concurrency limits and keys', () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await startExecutorHarness(functions);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('runs at most `limit` steps at once per key value, and other key values alongside', async () => {
    const events = [
      ...Array.from({ length: 6 }, () => ({ name: 'test/deliver', data: { endpoint: 'a' } })),
      ...Array.from({ length: 3 }, () => ({ name: 'test/deliver', data: { endpoint: 'b' } })),
    ];
    const ids = await h.send(events);
    const runs = await Promise.all(ids.map((id) => h.onlyRunFor(id)));
    expect(runs.map((r) => r.status)).toEqual(ids.map(() => 'completed'));
    expect(peak.get('endpoint:a')).toBe(2);
    expect(peak.get('endpoint:b')).toBe(2);
    // One group for every endpoint would never have let more than two run at once.
    expect(peak.get('endpoints')).toBeGreaterThan(2);
  });

  it('shares an account-scoped key across functions', async () => {
    const ids = await h.send([
      ...Array.from({ length: 3 }, () => ({ name: 'test/mail-a' })),
      ...Array.from({ length: 3 }, () => ({ name: 'test/mail-b' })),
    ]);
    const runs = await Promise.all(ids.map((id) => h.onlyRunFor(id)));
    expect(runs.map((r) => r.status)).toEqual(ids.map(() => 'completed'));
    expect(peak.get('smtp')).toBe(1);
  });

  it('leaves functions without a limit unlimited', async () => {
    await h.send(Array.from({ length: 5 }, () => ({ name: 'test/free' })));
    expect(peak.get('free')).toBe(5);
  });
});
