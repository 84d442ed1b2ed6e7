import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkflowDefinition } from '../../domain/workflow/default-workflow';
import { startEventRecorder } from '../support/event-recorder';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

describe('configurable workflows with task guards', () => {
  let api: TestApi;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let admin: string;
  const org = uniqueOrg('wf');

  beforeAll(async () => {
    recorder = await startEventRecorder();
    api = await startTestApi({ config: { INNGEST_BASE_URL: recorder.url } });
    admin = await api.token(org);
  });
  afterAll(async () => {
    await api.stop();
    await recorder.stop();
  });

  const report = async () => {
    const response = await api.call('POST', '/v1/breach-incidents', {
      token: admin,
      body: {
        formId: 'form_standard_breach_report',
        responses: { description: 'x', data_categories: ['Contact details'], breach_type: 'type_phishing', jurisdictions: ['GB'] },
      },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Json;
  };
  const move = (id: string, targetStage: string, token = admin) =>
    api.call('POST', `/v1/breach-incidents/${id}/transitions`, { token, body: { targetStage } });
  const tasks = async (id: string) =>
    ((await (await api.call('GET', `/v1/breach-incidents/${id}/tasks`, { token: admin })).json()) as Json).items as Json[];

  it('seeds the default breach workflow', async () => {
    const list = (await (await api.call('GET', '/v1/workflows', { token: admin })).json()) as Json;
    expect(list.items.map((w: Json) => w.id)).toContain('wf_default_breach');
    const detail = (await (await api.call('GET', '/v1/workflows/wf_default_breach', { token: admin })).json()) as Json;
    expect(detail.current.definition.stages.map((s: Json) => s.key)).toEqual([
      'REPORTED',
      'TRIAGE',
      'INVESTIGATING',
      'CONTAINMENT',
      'NOTIFICATION',
      'REMEDIATION',
      'CLOSED',
      'DISMISSED',
    ]);
  });

  it('refuses transitions whose guards fail, naming what is missing, until the tasks are done', async () => {
    const incident = await report();
    for (const stage of ['TRIAGE', 'INVESTIGATING', 'CONTAINMENT']) expect((await move(incident.id, stage)).status).toBe(200);
    const blocked = await move(incident.id, 'NOTIFICATION');
    expect(blocked.status).toBe(409);
    const body = (await blocked.json()) as Json;
    expect(body.missing).toEqual([expect.stringContaining('Contain the breach')]);

    const contain = (await tasks(incident.id)).find((t) => t.stage === 'CONTAINMENT')!;
    const done = await api.call('POST', `/v1/breach-incidents/${incident.id}/tasks/${contain.id}/complete`, {
      token: admin,
      body: { note: 'Keys rotated' },
    });
    expect(done.status).toBe(200);
    expect((await move(incident.id, 'NOTIFICATION')).status).toBe(200);

    const noApproval = await move(incident.id, 'REMEDIATION');
    expect(noApproval.status).toBe(409);
    expect(((await noApproval.json()) as Json).missing[0]).toContain('Approve external communications');
    const approval = (await tasks(incident.id)).find((t) => t.stage === 'NOTIFICATION')!;
    const completeInstead = await api.call('POST', `/v1/breach-incidents/${incident.id}/tasks/${approval.id}/complete`, {
      token: admin,
      body: {},
    });
    expect(completeInstead.status).toBe(409);
    const rejectNoNote = await api.call('POST', `/v1/breach-incidents/${incident.id}/tasks/${approval.id}/approval`, {
      token: admin,
      body: { decision: 'reject' },
    });
    expect(rejectNoNote.status).toBe(400);
    expect(
      (
        await api.call('POST', `/v1/breach-incidents/${incident.id}/tasks/${approval.id}/approval`, {
          token: admin,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(200);
    expect((await move(incident.id, 'REMEDIATION')).status).toBe(200);

    const lessons = (await tasks(incident.id)).find((t) => t.stage === 'REMEDIATION')!;
    const responder = await api.token(org, { roles: ['responder'] });
    await api.call('POST', `/v1/breach-incidents/${incident.id}/tasks/${lessons.id}/complete`, {
      token: responder,
      body: { note: 'Root cause: phishing' },
    });
    const noPermission = await move(incident.id, 'CLOSED', responder);
    expect(noPermission.status).toBe(409);
    expect(((await noPermission.json()) as Json).missing).toEqual(['the permission breach-tasks:approve']);
    expect(await (await move(incident.id, 'CLOSED')).json()).toMatchObject({ stage: 'CLOSED', status: 'closed' });

    const audit = ((await (await api.call('GET', `/v1/breach-incidents/${incident.id}/audit`, { token: admin })).json()) as Json).items.map(
      (e: Json) => e.action,
    );
    expect(audit.filter((a: string) => a.startsWith('task.'))).toEqual(['task.completed', 'task.approved', 'task.completed']);
  });

  it('versions an edited workflow: new incidents use the new version, running ones keep theirs', async () => {
    const before = await report();
    const current = (await (await api.call('GET', '/v1/workflows/wf_default_breach', { token: admin })).json()) as Json;
    const definition = {
      ...defaultWorkflowDefinition,
      transitions: [...defaultWorkflowDefinition.transitions, { from: 'REPORTED', to: 'CLOSED' }],
    };
    const edited = await api.call('PUT', '/v1/workflows/wf_default_breach', {
      token: admin,
      body: definition,
      headers: { 'if-match': `"${current.version}"` },
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ currentVersion: 2 });
    const after = await report();
    expect([before.workflow.version, after.workflow.version]).toEqual([1, 2]);
    expect((await move(before.id, 'CLOSED')).status).toBe(409);
    expect((await move(after.id, 'CLOSED')).status).toBe(200);
    const v1 = (await (await api.call('GET', '/v1/workflows/wf_default_breach/versions/1', { token: admin })).json()) as Json;
    expect(v1.definition.transitions).toHaveLength(defaultWorkflowDefinition.transitions.length);
  });

  it('names every broken rule of a definition', async () => {
    const response = await api.call('POST', '/v1/workflows', {
      token: admin,
      body: {
        name: 'Broken',
        initialStage: 'START',
        stages: [
          { key: 'OPEN', name: 'Open' },
          { key: 'OPEN', name: 'Open again' },
        ],
        transitions: [{ from: 'OPEN', to: 'NOWHERE' }],
      },
    });
    expect(response.status).toBe(400);
    const paths = ((await response.json()) as Json).errors.map((e: Json) => e.path).sort();
    expect(paths).toEqual(['body.initialStage', 'body.stages', 'body.stages.1.key', 'body.transitions.0.to']);
    const shape = await api.call('POST', '/v1/workflows', {
      token: admin,
      body: { name: 'x', initialStage: 'lower', stages: [], transitions: [] },
    });
    expect(shape.status).toBe(400);
    const created = await api.call('POST', '/v1/workflows', {
      token: admin,
      body: {
        name: 'DSAR',
        initialStage: 'RECEIVED',
        stages: [
          { key: 'RECEIVED', name: 'Received' },
          { key: 'ANSWERED', name: 'Answered', final: true },
        ],
        transitions: [{ from: 'RECEIVED', to: 'ANSWERED' }],
      },
    });
    expect(created.status).toBe(201);
    expect((await api.call('GET', '/v1/workflows', { token: await api.token(org, { roles: ['reporter'] }) })).status).toBe(403);
  });
});
