import { Inngest } from 'inngest';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startExecutorThread, type RunningExecutor } from '../../../infra/local/executor';
import { StartupError } from '../../../infra/local/startup-error';
import { serveInngestApp } from '../../../infra/local/serve-inngest-app';

// The executor on its own worker thread (as `npm start` runs it on the real clock): the same engine behind a message
// channel, with DynamoDB Local and the app's real HTTP endpoint.
const noop = () => undefined;

describe('local executor on a worker thread', () => {
  const settings = {
    port: 0,
    dynamo: { region: 'us-east-1', endpoint: inject('dynamoEndpoint') },
    tableName: `executor-thread-${randomUUID().slice(0, 8)}`,
    logLevel: 'silent' as const,
  };
  const fired: string[] = [];
  const sent: string[] = [];
  const woke = new Map<string, { at: number; due: number }>();
  let executor: RunningExecutor;
  let served: Awaited<ReturnType<typeof serveInngestApp>>;
  let inngest: Inngest;

  beforeAll(async () => {
    executor = await startExecutorThread({
      ...settings,
      trace: { fired: (job) => void fired.push(job.runId), callSent: (runId) => void sent.push(runId) },
    });
    inngest = new Inngest({
      id: 'thread',
      isDev: true,
      baseUrl: executor.url,
      logger: { info: noop, warn: noop, error: noop, debug: noop },
    });
    const sleeper = inngest.createFunction({ id: 'sleeper', triggers: { event: 'test/sleep' } }, async ({ event, step }) => {
      const due = String(event.data.due);
      await step.sleepUntil('until-due', due);
      await step.run('woke', () => void woke.set(String(event.data.key), { at: Date.now(), due: Date.parse(due) }));
      return { key: event.data.key };
    });
    served = await serveInngestApp(inngest, [sleeper]);
  });
  afterAll(async () => {
    await executor?.stop();
    await served?.stop();
  });

  it('syncs the app, runs sleeps to completion on the real clock, and answers for its runs across the thread', async () => {
    const synced = await executor.registerApp(served.url);
    expect(synced).toEqual({ appId: 'thread', functions: ['thread-sleeper'] });
    const start = Date.now();
    await inngest.send(
      ['a', 'b', 'c'].map((key, i) => ({ name: 'test/sleep', data: { key, due: new Date(start + 600 + i * 150).toISOString() } })),
    );
    for (const end = Date.now() + 10_000; woke.size < 3 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    await executor.idle();

    for (const key of ['a', 'b', 'c']) expect(woke.get(key)!.at, key).toBeGreaterThanOrEqual(woke.get(key)!.due);
    const runs = await executor.listRuns({ functionId: 'thread-sleeper' });
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    const one = await executor.getRun(runs[0]!.runId);
    expect(one?.output).toEqual({ key: runs[0]!.event.data.key });
    expect(await executor.getRun('run_missing')).toBeUndefined();
    // Timer trace crosses the thread: each sleep's timer fired, and its call went out.
    for (const run of runs) {
      expect(fired).toContain(run.runId);
      expect(sent).toContain(run.runId);
    }
  });

  it('passes an error from the thread back to the caller', async () => {
    await expect(executor.registerApp('http://127.0.0.1:9/api/inngest')).rejects.toThrow(/fetch failed|ECONNREFUSED/);
  });

  it('refuses to start on a port in use, as a start-up error, without ending the process', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = startExecutorThread({ ...settings, port });
      await expect(attempt).rejects.toThrow(StartupError);
      await expect(attempt).rejects.toThrow(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });
});

describe('an executor thread that dies', () => {
  it('tells onCrash once, and its handle then refuses calls at once instead of waiting forever', async () => {
    const crashes: Error[] = [];
    const executor = await startExecutorThread({
      port: 0,
      dynamo: { region: 'us-east-1', endpoint: inject('dynamoEndpoint') },
      tableName: `executor-thread-${randomUUID().slice(0, 8)}`,
      logLevel: 'silent',
      onCrash: (error) => void crashes.push(error),
    });
    await executor.thread.terminate();
    for (const end = Date.now() + 5000; crashes.length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));

    expect(crashes).toHaveLength(1);
    expect(crashes[0]!.message).toMatch(/executor thread ended/);
    await expect(executor.listRuns()).rejects.toThrow(/executor thread ended/);
    await executor.stop();
  });
});
