import { PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxMessageId, type InboxMessage } from '../../domain/inbox/rules';
import { createInboxRepository } from '../../infra/dynamo/inbox-repository';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

/** A document client that counts what it is asked to write and dies (like a crashed process) on the `dieOnPut`th Put. */
function watched(doc: DynamoDBDocumentClient, dieOnPut = 0) {
  const seen = { puts: 0, transactions: 0 };
  const client = new Proxy(doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: unknown) => {
        if (command instanceof TransactWriteCommand) seen.transactions++;
        if (command instanceof PutCommand && ++seen.puts === dieOnPut) return Promise.reject(new Error('process killed'));
        return target.send(command as never);
      };
    },
  });
  return { client, seen };
}

describe('delivering to an in-app inbox', () => {
  let api: TestApi;
  const org = uniqueOrg('inbox');
  const dpo = { type: 'role', id: 'dpo' } as const;
  const reader = { subject: 'dana', audiences: [dpo] };
  const message = (purpose: string, createdAt: string): InboxMessage => ({
    id: inboxMessageId(org, 'inc_1', purpose, dpo),
    audience: dpo,
    incidentId: 'inc_1',
    purpose,
    subject: `About ${purpose}`,
    text: 'x'.repeat(1500),
    createdAt,
  });
  const pageOf = () => api.deps.repos.inbox.page(org, reader.subject, reader.audiences, { limit: 50 });

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());

  it('stores a message once, with two single-item writes and no transaction, however often it is delivered', async () => {
    const { client, seen } = watched(api.deps.dynamo.doc);
    const inbox = createInboxRepository(client, api.deps.tableName);
    expect(await inbox.deliver(org, message('once', '2026-03-10T09:30:00.000Z'))).toBe('delivered');
    expect(seen).toEqual({ puts: 2, transactions: 0 });
    expect(await inbox.deliver(org, message('once', '2026-03-10T09:31:00.000Z'))).toBe('already-delivered');
    const copies = (await pageOf()).items.filter((m) => m.purpose === 'once');
    expect(copies.map((m) => m.createdAt)).toEqual(['2026-03-10T09:30:00.000Z']);
    expect(await inbox.find(org, copies[0]!.id)).toMatchObject({ purpose: 'once', createdAt: '2026-03-10T09:30:00.000Z' });
  });

  it('completes a delivery that a crash cut between its guard and its message, where the guard says, once', async () => {
    const crashing = createInboxRepository(watched(api.deps.dynamo.doc, 2).client, api.deps.tableName);
    await expect(crashing.deliver(org, message('cut', '2026-03-10T10:00:00.000Z'))).rejects.toThrow('process killed');
    expect((await pageOf()).items.filter((m) => m.purpose === 'cut')).toEqual([]);

    expect(await api.deps.repos.inbox.deliver(org, message('cut', '2026-03-10T10:05:00.000Z'))).toBe('already-delivered');
    expect(await api.deps.repos.inbox.deliver(org, message('cut', '2026-03-10T10:06:00.000Z'))).toBe('already-delivered');
    const copies = (await pageOf()).items.filter((m) => m.purpose === 'cut');
    expect(copies.map((m) => m.createdAt)).toEqual(['2026-03-10T10:00:00.000Z']);
    expect(await api.deps.repos.inbox.find(org, copies[0]!.id)).toMatchObject({ purpose: 'cut' });
  });
});
