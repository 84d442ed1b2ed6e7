import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

describe('breach types', () => {
  let api: TestApi;
  let token: string;
  const org = uniqueOrg('types');

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.token(org);
  });
  afterAll(() => api.stop());

  it("starts every organisation with the seed's seven types", async () => {
    const response = await api.call('GET', '/v1/breach-types', { token });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { id: string; name: string; builtIn: boolean }[] };
    expect(items.map((t) => t.name).sort()).toEqual(
      [
        'Accidental Disclosure',
        'Data Theft',
        'Lost Device',
        'Phishing',
        'Ransomware',
        'System Misconfiguration',
        'Unauthorized Access',
      ].sort(),
    );
    expect(items.find((t) => t.name === 'Unauthorized Access')).toMatchObject({ id: 'type_unauthorized_access', builtIn: true });
  });

  it('creates, reads, renames and deletes a type, with ETags', async () => {
    const created = await api.call('POST', '/v1/breach-types', {
      token,
      body: { name: 'Insider Misuse', description: 'An employee misused access' },
    });
    expect(created.status).toBe(201);
    const type = (await created.json()) as { id: string; version: number };
    expect(type.id).toMatch(/^type_[0-9A-Z]{26}$/);
    expect(created.headers.get('location')).toBe(`/v1/breach-types/${type.id}`);

    const stale = await api.call('PUT', `/v1/breach-types/${type.id}`, {
      token,
      body: { name: 'Insider misuse' },
      headers: { 'if-match': '"99"' },
    });
    expect(stale.status).toBe(412);
    const renamed = await api.call('PUT', `/v1/breach-types/${type.id}`, {
      token,
      body: { name: 'Insider Threat' },
      headers: { 'if-match': '"1"' },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: 'Insider Threat', description: '', version: 2 });
    expect(renamed.headers.get('etag')).toBe('"2"');

    // The old name is free again after a rename; the new one is taken.
    expect((await api.call('POST', '/v1/breach-types', { token, body: { name: 'insider misuse' } })).status).toBe(201);
    const clash = await api.call('POST', '/v1/breach-types', { token, body: { name: 'INSIDER THREAT' } });
    expect(clash.status).toBe(409);
    expect(((await clash.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('body.name');

    expect((await api.call('DELETE', `/v1/breach-types/${type.id}`, { token })).status).toBe(204);
    expect((await api.call('GET', `/v1/breach-types/${type.id}`, { token })).status).toBe(404);
  });

  it('refuses a duplicate of a seeded name and bad input naming the field', async () => {
    const duplicate = await api.call('POST', '/v1/breach-types', { token, body: { name: ' phishing ' } });
    expect(duplicate.status).toBe(409);
    // The conflict names the type that holds the name, so the caller can go on with it.
    expect(duplicate.headers.get('location')).toBe('/v1/breach-types/type_phishing');
    expect(await duplicate.json()).toMatchObject({
      existingId: 'type_phishing',
      existing: { id: 'type_phishing', href: '/v1/breach-types/type_phishing' },
    });
    const renamed = (await (await api.call('POST', '/v1/breach-types', { token, body: { name: `Vendor ${Date.now()}` } })).json()) as {
      id: string;
    };
    const clash = await api.call('PUT', `/v1/breach-types/${renamed.id}`, { token, body: { name: 'Ransomware' } });
    expect(clash.status).toBe(409);
    expect(((await clash.json()) as { existingId: string }).existingId).toBe('type_ransomware');
    const bad = await api.call('POST', '/v1/breach-types', { token, body: { name: '', description: 7 } });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(['body.description', 'body.name']);
  });

  it('enforces the seed permissions and hides other organisations', async () => {
    const reporter = await api.token(org, { roles: ['reporter'] });
    const denied = await api.call('POST', '/v1/breach-types', { token: reporter, body: { name: 'X' } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { detail: string }).detail).toContain('breach-types:create');
    expect((await api.call('GET', '/v1/breach-types', { token: reporter })).status).toBe(200);

    const created = (await (await api.call('POST', '/v1/breach-types', { token, body: { name: 'Private Type' } })).json()) as {
      id: string;
    };
    const stranger = await api.token(uniqueOrg('other'));
    expect((await api.call('GET', `/v1/breach-types/${created.id}`, { token: stranger })).status).toBe(404);
    expect((await api.call('DELETE', `/v1/breach-types/${created.id}`, { token: stranger })).status).toBe(404);
    expect((await api.call('GET', `/v1/breach-types/${created.id}`, { token })).status).toBe(200);
  });
});
