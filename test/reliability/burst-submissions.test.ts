import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDynamoClients } from '../../infra/dynamo/client';
import { keys } from '../../infra/dynamo/keys';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';
import { startTransactionConflictProxy, type TransactionConflictProxy } from '../support/transaction-conflict-proxy';

type Json = Record<string, any>;

/**
 * A phishing wave reported by 200 staff through one form in the same moment. Real DynamoDB cancels overlapping
 * transactions on a shared item (which DynamoDB Local never does): the API here runs behind a proxy that behaves
 * like DynamoDB and holds every transaction 50 ms to widen the overlap, so a hot item on the create path would
 * show up as cancelled transactions and 409s.
 */
describe('a burst of reports through one form', () => {
  let proxy: TransactionConflictProxy;
  let api: TestApi;
  let token: string;
  const org = uniqueOrg('burst');

  beforeAll(async () => {
    proxy = await startTransactionConflictProxy(inject('dynamoDirectEndpoint'), { holdMs: 50 });
    api = await startTestApi({ config: { DYNAMODB_ENDPOINT: proxy.url } });
    token = await api.token(org);
    await api.call('GET', '/v1/breach-intake-forms', { token });
  });
  afterAll(async () => {
    await api.stop();
    await proxy.stop();
  });

  it('the proxy cancels overlapping transactions on one item, as DynamoDB does (the double can fail a hot item)', async () => {
    const { doc, raw } = createDynamoClients({ region: 'us-east-1', endpoint: proxy.url });
    const bump = () =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: api.deps.tableName,
                Key: keys.form(org, 'form_standard_breach_report'),
                UpdateExpression: 'SET touchedAt = :now',
                ExpressionAttributeValues: { ':now': Date.now() },
              },
            },
          ],
        }),
      );
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, bump));
    raw.destroy();
    const cancelled = outcomes.filter((o) => o.status === 'rejected');
    expect(cancelled.length).toBeGreaterThan(0);
    expect((cancelled[0] as PromiseRejectedResult).reason).toBeInstanceOf(TransactionCanceledException);
  });

  it('accepts 200 concurrent submissions to one form: every one 201, every one stored, no transaction cancelled', async () => {
    proxy.reset();
    const submit = (n: number) =>
      api.call('POST', '/v1/breach-incidents', {
        token,
        headers: { 'idempotency-key': `burst-${org}-${n}` },
        body: {
          formId: 'form_standard_breach_report',
          responses: {
            description: `Phishing email reported by staff member ${n}`,
            data_categories: ['Contact details'],
            breach_type: 'type_phishing',
            jurisdictions: ['GB'],
          },
        },
      });
    const responses = await Promise.all(Array.from({ length: 200 }, (_, n) => submit(n)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as Json).id as string)));
    expect(ids.size).toBe(200);
    expect(proxy.stats().conflicts).toBe(0);

    const listed = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = (await (
        await api.call('GET', `/v1/breach-incidents?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token })
      ).json()) as Json;
      for (const item of page.items) listed.add(item.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect([...ids].every((id) => listed.has(id))).toBe(true);

    const form = (await (await api.call('GET', '/v1/breach-intake-forms/form_standard_breach_report', { token })).json()) as Json;
    expect(form.incidentCount).toBe(200);
  }, 180_000);
});
