import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../../infra/dynamo/client';
import { ensureTable } from '../../../infra/dynamo/ensure-table';
import { realScheduler } from '../../../infra/local/executor/clock';
import { ExecutionEngine } from '../../../infra/local/executor/engine';
import { ExecutorStore } from '../../../infra/local/executor/store';
import { executorTableDefinition } from '../../../infra/local/executor/table-definition';
import { createLogger } from '../../../infra/log';
import { startExecutorHarness } from '../../support/executor-harness';

describe('local executor restart', () => {
  it('holds an event that arrives before the stored apps are loaded, and starts its run once they are', async () => {
    const { raw, doc } = createDynamoClients({ region: 'us-east-1', endpoint: inject('dynamoEndpoint') });
    const tableName = `executor-${randomUUID().slice(0, 8)}`;
    await ensureTable(raw, tableName, executorTableDefinition);
    const store = new ExecutorStore(doc, tableName);
    const options = { store, clock: realScheduler, logger: createLogger('silent') };
    // An app synced before a restart: its function is in the table, not yet in the new engine's memory.
    const before = new ExecutionEngine(options);
    await before.registerApp({
      appId: 'app',
      url: 'http://127.0.0.1:9/api/inngest',
      functions: [
        {
          id: 'app-triage',
          triggers: [{ event: 'test/created' }],
          steps: {
            step: {
              id: 'step',
              name: 'step',
              runtime: { type: 'http', url: 'http://127.0.0.1:9/api/inngest?fnId=app-triage&stepId=step' },
            },
          },
        },
      ],
    });
    await before.stop();

    const restarted = new ExecutionEngine(options);
    const accepted = restarted.ingest([{ name: 'test/created', data: { incidentId: 'inc_1' } }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await restarted.load();
    const [eventId] = await accepted;
    const runs = await store.listRuns({ eventId, limit: 10 });
    expect(runs.map((r) => r.functionId)).toEqual(['app-triage']);
    await restarted.stop();
    raw.destroy();
  });
});

describe('local executor on a brand-new table', () => {
  it('starts the run of an event accepted before the first app sync, once the app syncs', async () => {
    const seen: string[] = [];
    const h = await startExecutorHarness(
      (inngest) => [
        inngest.createFunction({ id: 'triage', triggers: { event: 'test/early' } }, async ({ event, step }) => {
          await step.run('record', () => seen.push(String(event.data.key)));
        }),
      ],
      { syncAtStart: false },
    );
    try {
      const [eventId] = await h.send({ name: 'test/early', data: { key: 'early' } });
      expect(await h.runsFor(eventId!)).toEqual([]);
      await h.executor.registerApp(h.appUrl);
      await h.executor.idle();
      expect(seen).toEqual(['early']);
      expect((await h.onlyRunFor(eventId!)).status).toBe('completed');
      const logged = (await (await fetch(`${h.executor.url}/v1/events/${eventId}`)).json()) as { runIds: string[] };
      expect(logged.runIds).toEqual([(await h.onlyRunFor(eventId!)).runId]);
      // Only the first sync matches held events again: a later sync starts nothing for old events.
      await h.executor.registerApp(h.appUrl);
      await h.executor.idle();
      expect(await h.runsFor(eventId!)).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });
});
