import { serve as serveNode } from '@hono/node-server';
import { Hono } from 'hono';
import { Inngest } from 'inngest';
import { serve } from 'inngest/hono';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startExecutor } from '../../../infra/local/executor';
import { createLogger } from '../../../infra/log';
import { startExecutorHarness, type ExecutorHarness } from '../../support/executor-harness';

const minute = 60_000;
const hour = 60 * minute;
const fired = new Map<string, number>();
const naps: Record<string, string[]> = {};
let underWay = 0;
let mostUnderWay = 0;

describe('a virtual-clock jump over many sleeping runs (POST /dev/clock)', () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await startExecutorHarness((inngest) => [
      inngest.createFunction({ id: 'deadline', triggers: { event: 'test/deadline' } }, async ({ event, step }) => {
        const key = String(event.data.key);
        await step.sleepUntil('until-due', String(event.data.due));
        await step.run('fire', async () => {
          mostUnderWay = Math.max(mostUnderWay, ++underWay);
          await new Promise((resolve) => setTimeout(resolve, 20));
          underWay--;
          return fired.set(key, (fired.get(key) ?? 0) + 1).get(key);
        });
      }),
      inngest.createFunction({ id: 'two-naps', triggers: { event: 'test/two-naps' } }, async ({ event, step }) => {
        const key = String(event.data.key);
        await step.sleep('first-nap', '10m');
        await step.run('a', () => (naps[key] = [...(naps[key] ?? []), 'a']));
        await step.sleep('second-nap', '10m');
        await step.run('b', () => (naps[key] = [...(naps[key] ?? []), 'b']));
      }),
    ]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('fires every due timer once, several under way at once, each run still in its own order', async () => {
    const start = h.clock.now().getTime();
    const keys = Array.from({ length: 60 }, (_, i) => `d${i}`);
    await h.send(
      keys.map((key, i) => ({ name: 'test/deadline', data: { key, due: new Date(start + (i + 1) * 3 * minute).toISOString() } })),
    );
    await h.send(Array.from({ length: 5 }, (_, i) => ({ name: 'test/two-naps', data: { key: `n${i}` } })));
    expect(await h.executor.listRuns({ status: 'waiting' })).toHaveLength(65);

    const answer = await fetch(`${h.executor.url}/dev/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 4 * hour }),
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { now: string }).now).toBe(new Date(start + 4 * hour).toISOString());

    expect(keys.map((k) => fired.get(k))).toEqual(keys.map(() => 1));
    // One at a time (the in-process default) would never have two steps under way.
    expect(mostUnderWay).toBeGreaterThan(1);
    expect(Object.values(naps)).toEqual(Array.from({ length: 5 }, () => ['a', 'b']));
    const runs = await h.executor.listRuns({ limit: 500 });
    expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
    // Each run's end is in the event log (written without the duplicate check when nothing listens for it).
    const logged = (
      (await (await fetch(`${h.executor.url}/v1/events?limit=500`)).json()) as {
        events: { event: { name: string; data: { run_id?: string } } }[];
      }
    ).events;
    const finished = new Set(logged.filter((e) => e.event.name === 'inngest/function.finished').map((e) => e.event.data.run_id));
    expect(runs.every((r) => finished.has(r.runId))).toBe(true);
  });

  it('refuses a concurrency that is not a whole number of at least 1', async () => {
    const answer = await fetch(`${h.executor.url}/dev/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: minute, concurrency: 0 }),
    });
    expect(answer.status).toBe(400);
  });
});

describe('app calls', () => {
  it('reuse kept-alive connections', async () => {
    const executor = await startExecutor({
      port: 0,
      dynamo: { region: 'us-east-1', endpoint: inject('dynamoEndpoint') },
      tableName: `executor-${randomUUID().slice(0, 8)}`,
      logger: createLogger('silent'),
    });
    const noop = () => undefined;
    const logger = { info: noop, warn: noop, error: noop, debug: noop };
    const inngest = new Inngest({ id: 'keep-alive', isDev: true, baseUrl: executor.url, logger });
    let steps = 0;
    const app = new Hono();
    const fn = inngest.createFunction({ id: 'two-steps', triggers: { event: 'test/two-steps' } }, async ({ step }) => {
      await step.run('one', () => steps++);
      await step.run('two', () => steps++);
    });
    app.on(['GET', 'PUT', 'POST'], '/api/inngest', serve({ client: inngest, functions: [fn] }));
    let connections = 0;
    const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
      const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    server.on('connection', () => connections++);
    try {
      await executor.registerApp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`);
      const synced = connections;
      for (let i = 0; i < 10; i++) {
        await inngest.send({ name: 'test/two-steps', data: { i } });
        await executor.idle();
      }
      // 10 runs of 3 calls each, one after the other: one connection carries them all.
      expect(steps).toBe(20);
      expect(connections - synced).toBe(1);
    } finally {
      await executor.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    }
  });
});
