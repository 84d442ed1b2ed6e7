import { randomUUID } from 'node:crypto';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBreachResponseClient } from '../../clients/typescript';
import { INNGEST_PATH, mountInngestEndpoint } from '../../functions/inngest-endpoint';
import { createDynamoClients } from '../../infra/dynamo/client';
import { startExecutor, VirtualClock, type RunningExecutor } from '../../infra/local/executor';
import { createLogger } from '../../infra/log';
import { createWorkflows } from '../../workflows';
import { driveLifecycle, type LifecycleFacts } from '../support/client-lifecycle';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

/**
 * The workflow engine's run history (Inngest Cloud, a self-hosted server, here the local executor) lives outside the
 * application table's access control and retention, so events and step outputs carry ids, timestamps and codes, never
 * an incident's facts. This runs a lifecycle with recognisable facts and reads every item the executor stored.
 */
describe('personal data stays out of the workflow engine', () => {
  const tag = randomUUID().slice(0, 6);
  const facts: LifecycleFacts = {
    description: `Payroll sheet of Zephyrine Quackenbush${tag} was emailed to the wrong distribution list.`,
    reporterEmail: `xq.reporter-${tag}@example.org`,
    comment: `Called Marguerite Okonkwo${tag}-Delacroix, who confirmed she received the sheet.`,
    transitionNotes: `Ignatius Vandermolen${tag} leads the investigation.`,
    filingSummary: `Filed by Bartholomew Esterhazy${tag} after review.`,
  };
  /** The recognisable part of each fact: a name, the address, or a distinctive phrase. */
  const subjectEmail = `zq.subject-${tag}@example.org`;
  const dpoName = `Philomena Grzybowski${tag}`;
  const needles = [
    `Quackenbush${tag}`,
    facts.reporterEmail,
    `Okonkwo${tag}`,
    `Vandermolen${tag}`,
    `Esterhazy${tag}`,
    'wrong distribution list',
    subjectEmail,
    dpoName,
  ];

  /** A notice drafted with every fact it asks for, addressed to a person, approved: the send workflow emails it. */
  async function notifySubject(client: ReturnType<typeof createBreachResponseClient>, incidentId: string, obligationId: string) {
    const draft = (facts: Record<string, unknown>) =>
      client.POST('/v1/breach-incidents/{id}/notifications', {
        params: { path: { id: incidentId } },
        body: { obligationId, recipients: [{ email: subjectEmail, name: `Zephyrine Quackenbush${tag}` }], facts },
      });
    const probe = await draft({});
    expect(probe.response.status, JSON.stringify(probe.error)).toBe(201);
    const complete = await draft(factsNamed(probe.data?.missing ?? [], dpoName));
    expect(complete.data?.missing).toEqual([]);
    const approved = await client.POST('/v1/notifications/{id}/approve', { params: { path: { id: complete.data!.id } } });
    expect(approved.response.status, JSON.stringify(approved.error)).toBe(200);
    await executor.idle();
    const sent = await client.GET('/v1/notifications/{id}', { params: { path: { id: complete.data!.id } } });
    expect(sent.data?.status).toBe('sent');
  }
  /** Facts for every placeholder a draft reported missing (`dpo.name` → { dpo: { name } }), each set to `value`. */
  function factsNamed(missing: string[], value: string) {
    const facts: Record<string, any> = {};
    for (const path of missing) {
      const parts = path.split('.');
      let node = facts;
      for (const part of parts.slice(0, -1)) node = node[part] ??= {};
      node[parts.at(-1)!] = value;
    }
    return facts;
  }
  const tableName = `executor-minimisation-${tag}`;
  const dynamo = { region: 'us-east-1', endpoint: inject('dynamoEndpoint') };
  let executor: RunningExecutor;
  let api: TestApi;

  beforeAll(async () => {
    const clock = new VirtualClock(Date.UTC(2030, 0, 7, 9));
    executor = await startExecutor({ port: 0, dynamo, tableName, clock, logger: createLogger('silent') });
    api = await startTestApi({ clock, config: { INNGEST_BASE_URL: executor.url } });
    mountInngestEndpoint(api.app, createWorkflows(api.deps, { isDev: true, baseUrl: executor.url }));
    await executor.registerApp(`${api.url}${INNGEST_PATH}`);
  });
  afterAll(async () => {
    await executor?.stop();
    await api?.stop();
  });

  it('stores no fact of the incident in any run, step output or event the executor keeps', async () => {
    const client = createBreachResponseClient({ baseUrl: api.url, token: await api.token(uniqueOrg('minimise')) });
    const { incidentId, obligationId } = await driveLifecycle(client, facts, () => executor.idle());
    await notifySubject(client, incidentId, obligationId);

    // The facts did reach the API: the check below is not vacuous.
    const incident = await client.GET('/v1/breach-incidents/{id}', { params: { path: { id: incidentId } } });
    expect(JSON.stringify(incident.data)).toContain(`Quackenbush${tag}`);

    const { doc, raw } = createDynamoClients(dynamo);
    const items: Record<string, unknown>[] = [];
    try {
      for await (const page of paginateScan({ client: doc }, { TableName: tableName })) items.push(...(page.Items ?? []));
    } finally {
      raw.destroy();
    }
    const kinds = [...new Set(items.map((item) => String(item.pk).split('#')[0]))];
    expect(kinds, 'the executor stored runs and events').toEqual(expect.arrayContaining(['RUN', 'EVENT']));
    // The scan sees what the workflows carry: the incident's id is in its events and runs.
    expect(items.filter((item) => JSON.stringify(item).includes(incidentId)).length).toBeGreaterThan(1);
    const leaks = items.flatMap((item) => {
      const text = JSON.stringify(item);
      return needles.filter((needle) => text.includes(needle)).map((needle) => `${item.pk} ${item.sk}: "${needle}"`);
    });
    expect(leaks, `incident facts found in the executor's table:\n${leaks.join('\n')}`).toEqual([]);
  });
});
