import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;

describe('organisation settings', () => {
  let api: TestApi;
  let token: string;
  const org = uniqueOrg('settings');

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.token(org);
  });
  afterAll(() => api.stop());

  it('starts from the deployment defaults and saves the organisation own values with optimistic concurrency', async () => {
    const initial = await api.call('GET', '/v1/settings', { token });
    expect(initial.headers.get('etag')).toBe('"0"');
    expect(await initial.json()).toMatchObject({
      settings: {},
      effective: { dpoEmail: 'dpo@localhost.localdomain', role: 'controller' },
      version: 0,
    });
    const saved = await api.call('PUT', '/v1/settings', {
      token,
      body: { dpoEmail: 'privacy@acme.example', mainEstablishment: 'DE-BY', reminderFractions: [0.5, 0.9] },
      headers: { 'if-match': '"0"' },
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({
      effective: { dpoEmail: 'privacy@acme.example', escalationEmail: 'dp-lead@localhost.localdomain', mainEstablishment: 'DE-BY' },
      version: 1,
    });
    expect((await api.call('PUT', '/v1/settings', { token, body: {}, headers: { 'if-match': '"0"' } })).status).toBe(412);
    const other = (await (await api.call('GET', '/v1/settings', { token: await api.token(uniqueOrg('settings')) })).json()) as Json;
    expect(other.effective.dpoEmail).toBe('dpo@localhost.localdomain');
  });

  it('names each bad setting and requires the permission', async () => {
    const bad = await api.call('PUT', '/v1/settings', {
      token,
      body: { dpoEmail: 'not-an-email', mainEstablishment: 'Bavaria', reminderFractions: [1.5] },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).errors.map((e: Json) => e.path).sort()).toEqual([
      'body.dpoEmail',
      'body.mainEstablishment',
      'body.reminderFractions.0',
    ]);
    const dpo = await api.token(org, { roles: ['dpo'] });
    expect((await api.call('GET', '/v1/settings', { token: dpo })).status).toBe(200);
    expect((await api.call('PUT', '/v1/settings', { token: dpo, body: {} })).status).toBe(403);
  });
});
