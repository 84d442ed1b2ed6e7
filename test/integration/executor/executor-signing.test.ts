import type { Inngest } from 'inngest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExecutorHarness, type ExecutorHarness } from '../../support/executor-harness';

const signingKey = `signkey-test-${'a1b2c3d4'.repeat(8)}`;

function functions(inngest: Inngest.Any) {
  return [
    inngest.createFunction({ id: 'signed', triggers: { event: 'test/signed' } }, async ({ event, step }) => {
      return step.run('echo', () => ({ echoed: event.data.word }));
    }),
  ];
}

describe('local executor with a signing key (the app in cloud mode)', () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await startExecutorHarness(functions, { signingKey });
  });
  afterAll(() => h?.stop());

  it('signs sync and call requests so that an app verifying signatures accepts them', async () => {
    const [eventId] = await h.send({ name: 'test/signed', data: { word: 'hello' } });
    const run = await h.onlyRunFor(eventId!);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ echoed: 'hello' });
  });

  it('is needed: the app refuses an unsigned call', async () => {
    const response = await fetch(`${h.appUrl}?fnId=executor-test-signed&stepId=step`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: { name: 'test/signed', data: {} }, events: [], steps: {}, ctx: { run_id: 'x', attempt: 0 } }),
    });
    expect(response.status).toBe(401);
  });
});
