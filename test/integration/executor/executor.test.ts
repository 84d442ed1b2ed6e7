import { NonRetriableError, type Inngest } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExecutorHarness, type ExecutorHarness } from '../../support/executor-harness';

/** Side effects observed by the app's step bodies, keyed per test so that tests stay independent. */
const calls = new Map<string, number>();
const bump = (key: string) => {
  const n = (calls.get(key) ?? 0) + 1;
  calls.set(key, n);
  return n;
};
const count = (key: string) => calls.get(key) ?? 0;
const hour = 3_600_000;

function testFunctions(inngest: Inngest.Any) {
  const child = inngest.createFunction({ id: 'double', triggers: { event: 'test/double' } }, async ({ event, step }) => {
    return step.run('double-it', () => ({ doubled: (event.data as { n: number }).n * 2 }));
  });
  return [
    inngest.createFunction({ id: 'three-steps', triggers: { event: 'test/steps' } }, async ({ event, step }) => {
      const key = String(event.data.key);
      const a = await step.run('a', () => bump(`${key}:a`) * 1);
      const b = await step.run('b', () => bump(`${key}:b`) * 10);
      const c = await step.run('c', () => bump(`${key}:c`) * 100);
      bump(`${key}:body`);
      return { total: a + b + c };
    }),
    inngest.createFunction({ id: 'fan-out', triggers: { event: 'test/parallel' } }, async ({ event, step }) => {
      const key = String(event.data.key);
      const parts = await Promise.all(['x', 'y', 'z'].map((p) => step.run(`part-${p}`, () => `${p}${bump(`${key}:${p}`)}`)));
      const joined = await step.run('join', () => parts.join('-'));
      return { joined };
    }),
    inngest.createFunction({ id: 'sleeper', triggers: { event: 'test/sleep' } }, async ({ event, step }) => {
      const key = String(event.data.key);
      await step.run('before', () => bump(`${key}:before`));
      if (typeof event.data.until === 'string') await step.sleepUntil('until', event.data.until);
      else await step.sleep('nap', '1h');
      await step.run('after', () => bump(`${key}:after`));
      return 'awake';
    }),
    inngest.createFunction({ id: 'waiter', triggers: { event: 'test/wait' } }, async ({ step }) => {
      const approval = await step.waitForEvent('approval', {
        event: 'test/approved',
        timeout: '2h',
        if: 'async.data.key == event.data.key',
      });
      return { approvedBy: approval ? (approval.data as { by: string }).by : null };
    }),
    inngest.createFunction(
      { id: 'cancellable', triggers: { event: 'test/cancellable' }, cancelOn: [{ event: 'test/cancel', match: 'data.key' }] },
      async ({ event, step }) => {
        await step.sleep('long-nap', '1d');
        await step.run('after-nap', () => bump(`${String(event.data.key)}:after`));
      },
    ),
    inngest.createFunction({ id: 'flaky', triggers: { event: 'test/flaky' }, retries: 2 }, async ({ event, step }) => {
      const key = String(event.data.key);
      return step.run('sometimes-fails', () => {
        if (bump(`${key}:tries`) < 2) throw new Error('transient failure');
        return 'succeeded';
      });
    }),
    inngest.createFunction(
      {
        id: 'doomed',
        triggers: { event: 'test/doomed' },
        retries: 3,
        onFailure: async ({ event, error }) => {
          bump(`${String((event.data.event.data as { key: string }).key)}:onFailure`);
          calls.set(`failure-message:${error.message}`, 1);
        },
      },
      async ({ event, step }) => {
        await step.run('refuse', () => {
          bump(`${String(event.data.key)}:tries`);
          throw new NonRetriableError('cannot ever succeed');
        });
      },
    ),
    child,
    inngest.createFunction({ id: 'parent', triggers: { event: 'test/parent' } }, async ({ step }) => {
      const result = await step.invoke('call-child', { function: child, data: { n: 21 } });
      return { fromChild: result };
    }),
    inngest.createFunction({ id: 'sender', triggers: { event: 'test/send' } }, async ({ event, step }) => {
      await step.sendEvent('emit', { name: 'test/downstream', data: { key: event.data.key } });
      return 'sent';
    }),
    inngest.createFunction({ id: 'downstream', triggers: { event: 'test/downstream' } }, async ({ event, step }) => {
      return step.run('record', () => bump(`${String(event.data.key)}:downstream`));
    }),
    inngest.createFunction({ id: 'big-orders', triggers: { event: 'test/order', if: 'event.data.total > 100' } }, async ({ event }) => {
      return { total: event.data.total };
    }),
  ];
}

