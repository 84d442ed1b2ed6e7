import { Inngest } from 'inngest';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startExecutor, type RunningExecutor } from '../../../infra/local/executor';
import { serveInngestApp } from '../../../infra/local/serve-inngest-app';
import { createLogger } from '../../../infra/log';

// On the real clock a sleeping run due later than the hot window is read back shortly before its timer (the runs of
// one prefetch slot together), then its timer fires from memory. hotWindowMs 0 sends every sleep down that path.
const woke = new Map<string, { at: number; due: number }[]>();
const noop = () => undefined;

describe('local executor on the real clock', () => {
  const tableName = `executor-${randomUUID().slice(0, 8)}`;
  const settings = {
    port: 0,
    dynamo: { region: 'us-east-1', endpoint: inject('dynamoEndpoint') },
    tableName,
    logger: createLogger('silent'),
    hotWindowMs: 0,
  };
  let executor: RunningExecutor;
  let served: Awaited<ReturnType<typeof serveInngestApp>>;
  let inngest: Inngest;

  beforeAll(async () => {
    executor = await startExecutor(settings);
    inngest = new Inngest({
      id: 'real-clock',
      isDev: true,
      baseUrl: executor.url,
      logger: { info: noop, warn: noop, error: noop, debug: noop },
    });
    const sleeper = inngest.createFunction(
      { id: 'sleeper', triggers: { event: 'test/sleep' }, cancelOn: [{ event: 'test/cancel', match: 'data.key' }] },
      async ({ event, step }) => {
        const due = String(event.data.due);
        await step.sleepUntil('until-due', due);
        await step.run('woke', () => {
          const key = String(event.data.key);
          woke.set(key, [...(woke.get(key) ?? []), { at: Date.now(), due: Date.parse(due) }]);
        });
      },
    );
    served = await serveInngestApp(inngest, [sleeper]);
    await executor.registerApp(served.url);
  });
  afterAll(async () => {
    await executor?.stop();
    await served?.stop();
  });

  const until = async (check: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
  };

  it('resumes every prefetched sleep once, never before its due time, skips a cancelled one, and survives a restart', async () => {
    const start = Date.now();
    const keys = Array.from({ length: 12 }, (_, i) => `s${i}`);
    await inngest.send(keys.map((key, i) => ({ name: 'test/sleep', data: { key, due: new Date(start + 1500 + i * 200).toISOString() } })));
    await until(() => false, 300);
    // One run cancelled while it waits in its prefetch slot; the executor restarted while the others sleep.
    await inngest.send({ name: 'test/cancel', data: { key: 's11' } });
    const port = executor.port;
    await executor.stop();
    executor = await startExecutor({ ...settings, port });
    await until(() => keys.slice(0, 11).every((k) => woke.has(k)), 15_000);
    await new Promise((r) => setTimeout(r, 800));

    for (const key of keys.slice(0, 11)) {
      const wakes = woke.get(key) ?? [];
      expect(wakes, key).toHaveLength(1);
      expect(wakes[0]!.at, key).toBeGreaterThanOrEqual(wakes[0]!.due);
    }
    expect(woke.has('s11')).toBe(false);
    const statuses = (await executor.listRuns({ functionId: 'real-clock-sleeper' })).map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(11).fill('completed'), 'cancelled'].sort());
  });
});
