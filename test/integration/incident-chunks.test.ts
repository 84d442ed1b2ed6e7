import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../domain/audit/chain';
import type { IncidentChange } from '../../domain/incidents/changes';
import type { TrackedObligation } from '../../domain/obligations/schema';
import { notificationTasks } from '../../domain/tasks/notification-tasks';
import { createIncidentRepository } from '../../infra/dynamo/incident-repository';
import { keys } from '../../infra/dynamo/keys';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

const obligation = (n: number): TrackedObligation => ({
  id: `regime_${n}/rule/XX-${n}`,
  regimeId: `regime_${n}`,
  regimeName: `Regime ${n}`,
  jurisdiction: `XX-${n}`,
  recipient: 'supervisory-authority',
  recipientName: `Authority ${n}`,
  required: 'yes',
  dueAt: new Date(Date.UTC(2030, 0, 10) + n * 60_000).toISOString(),
  recommendedBy: null,
  deadlineText: '72 hours',
  legalReference: `Art. ${n}`,
  status: 'open',
  filings: [],
});

/** A document client that dies (like a crashed process) on the `n`th transaction it is asked to write. */
function crashingOn(doc: DynamoDBDocumentClient, n: number): DynamoDBDocumentClient {
  let transactions = 0;
  return new Proxy(doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: unknown) => {
        if (command instanceof TransactWriteCommand && ++transactions === n) return Promise.reject(new Error('process killed'));
        return target.send(command as never);
      };
    },
  });
}

describe('a change larger than a transaction', () => {
  let api: TestApi;
  let token: string;
  const org = uniqueOrg('chunks');

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.token(org);
  });
  afterAll(() => api.stop());

  it('writes 500 obligations and their tasks in atomic audited chunks, and a retry after a crash resumes without duplicates', async () => {
    const created = await api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        responses: {
          description: 'Large breach',
          data_categories: ['Contact details'],
          breach_type: 'type_phishing',
          jurisdictions: ['FR'],
        },
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as Json;
    const obligations = Array.from({ length: 500 }, (_, i) => obligation(i + 1));
    const tasks = notificationTasks(id, obligations, new Date().toISOString());
    const change: IncidentChange = {
      action: 'incident.triaged',
      details: { obligations: 500 },
      set: { severity: { level: 'high', score: 70 } },
      children: [
        ...obligations.map((value) => ({ kind: 'obligation' as const, value, mode: 'create' as const })),
        ...tasks.map((value) => ({ kind: 'task' as const, value, mode: 'create' as const })),
      ],
    };
    const { deps } = api;
    const actor = { type: 'system' as const, id: 'test' };

    // The first attempt dies on its fourth chunk: three chunks are stored, the summary does not show the change yet.
    const crashing = createIncidentRepository(crashingOn(deps.dynamo.doc, 4), deps.tableName, { clock: deps.clock, outbox: deps.outbox });
    await expect(crashing.recordChange(org, id, () => change, { actor, onceKey: 'big-triage' })).rejects.toThrow('process killed');
    const halfway = await deps.repos.incidents.getAggregate(org, id);
    expect(halfway.obligations.length).toBeGreaterThan(0);
    expect(halfway.obligations.length).toBeLessThan(500);
    expect(halfway.incident.severity).toBeNull();

    // The retried step resumes with the same key and finishes; a third call finds the change applied.
    const resumed = await deps.repos.incidents.recordChange(org, id, () => change, { actor, onceKey: 'big-triage' });
    expect(resumed.applied).toBe(true);
    const again = await deps.repos.incidents.recordChange(org, id, () => change, { actor, onceKey: 'big-triage' });
    expect(again.applied).toBe(false);

    const aggregate = await deps.repos.incidents.getAggregate(org, id);
    expect(aggregate.obligations).toHaveLength(500);
    expect(aggregate.tasks.filter((t) => t.purpose === 'notification')).toHaveLength(500);
    expect(aggregate.incident.severity).toEqual({ level: 'high', score: 70 });
    expect(aggregate.incident.obligationSummary).toMatchObject({
      total: 500,
      open: 500,
      nextDueAt: obligations[0]!.dueAt,
      nextObligationId: obligations[0]!.id,
    });

    const audit = await deps.repos.incidents.listAudit(org, id);
    expect(verifyAuditChain(audit, aggregate.incident.audit)).toMatchObject({ valid: true });
    const final = audit.filter((e) => e.action === 'incident.triaged');
    expect(final).toHaveLength(1);
    const { of } = (final[0]!.details as Json).batch;
    expect(of).toBeGreaterThanOrEqual(Math.ceil(1000 / 97));

    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await deps.dynamo.doc.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.incidentPartition(org, id) },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    expect(Math.max(...items.map((item) => Buffer.byteLength(JSON.stringify(item))))).toBeLessThanOrEqual(16 * 1024);

    const detail = (await (await api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
    expect(detail.obligations).toHaveLength(500);
  }, 120_000);
});
