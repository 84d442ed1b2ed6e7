import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../domain/regulations/catalog';
import { keys } from '../../infra/dynamo/keys';
import { incidentCreated, outgoing } from '../../workflows/events';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';

type Json = Record<string, any>;

/** Every jurisdiction some regime of the catalog names: the breach this product matters most for. */
const everyJurisdiction = () => [...new Set(defaultCatalog().regimes.flatMap((r) => r.jurisdictions))].sort();

describe('the incident as an item collection, on the virtual clock', () => {
  let stack: FullStack;
  let token: string;
  const org = uniqueOrg('storage');

  beforeAll(async () => {
    stack = await startFullStack();
    token = await stack.api.token(org);
  });
  afterAll(() => stack.stop());

  async function partitionItems(incidentId: string) {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await stack.api.deps.dynamo.doc.send(
        new QueryCommand({
          TableName: stack.api.deps.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.incidentPartition(org, incidentId) },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  it('triages a breach in every jurisdiction of the catalog: obligations in chunks, each audited, the DPO emailed, TRIAGE entered with its own task', async () => {
    const jurisdictions = everyJurisdiction();
    expect(jurisdictions.length).toBeGreaterThan(60);
    const response = await stack.api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        discoveredAt: stack.clock.now().toISOString(),
        responses: {
          description: 'Customer records of every market exfiltrated from the CRM.',
          estimated_affected: 2_000_000,
          data_categories: ['Financial', 'Contact details'],
          breach_type: 'type_unauthorized_access',
          jurisdictions,
          data_encrypted: 'Not encrypted',
          exfiltration: 'Confirmed',
        },
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as Json;
    await stack.idle();

    const incident = (await (await stack.api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
    expect(incident.automation).toBeUndefined();
    expect(incident.stage).toBe('TRIAGE');
    expect(incident.obligations.length).toBeGreaterThan(150);
    expect(incident.obligationSummary).toMatchObject({
      total: incident.obligations.length,
      open: incident.obligations.filter((o: Json) => o.status === 'open').length,
    });
    const notificationTasks = incident.tasks.filter((t: Json) => t.purpose === 'notification');
    expect(notificationTasks).toHaveLength(incident.obligations.length);
    // The automated move used the workflow's transition rule: the TRIAGE stage's own task exists.
    expect(incident.tasks.filter((t: Json) => t.stage === 'TRIAGE').map((t: Json) => t.title)).toEqual([
      'Confirm severity, scope and affected jurisdictions',
    ]);

    const audit = (await (await stack.api.call('GET', `/v1/breach-incidents/${id}/audit`, { token })).json()) as Json;
    const parts = audit.items.filter((e: Json) => e.action === 'incident.triaged.part');
    const triaged = audit.items.filter((e: Json) => e.action === 'incident.triaged');
    expect(parts.length).toBeGreaterThan(1);
    expect(triaged).toHaveLength(1);
    expect(triaged[0].details.batch).toMatchObject({ part: parts.length + 1, of: parts.length + 1 });
    const writtenObligations = [...parts, ...triaged].flatMap((e: Json) =>
      e.details.written.filter((w: Json) => w.kind === 'obligation').map((w: Json) => w.id),
    );
    expect(new Set(writtenObligations).size).toBe(incident.obligations.length);
    expect(await (await stack.api.call('GET', `/v1/breach-incidents/${id}/audit/verify`, { token })).json()).toMatchObject({ valid: true });

    const dpo = (await stack.emailsAbout(id)).filter((e) => e.subject.includes('triaged'));
    expect(dpo).toHaveLength(1);

    const items = await partitionItems(id);
    const largest = Math.max(...items.map((item) => Buffer.byteLength(JSON.stringify(item))));
    expect(largest).toBeLessThanOrEqual(16 * 1024);
    const summary = (await (await stack.api.call('GET', `/v1/breach-incidents?limit=5`, { token })).json()) as Json;
    expect(summary.items.find((i: Json) => i.id === id)).not.toHaveProperty('obligations');
  }, 240_000);

  it('flags an incident whose triage failed for good, audits it and tells the DPO and the DP lead to triage by hand', async () => {
    const now = stack.clock.now();
    const id = `inc_broken_${Date.now()}`;
    const at = now.toISOString();
    // An incident whose form version no longer exists can never be assessed: triage fails without retries.
    await stack.api.deps.repos.incidents.create(
      org,
      {
        incident: {
          id,
          formId: 'form_standard_breach_report',
          formVersion: 999,
          breachTypeId: null,
          responses: {},
          stage: 'REPORTED',
          status: 'open',
          severity: null,
          source: 'api',
          workflow: { id: 'wf_default_breach', version: 1 },
          reportedAt: at,
          discoveredAt: at,
          discoveredAtSource: 'defaulted-to-reported-at',
          occurredAt: null,
          createdBy: 'test',
          version: 1,
          createdAt: at,
          updatedAt: at,
          audit: { seq: 0, head: '' },
        },
        assessment: null,
        obligations: [],
        tasks: [],
        notifications: [],
        comments: [],
        reassessments: [],
        attachments: [],
      },
      { type: 'user', id: 'test' },
      {},
      [
        outgoing(
          incidentCreated,
          { orgId: org, incidentId: id, formId: 'form_standard_breach_report', formVersion: 999, discoveredAt: at, source: 'api' },
          { id, ts: now.getTime() },
        ),
      ],
    );
    await stack.idle();

    const incident = (await (await stack.api.call('GET', `/v1/breach-incidents/${id}`, { token })).json()) as Json;
    expect(incident.stage).toBe('REPORTED');
    expect(incident.automation).toMatchObject({ status: 'failed', functionId: 'triage-incident' });
    expect(incident.automation.reason).toContain('999');
    expect(incident.timeline.map((e: Json) => e.action)).toContain('incident.automation.failed');
    const alerts = (await stack.emailsAbout(id)).filter((e) => e.subject.includes('manual triage needed'));
    expect(alerts.map((e) => e.destination.to[0]).sort()).toEqual(['dp-lead@localhost.localdomain', 'dpo@localhost.localdomain']);
    expect(alerts[0]!.body.text).toContain('not triaged automatically');
  });
});
