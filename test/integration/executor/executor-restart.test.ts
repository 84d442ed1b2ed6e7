import type { Inngest } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExecutorHarness, type ExecutorHarness } from '../../support/executor-harness';

const calls = new Map<string, number>();
const bump = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1).get(key)!;
const hour = 3_600_000;
let release: () => void = () => undefined;
const gate = new Promise<void>((resolve) => (release = resolve));

function functions(inngest: Inngest.Any) {
  return [
    inngest.createFunction({ id: 'durable-sleeper', triggers: { event: 'test/durable' } }, async ({ event, step }) => {
      const key = String(event.data.key);
      await step.run('before', () => bump(`${key}:before`));
      await step.sleep('nap', '1h');
      const approval = await step.waitForEvent('approval', { event: 'test/durable-approved', timeout: '1d', match: 'data.key' });
      await step.run('after', () => bump(`${key}:after`));
      return { approved: approval !== null };
    }),
    inngest.createFunction({ id: 'interrupted', triggers: { event: 'test/interrupted' }, retries: 0 }, async ({ event, step }) => {
      const key = String(event.data.key);
      await step.run('first', () => bump(`${key}:first`));
      await step.run('slow', async () => {
        if (bump(`${key}:slow`) === 1) await gate;
        return 'done';
      });
      return 'finished';
    }),
  ];
}

describe('local executor durability', () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await startExecutorHarness(functions);
  });
  afterAll(() => h?.stop());

  it('resumes a pending sleep and wait after the executor restarts, never re-running completed steps', async () => {
    const [eventId] = await h.send({ name: 'test/durable', data: { key: 'r1' } });
    expect((await h.onlyRunFor(eventId!)).status).toBe('waiting');

    await h.restartExecutor();
    await h.advance(hour);
    expect((await h.onlyRunFor(eventId!)).history.some((e) => e.type === 'step.waiting')).toBe(true);

    await h.restartExecutor();
    await h.send({ name: 'test/durable-approved', data: { key: 'r1' } });
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ approved: true });
    expect([calls.get('r1:before'), calls.get('r1:after')]).toEqual([1, 1]);
  });

  it('does not fire a sleep while the executor is down, and fires it once on restart if it fell due', async () => {
    const [eventId] = await h.send({ name: 'test/durable', data: { key: 'r2' } });
    await h.stopExecutor();
    await h.clock.advance(2 * hour);
    expect(calls.get('r2:before')).toBe(1);
    expect(calls.get('r2:after')).toBeUndefined();
    await h.restartExecutor();
    // The overdue sleep fires as soon as its job is reloaded; the wait then starts.
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('waiting');
    expect(run.history.filter((e) => e.type === 'step.completed' && e.name === 'nap')).toHaveLength(1);
    await h.advance(24 * hour);
    const done = await h.onlyRunFor(eventId!);
    expect(done.output).toEqual({ approved: false });
    expect(calls.get('r2:after')).toBe(1);
  });

  it('retries a step that was in flight when the executor went down, without re-running finished steps', async () => {
    const { ids } = await h.inngest.send({ name: 'test/interrupted', data: { key: 'i1' } });
    for (let i = 0; i < 200 && calls.get('i1:slow') !== 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(calls.get('i1:slow')).toBe(1);
    await h.stopExecutor();
    release();
    await h.restartExecutor();
    const run = await h.onlyRunFor(ids[0]!);
    expect(run.status).toBe('completed');
    expect([calls.get('i1:first'), calls.get('i1:slow')]).toEqual([1, 2]);
  });
});
