import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillIncidentFilterKeys } from '../../infra/local/backfill-incident-filter-keys';
import { keys } from '../../infra/dynamo/keys';
import { startEventRecorder } from '../support/event-recorder';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

const goodResponses = {
  date_occurred: '2026-03-09T22:00:00Z',
  date_discovered: '2026-03-10T08:15:00+01:00',
  description: 'Unauthorized access to customer database detected via anomalous query patterns.',
  estimated_affected: 1500,
  data_categories: ['Personal', 'Financial'],
  breach_type: 'type_unauthorized_access',
  jurisdictions: ['DE', 'GB', 'US-CA'],
  data_encrypted: 'Not encrypted',
  exfiltration: 'Suspected',
};

describe('incident register', () => {
  let api: TestApi;
  let recorder: Awaited<ReturnType<typeof startEventRecorder>>;
  let token: string;
  const org = uniqueOrg('inc');

  beforeAll(async () => {
    recorder = await startEventRecorder();
    api = await startTestApi({ config: { INNGEST_BASE_URL: recorder.url } });
    token = await api.token(org);
  });
  afterAll(async () => {
    await api.stop();
    await recorder.stop();
  });

  const submit = (body: Json, extra: { token?: string; headers?: Record<string, string> } = {}) =>
    api.call('POST', '/v1/breach-incidents', { token: extra.token ?? token, body, headers: extra.headers });
  const submitStandard = async (responses: Json = goodResponses) => {
    const response = await submit({ formId: 'form_standard_breach_report', responses });
    expect(response.status).toBe(201);
    return (await response.json()) as Json;
  };

  it('records an incident against the published form, stamps the clock instants and emits breach/incident.created', async () => {
    const incident = await submitStandard();
    expect(incident).toMatchObject({
      formId: 'form_standard_breach_report',
      formVersion: 1,
      breachTypeId: 'type_unauthorized_access',
      stage: 'REPORTED',
      status: 'open',
      source: 'api',
      discoveredAt: '2026-03-10T07:15:00.000Z',
      discoveredAtSource: 'form-field',
      occurredAt: '2026-03-09T22:00:00.000Z',
      version: 1,
    });
    expect(incident.id).toMatch(/^inc_[0-9A-Z]{26}$/);
    const event = recorder.events.find((e) => e.id === incident.id);
    expect(event).toMatchObject({
      name: 'breach/incident.created',
      data: { orgId: org, incidentId: incident.id, discoveredAt: '2026-03-10T07:15:00.000Z' },
    });
    const fetched = (await (await api.call('GET', `/v1/breach-incidents/${incident.id}`, { token })).json()) as Json;
    expect(fetched.responses).toEqual(goodResponses);
  });

  it('defaults discoveredAt to reportedAt and says so; a body value wins over the form field', async () => {
    const { date_discovered: _d, date_occurred: _o, ...rest } = goodResponses;
    const defaulted = await submitStandard(rest);
    expect(defaulted.discoveredAtSource).toBe('defaulted-to-reported-at');
    expect(defaulted.discoveredAt).toBe(defaulted.reportedAt);
    const explicit = await submit({
      formId: 'form_standard_breach_report',
      responses: goodResponses,
      discoveredAt: '2026-03-11T00:00:00Z',
    });
    expect(await explicit.json()).toMatchObject({ discoveredAt: '2026-03-11T00:00:00.000Z', discoveredAtSource: 'request' });
  });

  it('names every response that breaks the published form', async () => {
    const response = await submit({
      formId: 'form_standard_breach_report',
      responses: {
        ...goodResponses,
        description: undefined,
        estimated_affected: -3,
        data_categories: ['Personal', 'Gossip'],
        breach_type: 'type_nope',
        jurisdictions: ['UK'],
        extra_field: 1,
      },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    const paths = ((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual([
      'body.responses.breach_type',
      'body.responses.data_categories.1',
      'body.responses.description',
      'body.responses.estimated_affected',
      'body.responses.extra_field',
      'body.responses.jurisdictions.0',
    ]);
  });

  it('refuses a discovery in the future and an occurrence after discovery', async () => {
    const future = await submit({ formId: 'form_standard_breach_report', responses: goodResponses, discoveredAt: '2999-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
    expect(((await future.json()) as Json).errors[0].path).toBe('body.discoveredAt');
    const backwards = await submit({
      formId: 'form_standard_breach_report',
      responses: { ...goodResponses, date_occurred: '2026-03-12T00:00:00Z' },
    });
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as Json).errors[0].path).toBe('body.responses.date_occurred');
  });

  it('answers an unknown form 400 naming formId and an unpublished form 409', async () => {
    const unknown = await submit({ formId: 'form_missing', responses: {} });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Json).errors[0].path).toBe('body.formId');
    const draft = (await (await api.call('POST', '/v1/breach-intake-forms', { token, body: { name: 'Draft only' } })).json()) as Json;
    expect((await submit({ formId: draft.id, responses: {} })).status).toBe(409);
  });

  it('keeps the form version an incident was created with after a new version is published', async () => {
    const form = (await (await api.call('POST', '/v1/breach-intake-forms', { token, body: { name: 'Evolving' } })).json()) as Json;
    await api.call('PUT', `/v1/breach-intake-forms/${form.id}/fields`, {
      token,
      body: { fields: [{ label: 'What happened', type: 'TEXT', required: true }] },
    });
    await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token });
    const first = (await (await submit({ formId: form.id, responses: { what_happened: 'a' } })).json()) as Json;
    await api.call('PUT', `/v1/breach-intake-forms/${form.id}/fields`, {
      token,
      body: { fields: [{ label: 'Summary', type: 'TEXT', required: true }] },
    });
    await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token });
    expect((await submit({ formId: form.id, responses: { what_happened: 'a' } })).status).toBe(400);
    const second = (await (await submit({ formId: form.id, responses: { summary: 'b' } })).json()) as Json;
    expect([first.formVersion, second.formVersion]).toEqual([1, 2]);
    const again = (await (await api.call('GET', `/v1/breach-incidents/${first.id}`, { token })).json()) as Json;
    expect(again.formVersion).toBe(1);
    const blocked = await api.call('DELETE', `/v1/breach-intake-forms/${form.id}`, { token });
    expect(blocked.status).toBe(409);
    expect(((await blocked.json()) as Json).incidentCount).toBe(2);
  });

  it('refuses to delete a breach type incidents reference and says how many', async () => {
    const type = (await (
      await api.call('POST', '/v1/breach-types', { token, body: { name: `Vendor Leak ${Date.now()}` } })
    ).json()) as Json;
    await submitStandard({ ...goodResponses, breach_type: type.id });
    await submitStandard({ ...goodResponses, breach_type: type.id });
    const response = await api.call('DELETE', `/v1/breach-types/${type.id}`, { token });
    expect(response.status).toBe(409);
    const body = (await response.json()) as Json;
    expect(body.incidentCount).toBe(2);
    expect(body.detail).toContain('2 incident');
  });

  it('moves through allowed transitions only, naming the allowed targets, and emits stage changes', async () => {
    const incident = await submitStandard();
    const illegal = await api.call('POST', `/v1/breach-incidents/${incident.id}/transitions`, { token, body: { targetStage: 'CLOSED' } });
    expect(illegal.status).toBe(409);
    expect(((await illegal.json()) as Json).allowedTargets).toEqual(['TRIAGE', 'DISMISSED']);
    const stale = await api.call('POST', `/v1/breach-incidents/${incident.id}/transitions`, {
      token,
      body: { targetStage: 'TRIAGE' },
      headers: { 'if-match': '"5"' },
    });
    expect(stale.status).toBe(412);
    const moved = await api.call('POST', `/v1/breach-incidents/${incident.id}/transitions`, {
      token,
      body: { targetStage: 'TRIAGE', notes: 'Investigation team assigned.' },
      headers: { 'if-match': '"1"' },
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ stage: 'TRIAGE', version: 2 });
    expect(
      recorder.events.some(
        (e) => e.name === 'breach/incident.stage.changed' && e.data.incidentId === incident.id && e.data.to === 'TRIAGE',
      ),
    ).toBe(true);
  });

  it('lets exactly one of two racing transitions win; the loser gets a 409', async () => {
    const incident = await submitStandard();
    const race = await Promise.all(
      ['TRIAGE', 'TRIAGE', 'TRIAGE', 'TRIAGE'].map((targetStage) =>
        api.call('POST', `/v1/breach-incidents/${incident.id}/transitions`, { token, body: { targetStage } }),
      ),
    );
    const statuses = race.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    const verify = (await (await api.call('GET', `/v1/breach-incidents/${incident.id}/audit/verify`, { token })).json()) as Json;
    expect(verify).toMatchObject({ valid: true, entries: 2 });
  });

  it('checks If-Match inside the write: of racing comments-then-transitions on one version, the stale ones get 412', async () => {
    const incident = await submitStandard();
    const etag = `"${incident.version}"`;
    // Both requests read the same version; the comment lands first, so the transition's If-Match is stale when it writes.
    await api.call('POST', `/v1/breach-incidents/${incident.id}/comments`, { token, body: { body: 'Scope confirmed.' } });
    const stale = await api.call('POST', `/v1/breach-incidents/${incident.id}/transitions`, {
      token,
      body: { targetStage: 'TRIAGE' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    const racing = await Promise.all(
      [0, 1, 2].map(() =>
        api.call('POST', `/v1/breach-incidents/${incident.id}/transitions`, {
          token,
          body: { targetStage: 'TRIAGE' },
          headers: { 'if-match': `"${incident.version + 1}"` },
        }),
      ),
    );
    const statuses = racing.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // Without the check inside the write the losers would pass If-Match and fail on the transition rule (409).
    expect(statuses.filter((s) => s === 412)).toHaveLength(2);
  });

  it('chains every change in the audit trail and detects tampering', async () => {
    const incident = await submitStandard();
    await api.call('POST', `/v1/breach-incidents/${incident.id}/comments`, { token, body: { body: 'DPO informed.' } });
    await api.call('POST', `/v1/breach-incidents/${incident.id}/transitions`, { token, body: { targetStage: 'TRIAGE' } });
    const audit = (await (await api.call('GET', `/v1/breach-incidents/${incident.id}/audit`, { token })).json()) as Json;
    expect(audit.items.map((e: Json) => e.action)).toEqual(['incident.created', 'incident.commented', 'incident.stage.changed']);
    expect(audit.items[1].prevHash).toBe(audit.items[0].hash);
    expect(await (await api.call('GET', `/v1/breach-incidents/${incident.id}/audit/verify`, { token })).json()).toMatchObject({
      valid: true,
      entries: 3,
    });

    // Rewrite history behind the API's back, as an attacker with table access would.
    await api.deps.dynamo.doc.send(
      new UpdateCommand({
        TableName: api.deps.tableName,
        Key: keys.auditEntry(keys.incidentPartition(org, incident.id), 2),
        UpdateExpression: 'SET details.#b = :b',
        ExpressionAttributeNames: { '#b': 'body' },
        ExpressionAttributeValues: { ':b': 'Nothing to see here.' },
      }),
    );
    const verify = (await (await api.call('GET', `/v1/breach-incidents/${incident.id}/audit/verify`, { token })).json()) as Json;
    expect(verify).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('replays an idempotent retry without creating a second incident; another body with the key is a 422', async () => {
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const body = { formId: 'form_standard_breach_report', responses: goodResponses };
    const first = await submit(body, { headers });
    const second = await submit(body, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = [(await first.json()) as Json, (await second.json()) as Json];
    expect(b.id).toBe(a.id);
    expect(recorder.events.filter((e) => e.id === a.id)).toHaveLength(1);
    const different = await submit({ ...body, discoveredAt: '2026-03-10T00:00:00Z' }, { headers });
    expect(different.status).toBe(422);
  });

  it('recovers an Idempotency-Key whose first request died: the incident it created is returned, never a second one', async () => {
    const key = `crash-${Date.now()}`;
    const keyHash = createHash('sha256').update(`/v1/breach-incidents\ndev-${org}\n${key}`).digest('hex');
    const body = { formId: 'form_standard_breach_report', responses: goodResponses };
    const nowSeconds = Math.floor(Date.now() / 1000);
    const claim = (leaseUntil: number) =>
      api.deps.dynamo.doc.send(
        new PutCommand({
          TableName: api.deps.tableName,
          Item: {
            ...keys.idempotency(org, keyHash),
            kind: 'idempotency',
            fingerprint: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
            state: 'pending',
            leaseUntil,
            expiresAt: nowSeconds + 3600,
          },
        }),
      );
    // A request that is still running holds its key.
    await claim(nowSeconds + 30);
    expect((await submit(body, { headers: { 'idempotency-key': key } })).status).toBe(409);
    // The process died after committing the incident (its creation record is in the same transaction) and before replying.
    const committed = await submitStandard();
    await api.deps.dynamo.doc.send(
      new PutCommand({ TableName: api.deps.tableName, Item: { ...keys.idempotentCreation(org, keyHash), incidentId: committed.id } }),
    );
    await claim(nowSeconds - 1);
    const retried = await submit(body, { headers: { 'idempotency-key': key } });
    expect(retried.status).toBe(201);
    expect(((await retried.json()) as Json).id).toBe(committed.id);

    // It died before committing anything: the retry creates the incident, once.
    const fresh = `crash-fresh-${Date.now()}`;
    const freshHash = createHash('sha256').update(`/v1/breach-incidents\ndev-${org}\n${fresh}`).digest('hex');
    await api.deps.dynamo.doc.send(
      new PutCommand({
        TableName: api.deps.tableName,
        Item: {
          ...keys.idempotency(org, freshHash),
          kind: 'idempotency',
          fingerprint: 'x',
          state: 'pending',
          leaseUntil: nowSeconds - 1,
          expiresAt: nowSeconds + 3600,
        },
      }),
    );
    const first = await submit(body, { headers: { 'idempotency-key': fresh } });
    const again = await submit(body, { headers: { 'idempotency-key': fresh } });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(((await again.json()) as Json).id).toBe(((await first.json()) as Json).id);
  });

  it('lists newest first through an index, with filters and cursor pagination', async () => {
    const own = uniqueOrg('list');
    const ownToken = await api.token(own);
    const created: Json[] = [];
    for (const breach_type of ['type_phishing', 'type_lost_device', 'type_phishing']) {
      const r = await submit({ formId: 'form_standard_breach_report', responses: { ...goodResponses, breach_type } }, { token: ownToken });
      created.push((await r.json()) as Json);
    }
    await api.call('POST', `/v1/breach-incidents/${created[0]!.id}/transitions`, { token: ownToken, body: { targetStage: 'DISMISSED' } });
    const all = (await (await api.call('GET', '/v1/breach-incidents', { token: ownToken })).json()) as Json;
    expect(all.items.map((i: Json) => i.id)).toEqual(created.map((i) => i.id).reverse());
    const phishing = (await (await api.call('GET', '/v1/breach-incidents?breachTypeId=type_phishing', { token: ownToken })).json()) as Json;
    expect(phishing.items.map((i: Json) => i.id)).toEqual([created[2]!.id, created[0]!.id]);
    const closed = (await (await api.call('GET', '/v1/breach-incidents?status=closed', { token: ownToken })).json()) as Json;
    expect(closed.items.map((i: Json) => i.id)).toEqual([created[0]!.id]);
    const reported = (await (await api.call('GET', '/v1/breach-incidents?stage=REPORTED&limit=1', { token: ownToken })).json()) as Json;
    expect(reported.items).toHaveLength(1);
    const next = (await (
      await api.call('GET', `/v1/breach-incidents?stage=REPORTED&limit=1&cursor=${reported.nextCursor}`, { token: ownToken })
    ).json()) as Json;
    expect([reported.items[0].id, next.items[0].id]).toEqual([created[2]!.id, created[1]!.id]);
    const none = (await (await api.call('GET', `/v1/breach-incidents?createdTo=2000-01-01T00:00:00Z`, { token: ownToken })).json()) as Json;
    expect(none.items).toEqual([]);
    const bad = await api.call('GET', '/v1/breach-incidents?severity=apocalyptic&createdFrom=yesterday', { token: ownToken });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).errors.map((e: Json) => e.path).sort()).toEqual(['query.createdFrom', 'query.severity']);
  });

  it('lists a stage, severity or status from its own index: moved incidents follow their stage, pages continue by cursor', async () => {
    const own = uniqueOrg('filter');
    const ownToken = await api.token(own);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await submit({ formId: 'form_standard_breach_report', responses: goodResponses }, { token: ownToken });
      ids.push(((await r.json()) as Json).id);
    }
    const move = async (id: string, targetStage: string) =>
      expect((await api.call('POST', `/v1/breach-incidents/${id}/transitions`, { token: ownToken, body: { targetStage } })).status).toBe(
        200,
      );
    await move(ids[0]!, 'TRIAGE');
    await move(ids[2]!, 'TRIAGE');
    await move(ids[3]!, 'TRIAGE');
    await move(ids[3]!, 'DISMISSED');
    const actor = { type: 'system' as const, id: 'test' };
    for (const [id, level] of [
      [ids[1]!, 'high'],
      [ids[2]!, 'high'],
      [ids[4]!, 'low'],
    ] as const) {
      await api.deps.repos.incidents.recordChange(own, id, () => ({ action: 'incident.triaged', set: { severity: { level, score: 1 } } }), {
        actor,
        read: 'summary',
      });
    }
    const page = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url = `/v1/breach-incidents?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const answer = (await (await api.call('GET', url, { token: ownToken })).json()) as Json;
        expect(answer.items.length).toBeLessThanOrEqual(1);
        for (const item of answer.items) {
          expect(item).not.toHaveProperty('gsi3pk');
          seen.push(item.id);
        }
        cursor = answer.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await page('stage=TRIAGE')).toEqual([ids[2], ids[0]]);
    expect(await page('stage=REPORTED')).toEqual([ids[4], ids[1]]);
    expect(await page('stage=DISMISSED')).toEqual([ids[3]]);
    expect(await page('status=closed')).toEqual([ids[3]]);
    expect(await page('status=open')).toEqual([ids[4], ids[2], ids[1], ids[0]]);
    expect(await page('severity=high')).toEqual([ids[2], ids[1]]);
    expect(await page('severity=critical')).toEqual([]);
    expect(await page('stage=TRIAGE&severity=high')).toEqual([ids[2]]);
    expect(await page('stage=REPORTED&severity=low&breachTypeId=type_unauthorized_access')).toEqual([ids[4]]);
    expect(await page('severity=high&status=open')).toEqual([ids[2], ids[1]]);
    // A cursor of one stage's listing is refused by another's.
    const first = (await (await api.call('GET', '/v1/breach-incidents?stage=TRIAGE&limit=1', { token: ownToken })).json()) as Json;
    const crossed = await api.call('GET', `/v1/breach-incidents?stage=REPORTED&cursor=${first.nextCursor}`, { token: ownToken });
    expect(crossed.status).toBe(400);
  });

  it('backfills the filter index keys of summaries stored before they existed, once', async () => {
    const own = uniqueOrg('backfill');
    const ownToken = await api.token(own);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submit({ formId: 'form_standard_breach_report', responses: goodResponses }, { token: ownToken });
      ids.push(((await r.json()) as Json).id);
    }
    await api.call('POST', `/v1/breach-incidents/${ids[1]}/transitions`, { token: ownToken, body: { targetStage: 'TRIAGE' } });
    await api.deps.repos.incidents.recordChange(
      own,
      ids[1]!,
      () => ({ action: 'incident.triaged', set: { severity: { level: 'medium', score: 1 } } }),
      { actor: { type: 'system', id: 'test' }, read: 'summary' },
    );
    const { doc } = api.deps.dynamo;
    const table = api.deps.tableName;
    // As stored by the version before the filter indexes: listed by type in gsi2, which projected every attribute.
    const byType = async (id: string) => {
      const { breachTypeId, createdAt } = await api.deps.repos.incidents.get(own, id);
      return { ':type': `ORG#${own}#TYPE#${breachTypeId}`, ':sk': `${createdAt}#${id}` };
    };
    for (const id of ids)
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.incident(own, id),
          UpdateExpression: 'SET gsi2pk = :type, gsi2sk = :sk REMOVE gsi3pk, gsi4pk, gsi5pk, gsi6pk',
          ExpressionAttributeValues: await byType(id),
        }),
      );
    const list = async (query: string) =>
      ((await (await api.call('GET', `/v1/breach-incidents?${query}`, { token: ownToken })).json()) as Json).items.map((i: Json) => i.id);
    const { breachTypeId } = await api.deps.repos.incidents.get(own, ids[0]!);
    expect(await list('stage=REPORTED')).toEqual([]);
    expect(await list(`breachTypeId=${breachTypeId}`)).toEqual([]);
    const versions = await Promise.all(ids.map(async (id) => (await api.deps.repos.incidents.get(own, id)).version));

    expect(await backfillIncidentFilterKeys(doc, table)).toBeGreaterThanOrEqual(3);
    expect(await list('stage=REPORTED')).toEqual([ids[2], ids[0]]);
    expect(await list('stage=TRIAGE&severity=medium')).toEqual([ids[1]]);
    expect(await list('severity=medium')).toEqual([ids[1]]);
    expect(await list('status=open')).toEqual([...ids].reverse());
    expect(await list(`breachTypeId=${breachTypeId}`)).toEqual([...ids].reverse());
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: keys.incident(own, ids[0]!) }));
    expect(Item).not.toHaveProperty('gsi2pk');
    // Storage only: the incidents' versions and audit trails are untouched, and a second run finds nothing to do.
    expect(await Promise.all(ids.map(async (id) => (await api.deps.repos.incidents.get(own, id)).version))).toEqual(versions);
    expect(await backfillIncidentFilterKeys(doc, table)).toBe(0);
  });

  it('keeps the record and delivers the event later when the workflow engine is down', async () => {
    recorder.failNext(1000);
    const incident = await submitStandard();
    expect(recorder.events.some((e) => e.id === incident.id)).toBe(false);
    recorder.failNext(0);
    const sent = await api.deps.outbox.relayPending(new Date(Date.now() + 60_000));
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(recorder.events.filter((e) => e.id === incident.id)).toHaveLength(1);
  });

  it('applies incident permissions and hides incidents from other organisations', async () => {
    const reporter = await api.token(org, { roles: ['reporter'] });
    const created = await submit({ formId: 'form_standard_breach_report', responses: goodResponses }, { token: reporter });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as Json).id;
    const listDenied = await api.call('GET', '/v1/breach-incidents', { token: reporter });
    expect(listDenied.status).toBe(403);
    expect(((await listDenied.json()) as Json).detail).toContain('breach-incidents:list');
    expect(
      (await api.call('POST', `/v1/breach-incidents/${id}/transitions`, { token: reporter, body: { targetStage: 'TRIAGE' } })).status,
    ).toBe(403);
    const stranger = await api.token(uniqueOrg('spy'));
    expect((await api.call('GET', `/v1/breach-incidents/${id}`, { token: stranger })).status).toBe(404);
    expect((await api.call('GET', `/v1/breach-incidents/${id}/audit`, { token: stranger })).status).toBe(404);
    expect((await api.call('POST', `/v1/breach-incidents/${id}/comments`, { token: stranger, body: { body: 'hi' } })).status).toBe(404);
  });
});
