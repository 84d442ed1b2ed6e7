import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../domain/audit/chain';
import { createIncidentRepository } from '../../infra/dynamo/incident-repository';
import { keys } from '../../infra/dynamo/keys';
import { SYSTEM_ACTOR } from '../../workflows/steps/system-actor';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

/** A document client that counts the Queries it is asked to send. */
function countingQueries(doc: DynamoDBDocumentClient) {
  const seen = { queries: 0 };
  const client = new Proxy(doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: unknown) => {
        if (command instanceof QueryCommand) seen.queries++;
        return target.send(command as never);
      };
    },
  });
  return { client, seen };
}

describe('a change decided on what the caller has just read', () => {
  let api: TestApi;
  let incidentId: string;
  const org = uniqueOrg('hint');

  beforeAll(async () => {
    api = await startTestApi();
    const created = await api.call('POST', '/v1/breach-incidents', {
      token: await api.token(org),
      body: {
        formId: 'form_standard_breach_report',
        responses: { description: 'x', data_categories: ['Contact details'], breach_type: 'type_phishing', jurisdictions: ['GB'] },
      },
    });
    incidentId = ((await created.json()) as { id: string }).id;
  });
  afterAll(() => api.stop());

  const repository = () => {
    const { client, seen } = countingQueries(api.deps.dynamo.doc);
    return { incidents: createIncidentRepository(client, api.deps.tableName, { clock: api.deps.clock, outbox: api.deps.outbox }), seen };
  };

  it('writes without reading again when the read is current', async () => {
    const current = await api.deps.repos.incidents.getAggregate(org, incidentId);
    const { incidents, seen } = repository();
    const decided: number[] = [];
    const { applied, aggregate } = await incidents.recordChange(
      org,
      incidentId,
      (read) => {
        decided.push(read.incident.version);
        return { action: 'test.noted' };
      },
      { actor: SYSTEM_ACTOR, current },
    );
    expect(applied).toBe(true);
    expect(decided).toEqual([current.incident.version]);
    expect(seen.queries).toBe(0);
    expect(aggregate.incident.version).toBe(current.incident.version + 1);
  });

  it('decides again on a fresh read when the one it was given is stale', async () => {
    const stale = await api.deps.repos.incidents.getAggregate(org, incidentId);
    await api.deps.repos.incidents.recordChange(org, incidentId, () => ({ action: 'test.meanwhile' }), { actor: SYSTEM_ACTOR });
    const { incidents } = repository();
    const decided: number[] = [];
    const { applied, aggregate } = await incidents.recordChange(
      org,
      incidentId,
      (read) => {
        decided.push(read.incident.version);
        return { action: 'test.noted' };
      },
      { actor: SYSTEM_ACTOR, current: stale },
    );
    expect(applied).toBe(true);
    expect(decided).toEqual([stale.incident.version, stale.incident.version + 1]);
    expect(aggregate.incident.version).toBe(stale.incident.version + 2);
    const audit = await api.deps.repos.incidents.listAudit(org, incidentId);
    expect(audit.map((e) => e.action).slice(-2)).toEqual(['test.meanwhile', 'test.noted']);
    expect(verifyAuditChain(audit).valid).toBe(true);
  });

  it('keeps a change once by its decision alone when asked (onceBy: decide): no marker item, and a repeat writes nothing', async () => {
    const noteOnce = () =>
      api.deps.repos.incidents.recordChange(
        org,
        incidentId,
        (read) =>
          read.incident.assessmentFacts?.noted ? undefined : { action: 'test.noted-once', set: { assessmentFacts: { noted: true } } },
        { actor: SYSTEM_ACTOR, onceKey: 'noted-once', onceBy: 'decide' },
      );
    expect((await noteOnce()).applied).toBe(true);
    expect((await noteOnce()).applied).toBe(false);
    const marker = await api.deps.dynamo.doc.send(
      new GetCommand({ TableName: api.deps.tableName, Key: keys.once(keys.incidentPartition(org, incidentId), 'noted-once') }),
    );
    expect(marker.Item).toBeUndefined();
    const audit = await api.deps.repos.incidents.listAudit(org, incidentId);
    expect(audit.filter((e) => e.action === 'test.noted-once')).toHaveLength(1);

    // The default keeps the marker, which refuses a repeat whatever the decision says.
    const markOnce = () =>
      api.deps.repos.incidents.recordChange(org, incidentId, () => ({ action: 'test.marked-once' }), {
        actor: SYSTEM_ACTOR,
        onceKey: 'marked-once',
      });
    expect((await markOnce()).applied).toBe(true);
    expect((await markOnce()).applied).toBe(false);
    const marked = await api.deps.dynamo.doc.send(
      new GetCommand({ TableName: api.deps.tableName, Key: keys.once(keys.incidentPartition(org, incidentId), 'marked-once') }),
    );
    expect(marked.Item).toBeDefined();
  });
});
