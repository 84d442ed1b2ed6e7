import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

interface FormDetail {
  id: string;
  version: number;
  latestVersion: number;
  publishedVersion: number | null;
  draftVersion: number | null;
  published: { number: number; status: string; fields: { key: string }[] } | null;
  draft: { number: number; status: string; fields: { key: string; label: string }[] } | null;
  versions: { number: number; status: string }[];
}

const seedFields = [
  { label: 'Incident Date', type: 'DATE', required: true },
  { label: 'Description of Incident', type: 'TEXTAREA', required: true },
  { label: 'Estimated Number of Affected Individuals', type: 'NUMBER', required: false },
  {
    label: 'Data Categories Involved',
    type: 'MULTI_SELECT',
    options: ['Personal', 'Financial', 'Health', 'Biometric', 'Children'],
    required: true,
  },
  { label: 'Breach Type', type: 'BREACH_TYPE_SELECT', required: true },
];

describe('versioned intake forms', () => {
  let api: TestApi;
  let token: string;
  const org = uniqueOrg('forms');

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.token(org);
  });
  afterAll(() => api.stop());

  const createForm = async (name: string) => {
    const response = await api.call('POST', '/v1/breach-intake-forms', { token, body: { name, description: 'Test form' } });
    expect(response.status).toBe(201);
    return (await response.json()) as FormDetail;
  };
  const putFields = (id: string, fields: unknown[], headers: Record<string, string> = {}) =>
    api.call('PUT', `/v1/breach-intake-forms/${id}/fields`, { token, body: { fields }, headers });

  it('provisions the published standard form that captures what triage needs', async () => {
    const response = await api.call('GET', '/v1/breach-intake-forms/form_standard_breach_report', { token });
    expect(response.status).toBe(200);
    const form = (await response.json()) as FormDetail & { name: string };
    expect(form.name).toBe('Standard Breach Report Form');
    expect(form.published?.status).toBe('PUBLISHED');
    const keys = form.published!.fields.map((f) => f.key);
    for (const key of [
      'date_occurred',
      'date_discovered',
      'description',
      'estimated_affected',
      'data_categories',
      'breach_type',
      'jurisdictions',
      'data_encrypted',
      'exfiltration',
    ]) {
      expect(keys).toContain(key);
    }
  });

  it('walks draft → published → archived, never editing a published version', async () => {
    const form = await createForm('Lifecycle form');
    expect(form).toMatchObject({ latestVersion: 1, draftVersion: 1, publishedVersion: null });
    expect(form.versions).toEqual([expect.objectContaining({ number: 1, status: 'DRAFT' })]);

    const edited = (await (await putFields(form.id, seedFields)).json()) as FormDetail;
    // Labels that say what a field is take the standard keys and the meanings triage reads.
    expect(edited.draft!.fields.map((f) => f.key)).toEqual([
      'incident_date',
      'description',
      'estimated_affected',
      'data_categories',
      'breach_type',
    ]);
    expect(edited.draft!.fields.map((f) => (f as { mapsTo?: string }).mapsTo)).toEqual([
      'occurredAt',
      'description',
      'affectedCount',
      'dataCategories',
      'breachType',
    ]);

    const published = (await (await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token })).json()) as FormDetail;
    expect(published).toMatchObject({ publishedVersion: 1, draftVersion: null });

    // Editing now opens version 2 as a draft; version 1 stays published and unchanged.
    const v2 = (await (
      await putFields(form.id, [...seedFields, { key: 'reporter_email', label: 'Your email', type: 'EMAIL' }])
    ).json()) as FormDetail;
    expect(v2).toMatchObject({ latestVersion: 2, draftVersion: 2, publishedVersion: 1 });
    const v1 = (await (await api.call('GET', `/v1/breach-intake-forms/${form.id}/versions/1`, { token })).json()) as {
      status: string;
      fields: unknown[];
    };
    expect(v1).toMatchObject({ status: 'PUBLISHED' });
    expect(v1.fields).toHaveLength(5);

    const republished = (await (await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token })).json()) as FormDetail;
    expect(republished.versions.map((v) => [v.number, v.status])).toEqual([
      [1, 'ARCHIVED'],
      [2, 'PUBLISHED'],
    ]);
    const list = (await (await api.call('GET', `/v1/breach-intake-forms/${form.id}/versions`, { token })).json()) as {
      items: { status: string }[];
    };
    expect(list.items.filter((v) => v.status === 'PUBLISHED')).toHaveLength(1);

    const audit = (await (await api.call('GET', `/v1/breach-intake-forms/${form.id}/audit`, { token })).json()) as {
      items: { action: string }[];
      verification: { valid: boolean };
    };
    expect(audit.items.map((e) => e.action)).toEqual([
      'form.created',
      'form.draft.edited',
      'form.published',
      'form.draft.created',
      'form.published',
    ]);
    expect(audit.verification.valid).toBe(true);
  });

  it('refuses to publish an empty draft (422) or when nothing is drafted (409)', async () => {
    const form = await createForm('Empty form');
    const empty = await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { detail: string }).detail).toMatch(/no fields/);
    await putFields(form.id, [{ label: 'Only field', type: 'TEXT' }]);
    expect((await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token })).status).toBe(200);
    const nothing = await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token });
    expect(nothing.status).toBe(409);
  });

  it('names each invalid field definition', async () => {
    const form = await createForm('Invalid fields');
    const response = await putFields(form.id, [
      { label: 'Pick', type: 'SELECT' },
      { key: 'dup', label: 'A', type: 'TEXT' },
      { key: 'dup', label: 'B', type: 'TEXT' },
      { label: 'Count', type: 'NUMBER', min: 10, max: 1 },
      { label: 'Bad type', type: 'COLOR' },
    ]);
    expect(response.status).toBe(400);
    const paths = ((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toContain('body.fields.4.type');
    const semantic = await putFields(form.id, [
      { label: 'Pick', type: 'SELECT' },
      { key: 'dup', label: 'A', type: 'TEXT' },
      { key: 'dup', label: 'B', type: 'TEXT' },
      { label: 'Count', type: 'NUMBER', min: 10, max: 1 },
    ]);
    const semanticPaths = ((await semantic.json()) as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(semanticPaths).toEqual(['body.fields.0.options', 'body.fields.2.key', 'body.fields.3.max']);
  });

  it('paginates the form list with a cursor and refuses a forged cursor', async () => {
    const own = uniqueOrg('pages');
    const ownToken = await api.token(own);
    for (const name of ['A', 'B', 'C']) await api.call('POST', '/v1/breach-intake-forms', { token: ownToken, body: { name } });
    const first = (await (await api.call('GET', '/v1/breach-intake-forms?limit=2', { token: ownToken })).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = (await (
      await api.call('GET', `/v1/breach-intake-forms?limit=2&cursor=${first.nextCursor}`, { token: ownToken })
    ).json()) as { items: { id: string }[] };
    const all = [...first.items, ...second.items].map((f) => f.id);
    expect(new Set(all).size).toBe(4); // three created plus the standard form
    const foreign = await api.call('GET', `/v1/breach-intake-forms?cursor=${first.nextCursor}`, { token });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('query.cursor');
    expect((await api.call('GET', '/v1/breach-intake-forms?limit=0', { token })).status).toBe(400);
  });

  it('renames with optimistic concurrency and deletes an unreferenced form', async () => {
    const form = await createForm('Rename me');
    const stale = await api.call('PUT', `/v1/breach-intake-forms/${form.id}`, {
      token,
      body: { name: 'X' },
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    const ok = await api.call('PUT', `/v1/breach-intake-forms/${form.id}`, {
      token,
      body: { name: 'Renamed' },
      headers: { 'if-match': `"${form.version}"` },
    });
    expect(ok.status).toBe(200);
    expect((await api.call('DELETE', `/v1/breach-intake-forms/${form.id}`, { token })).status).toBe(204);
    expect((await api.call('GET', `/v1/breach-intake-forms/${form.id}`, { token })).status).toBe(404);
  });

  it('enforces form permissions and isolates organisations', async () => {
    const reporter = await api.token(org, { roles: ['reporter'] });
    const denied = await api.call('POST', '/v1/breach-intake-forms', { token: reporter, body: { name: 'Nope' } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { detail: string }).detail).toContain('breach-forms:create');
    const form = await createForm('Private');
    const stranger = await api.token(uniqueOrg('stranger'));
    expect((await api.call('GET', `/v1/breach-intake-forms/${form.id}`, { token: stranger })).status).toBe(404);
    expect((await putFields(form.id, seedFields, {})).status).toBe(200);
    expect(
      (await api.call('PUT', `/v1/breach-intake-forms/${form.id}/fields`, { token: stranger, body: { fields: seedFields } })).status,
    ).toBe(404);
  });
});
