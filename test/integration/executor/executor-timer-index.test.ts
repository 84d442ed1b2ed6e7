import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Inngest } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDynamoClients } from '../../../infra/dynamo/client';
import { startExecutorHarness, type ExecutorHarness } from '../../support/executor-harness';

const calls = new Map<string, number>();
const bump = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1).get(key)!;
const woke: string[] = [];
const minute = 60_000;
const hour = 60 * minute;

function functions(inngest: Inngest.Any) {
  return [
    inngest.createFunction({ id: 'alarm', triggers: { event: 'test/alarm' } }, async ({ event, step }) => {
      const key = String(event.data.key);
      await step.sleepUntil('until', String(event.data.until));
      await step.run('ring', () => {
        woke.push(key);
        return bump(`${key}:ring`);
      });
    }),
    inngest.createFunction(
      { id: 'cancellable', triggers: { event: 'test/cancellable' }, cancelOn: [{ event: 'test/cancel', match: 'data.key' }] },
      async ({ event, step }) => {
        await step.sleep('long-nap', '1d');
        await step.run('after-nap', () => bump(`${String(event.data.key)}:after`));
      },
    ),
    inngest.createFunction({ id: 'once', triggers: { event: 'test/once' } }, async ({ event, step }) => {
      await step.run('only', () => bump(`${String(event.data.key)}:only`));
    }),
  ];
}

describe('executor timer index: due times and waits live in the run item, indexed in memory, rebuilt on start', () => {
  let h: ExecutorHarness;
  const { raw, doc } = createDynamoClients({ region: 'us-east-1', endpoint: inject('dynamoEndpoint') });
  beforeAll(async () => {
    h = await startExecutorHarness(functions);
  });
  afterAll(async () => {
    await h?.stop();
    raw.destroy();
  });

  const partition = async (pk: string) =>
    (
      await doc.send(
        new QueryCommand({
          TableName: `${h.tableName}`,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  it('fires every sleep once, in due order, after restarts rebuilt the index from the table', async () => {
    const start = h.clock.now().getTime();
    // Sent in an order that is not the due order; due every 7 minutes over ~2 h.
    const keys = Array.from({ length: 18 }, (_, i) => `a${String((i * 7) % 18).padStart(2, '0')}`);
    await h.send(
      keys.map((key) => ({
        name: 'test/alarm',
        data: { key, until: new Date(start + (Number(key.slice(1)) + 1) * 7 * minute).toISOString() },
      })),
    );
    const sleeping = await h.executor.listRuns({ functionId: 'executor-test-alarm', status: 'waiting' });
    expect(sleeping).toHaveLength(18);
    // The due times are in the run items; the legacy job and wait partitions stay empty.
    expect(sleeping.every((r) => r.jobs?.length === 1 && r.jobs[0]!.kind === 'sleep')).toBe(true);
    expect(await partition('JOBS')).toEqual([]);

    await h.restartExecutor();
    await h.advance(60 * minute);
    expect(woke).toEqual(Array.from({ length: 8 }, (_, i) => `a${String(i).padStart(2, '0')}`));
    await h.restartExecutor();
    await h.advance(2 * hour);
    expect(woke).toEqual([...keys].sort());
    expect(keys.map((k) => calls.get(`${k}:ring`))).toEqual(keys.map(() => 1));
    const done = await h.executor.listRuns({ functionId: 'executor-test-alarm' });
    expect(done.map((r) => r.status)).toEqual(keys.map(() => 'completed'));
    expect(done.every((r) => r.jobs?.length === 0 && r.waits?.length === 0)).toBe(true);
  });

  it('rebuilds the wait index too: a cancelOn event after a restart cancels the sleeping run', async () => {
    const [eventId] = await h.send({ name: 'test/cancellable', data: { key: 'c1' } });
    expect((await h.onlyRunFor(eventId!)).waits).toMatchObject([{ eventName: 'test/cancel', kind: 'cancel' }]);
    expect(await partition('WAIT#test/cancel')).toEqual([]);
    await h.restartExecutor();
    await h.send({ name: 'test/cancel', data: { key: 'c1' } });
    expect((await h.onlyRunFor(eventId!)).status).toBe('cancelled');
    await h.advance(25 * hour);
    expect(calls.get('c1:after')).toBeUndefined();
  });

  it('an intake cut off after its runs were stored (event missing) is completed by the retried send, with no second run', async () => {
    const id = `cut-${Date.now()}`;
    await h.send({ name: 'test/once', data: { key: 'cut' }, id });
    expect((await h.onlyRunFor(id)).status).toBe('completed');
    // As if the process died between storing the runs and storing the event: the sender never got its 200.
    await doc.send(new DeleteCommand({ TableName: h.tableName, Key: { pk: `EVENT#${id}`, sk: 'EVENT' } }));
    await h.restartExecutor();
    await h.send({ name: 'test/once', data: { key: 'cut' }, id });
    expect(await h.runsFor(id)).toHaveLength(1);
    expect(calls.get('cut:only')).toBe(1);
    expect((await (await fetch(`${h.executor.url}/v1/events/${id}`)).json()) as { runIds: string[] }).toMatchObject({
      runIds: [(await h.onlyRunFor(id)).runId],
    });
  });
});
