import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../infra/dynamo/keys';
import { migrateEmbeddedObligations } from '../../infra/local/migrate-embedded-obligations';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

describe('start-up migration of incidents stored with embedded obligations', () => {
  let api: TestApi;
  const org = uniqueOrg('migrate');

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());

  it('moves each embedded obligation into its own item, summarises them on the incident, and is a no-op when run again', async () => {
    const token = await api.token(org);
    const created = (await (
      await api.call('POST', '/v1/breach-incidents', {
        token,
        body: {
          formId: 'form_standard_breach_report',
          responses: { description: 'old', data_categories: ['Contact details'], breach_type: 'type_phishing', jurisdictions: ['FR'] },
        },
      })
    ).json()) as Json;
    const { doc } = api.deps.dynamo;
    const table = api.deps.tableName;
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: keys.incident(org, created.id) }));
    const embedded = [1, 2, 3].map((n) => ({
      id: `old/${n}/FR`,
      regimeId: 'old',
      regimeName: 'Old',
      jurisdiction: 'FR',
      recipient: 'supervisory-authority',
      recipientName: 'CNIL',
      required: 'yes',
      dueAt: `2030-01-0${n}T00:00:00.000Z`,
      recommendedBy: null,
      deadlineText: '72 hours',
      legalReference: 'Art. 33',
      status: n === 1 ? 'filed' : 'open',
      filings: [],
    }));
    await doc.send(new PutCommand({ TableName: table, Item: { ...Item, obligations: embedded } }));

    expect(await migrateEmbeddedObligations(doc, table)).toBeGreaterThanOrEqual(1);
    const aggregate = await api.deps.repos.incidents.getAggregate(org, created.id);
    expect(aggregate.obligations.map((o) => o.id).sort()).toEqual(['old/1/FR', 'old/2/FR', 'old/3/FR']);
    expect(aggregate.incident).not.toHaveProperty('obligations');
    expect(aggregate.incident.obligationSummary).toMatchObject({
      total: 3,
      open: 2,
      nextDueAt: '2030-01-02T00:00:00.000Z',
      nextObligationId: 'old/2/FR',
    });
    const before = aggregate.incident.version;
    await migrateEmbeddedObligations(doc, table);
    expect((await api.deps.repos.incidents.get(org, created.id)).version).toBe(before);
  });
});
