import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBreachResponseClient } from '../../clients/typescript';
import { driveLifecycle } from '../support/client-lifecycle';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';

/** The generated client (clients/typescript) against the real local API, with the executor running the workflows. */
describe('the typed client', () => {
  let stack: FullStack;

  beforeAll(async () => {
    stack = await startFullStack();
  });
  afterAll(() => stack?.stop());

  it('drives an incident from a new form to a filed obligation', async () => {
    const client = createBreachResponseClient({ baseUrl: stack.api.url, token: await stack.api.token(uniqueOrg('client')) });
    const { incidentId, obligationId } = await driveLifecycle(
      client,
      {
        description: 'Customer table exported by a contractor account.',
        reporterEmail: 'reporter@example.com',
        comment: 'Contractor access revoked.',
        transitionNotes: 'Investigation team assigned.',
        filingSummary: 'Initial report to the authority.',
      },
      () => stack.idle(),
    );
    const incident = await client.GET('/v1/breach-incidents/{id}', { params: { path: { id: incidentId } } });
    expect(incident.data?.obligations?.find((o) => o.id === obligationId)?.status).toBe('filed');
  });

  it('returns problems as typed errors', async () => {
    const client = createBreachResponseClient({ baseUrl: stack.api.url, token: await stack.api.token(uniqueOrg('client')) });
    const missing = await client.GET('/v1/breach-incidents/{id}', { params: { path: { id: 'inc_01JQ3Z8V6Y9K2M4N5P7R8S9T0V' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ status: 404, title: expect.any(String) });
  });
});