describe('local executor against the real inngest SDK over HTTP', () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await startExecutorHarness(testFunctions);
  });
  afterAll(() => h?.stop());

  it('runs each step body once across re-entries and completes with the return value', async () => {
    const [eventId] = await h.send({ name: 'test/steps', data: { key: 'once' } });
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ total: 111 });
    expect([count('once:a'), count('once:b'), count('once:c')]).toEqual([1, 1, 1]);
    // The function body re-enters once per step plus the final call.
    expect(count('once:body')).toBe(1);
    expect(run.history.filter((e) => e.type === 'step.completed').map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });

  it('runs parallel steps each once and joins their results', async () => {
    const [eventId] = await h.send({ name: 'test/parallel', data: { key: 'par' } });
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ joined: 'x1-y1-z1' });
    expect(run.history.filter((e) => e.type === 'step.planned')).toHaveLength(3);
  });

  it('fires step.sleep at the right virtual time', async () => {
    const [eventId] = await h.send({ name: 'test/sleep', data: { key: 'nap' } });
    let run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('waiting');
    expect(count('nap:before')).toBe(1);
    await h.advance(hour - 1000);
    expect(count('nap:after')).toBe(0);
    expect((await h.onlyRunFor(eventId!)).status).toBe('waiting');
    await h.advance(1000);
    run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect([count('nap:before'), count('nap:after')]).toEqual([1, 1]);
  });

  it('fires step.sleepUntil at the given instant', async () => {
    const until = new Date(h.clock.now().getTime() + 3 * hour).toISOString();
    const [eventId] = await h.send({ name: 'test/sleep', data: { key: 'until', until } });
    await h.advance(3 * hour - 1);
    expect(count('until:after')).toBe(0);
    await h.advance(1);
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.history.find((e) => e.type === 'step.sleeping')?.detail).toBe(`until ${until}`);
  });

  it('resumes waitForEvent with the matching event only', async () => {
    const [eventId] = await h.send({ name: 'test/wait', data: { key: 'w1' } });
    expect((await h.onlyRunFor(eventId!)).status).toBe('waiting');
    await h.send({ name: 'test/approved', data: { key: 'someone-else', by: 'mallory' } });
    expect((await h.onlyRunFor(eventId!)).status).toBe('waiting');
    await h.send({ name: 'test/approved', data: { key: 'w1', by: 'dpo' } });
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ approvedBy: 'dpo' });
  });

  it('resolves waitForEvent with null when it times out', async () => {
    const [eventId] = await h.send({ name: 'test/wait', data: { key: 'w2' } });
    await h.advance(2 * hour - 1000);
    expect((await h.onlyRunFor(eventId!)).status).toBe('waiting');
    await h.advance(1000);
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ approvedBy: null });
    await h.send({ name: 'test/approved', data: { key: 'w2', by: 'late' } });
    expect((await h.onlyRunFor(eventId!)).output).toEqual({ approvedBy: null });
  });

  it('cancels a sleeping run on a matching cancelOn event', async () => {
    const [eventId] = await h.send({ name: 'test/cancellable', data: { key: 'c1' } });
    const [otherId] = await h.send({ name: 'test/cancellable', data: { key: 'c2' } });
    await h.send({ name: 'test/cancel', data: { key: 'c1' } });
    expect((await h.onlyRunFor(eventId!)).status).toBe('cancelled');
    expect((await h.onlyRunFor(otherId!)).status).toBe('waiting');
    await h.advance(24 * hour);
    expect(count('c1:after')).toBe(0);
    expect(count('c2:after')).toBe(1);
    expect((await h.onlyRunFor(otherId!)).status).toBe('completed');
  });

  it('retries a failing step after a backoff on the virtual clock, then succeeds', async () => {
    const [eventId] = await h.send({ name: 'test/flaky', data: { key: 'f1' } });
    let run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('running');
    expect(count('f1:tries')).toBe(1);
    expect(run.history.find((e) => e.type === 'step.errored')?.error?.message).toBe('transient failure');
    await h.advance(999);
    expect(count('f1:tries')).toBe(1);
    await h.advance(1);
    run = await h.onlyRunFor(eventId!);
    expect(count('f1:tries')).toBe(2);
    expect(run.status).toBe('completed');
    expect(run.output).toBe('succeeded');
  });

  it('fails at once on NonRetriableError and runs onFailure', async () => {
    const [eventId] = await h.send({ name: 'test/doomed', data: { key: 'd1' } });
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('failed');
    expect(run.error?.message).toMatch(/cannot ever succeed/);
    expect(count('d1:tries')).toBe(1);
    expect(count('d1:onFailure')).toBe(1);
    expect(count('failure-message:cannot ever succeed')).toBe(1);
    const failureRuns = await h.executor.listRuns({ functionId: 'executor-test-doomed-failure' });
    expect(failureRuns.map((r) => r.status)).toEqual(['completed']);
  });

  it('returns the invoked function result to step.invoke', async () => {
    const [eventId] = await h.send({ name: 'test/parent', data: {} });
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ fromChild: { doubled: 42 } });
    const children = await h.executor.listRuns({ functionId: 'executor-test-double' });
    expect(children.some((c) => c.event.name === 'inngest/function.invoked' && c.status === 'completed')).toBe(true);
  });

  it('triggers another function through step.sendEvent', async () => {
    const [eventId] = await h.send({ name: 'test/send', data: { key: 's1' } });
    expect((await h.onlyRunFor(eventId!)).status).toBe('completed');
    expect(count('s1:downstream')).toBe(1);
    const downstream = await h.executor.listRuns({ functionId: 'executor-test-downstream' });
    expect(downstream.filter((r) => r.event.data.key === 's1').map((r) => r.status)).toEqual(['completed']);
  });

  it('starts runs only when the trigger if-expression holds', async () => {
    const [small, big] = await h.send([
      { name: 'test/order', data: { total: 20 } },
      { name: 'test/order', data: { total: 250 } },
    ]);
    expect(await h.runsFor(small!)).toHaveLength(0);
    expect((await h.onlyRunFor(big!)).output).toEqual({ total: 250 });
  });

  it('deduplicates events by id', async () => {
    const id = `dedup-${Date.now()}`;
    await h.send({ name: 'test/steps', data: { key: 'dedup' }, id });
    await h.send({ name: 'test/steps', data: { key: 'dedup' }, id });
    expect(await h.runsFor(id)).toHaveLength(1);
    expect(count('dedup:a')).toBe(1);
  });

  it('stores an unknown event and triggers nothing', async () => {
    const [eventId] = await h.send({ name: 'test/nobody-listens', data: { hello: 'world' } });
    expect(await h.runsFor(eventId!)).toHaveLength(0);
    const stored = await fetch(`${h.executor.url}/v1/events/${eventId}`);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ event: { name: 'test/nobody-listens', data: { hello: 'world' } }, runIds: [] });
  });

  it('lists runs by function and status over HTTP, with step history', async () => {
    const listed = (await (await fetch(`${h.executor.url}/v1/runs?functionId=executor-test-three-steps&status=completed`)).json()) as {
      runs: { runId: string; status: string }[];
    };
    expect(listed.runs.length).toBeGreaterThan(0);
    expect(listed.runs.every((r) => r.status === 'completed')).toBe(true);
    const detail = (await (await fetch(`${h.executor.url}/v1/runs/${listed.runs[0]!.runId}`)).json()) as { history: { type: string }[] };
    expect(detail.history.map((e) => e.type)).toContain('step.completed');
    expect((await fetch(`${h.executor.url}/`)).headers.get('content-type')).toMatch(/text\/html/);
  });
});
