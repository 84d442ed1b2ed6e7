import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../infra/dynamo/keys';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';
import { hiddenValue, pagePath, publishedWebForm } from './web-forms-fixture';

type Json = Record<string, any>;

const goodAnswers = (): [string, string][] => [
  ['summary', 'Laptop stolen from a car'],
  ['description', 'A company laptop with an unencrypted\r\ncustomer export was stolen.'],
  ['affected', '120'],
  ['noticed_on', '2026-03-10'],
  ['discovered_at', '2026-03-10T09:30'],
  ['ongoing', 'false'],
  ['reporter_email', 'alex@example.com'],
  ['severity_guess', 'High'],
  ['data_categories', 'Contact details'],
  ['data_categories', 'Financial'],
  ['breach_type', 'type_unauthorized_access'],
  ['jurisdictions', 'DE'],
  ['jurisdictions.other', 'us-ca, GB-SCT'],
];

describe('incident web forms over HTTP', () => {
  let api: TestApi;
  let token: string;
  const org = uniqueOrg('webform');
  let formId: string;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.token(org);
    const made = await publishedWebForm(api, token);
    formId = made.formId;
    key = made.issued.key;
  });
  afterAll(() => api.stop());

  const page = async (k = key, id = formId) => {
    const response = await fetch(api.url + pagePath(org, id, k));
    return { response, html: await response.text() };
  };
  /** A filled-in page as a browser would post it, from a fresh page token. */
  const post = async (
    options: {
      answers?: [string, string][];
      extra?: [string, string][];
      headers?: Record<string, string>;
      csrf?: string | null;
      k?: string;
      id?: string;
    } = {},
  ) => {
    const rendered = await page(options.k ?? key, options.id ?? formId);
    const body = new URLSearchParams([
      ['_key', options.k ?? key],
      ...(options.csrf === null ? [] : [['_csrf', options.csrf ?? hiddenValue(rendered.html, '_csrf')] as [string, string]]),
      ['_tz', 'Europe/Berlin'],
      ['Website', ''],
      ...(options.answers ?? goodAnswers()),
      ...(options.extra ?? []),
    ]);
    const response = await fetch(`${api.url}/forms/${org}/${options.id ?? formId}/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url, 'x-forwarded-for': '10.0.0.1', ...options.headers },
      body,
    });
    return { response, html: await response.text() };
  };
  const incidentCount = async () =>
    ((await (await api.call('GET', '/v1/breach-incidents?limit=100', { token })).json()) as Json).items.length as number;

  it('issues a key once, lists only its hint, and shows the embed snippet in the form resource', async () => {
    const created = await api.call('POST', `/v1/breach-intake-forms/${formId}/submission-keys`, { token });
    expect(created.status).toBe(201);
    const issued = (await created.json()) as Json;
    expect(issued.key).toMatch(/^fsk_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(issued.embed.url).toBe(`${api.url}/forms/${org}/${formId}?key=${issued.key}`);
    expect(issued.embed.iframeHtml).toContain(
      `<iframe src="${api.url}/forms/${org}/${formId}?key=${issued.key}" title="Report a data incident"`,
    );
    const listed = (await (await api.call('GET', `/v1/breach-intake-forms/${formId}/submission-keys`, { token })).json()) as Json;
    const entry = listed.items.find((k: Json) => k.id === issued.id);
    expect(entry).toEqual({
      id: issued.id,
      formId,
      hint: `…${issued.key.slice(-4)}`,
      status: 'active',
      version: 1,
      createdAt: issued.createdAt,
      rotatedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(issued.key);
    const form = (await (await api.call('GET', `/v1/breach-intake-forms/${formId}`, { token })).json()) as Json;
    expect(form.embed.iframeHtml).toBe(
      `<iframe src="/forms/${org}/${formId}?key={submissionKey}" title="Report a data incident" width="100%" height="1100" style="border:0;max-width:48rem" loading="lazy"></iframe>`,
    );
    const embed = (await (await api.call('GET', `/v1/breach-intake-forms/${formId}/embed`, { token })).json()) as Json;
    expect(embed.url).toBe(`${api.url}/forms/${org}/${formId}?key={submissionKey}`);
    const reporter = await api.token(org, { roles: ['reporter'] });
    expect((await api.call('POST', `/v1/breach-intake-forms/${formId}/submission-keys`, { token: reporter })).status).toBe(403);
  });

  it('serves a self-contained, frameable page with a control of the right kind for every field', async () => {
    const { response, html } = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(html).not.toMatch(/<link|src="http|url\(/);
    for (const control of [
      '<input type="text" id="f-summary" name="summary"',
      '<textarea id="f-description" name="description"',
      '<input type="number" id="f-affected" name="affected"',
      '<input type="date" id="f-noticed_on"',
      '<input type="datetime-local" id="f-discovered_at"',
      '<input type="radio" id="f-ongoing" name="ongoing"',
      '<input type="email" id="f-reporter_email"',
      '<select id="f-severity_guess"',
      '<input type="checkbox" id="f-data_categories" name="data_categories"',
      '<select id="f-breach_type"',
      '<select id="f-jurisdictions" name="jurisdictions"',
    ]) {
      expect(html).toContain(control);
    }
    expect(html).toContain('<label for="f-summary" id="f-summary-label"');
    expect(html).toContain('aria-describedby="f-summary-help f-summary-error"');
    expect(html).toContain('<p class="help" id="f-summary-help">One line, e.g. &quot;Laptop stolen from car&quot;.</p>');
    expect(html).toContain('<span class="req" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span>');
    expect(html).toContain('<option value="type_unauthorized_access">');
    expect(html).toContain('<option value="US-CA">');
    expect(html).toContain('<option value="DE">Germany (DE)</option>');
    expect(html).toContain('name="Website" tabindex="-1"');
  });

  it('records an incident from a posted page and answers with a receipt naming its reference and time', async () => {
    const { response, html } = await post();
    expect(response.status).toBe(201);
    const reference = /id="receipt-reference">(inc_[0-9A-Z]{26})</.exec(html)?.[1];
    const recordedAt = /id="receipt-recorded-at" datetime="([^"]+)"/.exec(html)?.[1];
    expect(reference).toBeDefined();
    const incident = (await (await api.call('GET', `/v1/breach-incidents/${reference}`, { token })).json()) as Json;
    expect(incident).toMatchObject({
      id: reference,
      formId,
      source: 'web-form',
      createdAt: recordedAt,
      discoveredAt: '2026-03-10T08:30:00.000Z',
      breachTypeId: 'type_unauthorized_access',
    });
    expect(incident.createdBy).toMatch(/^web-form:fsk_/);
    expect(incident.responses).toEqual({
      summary: 'Laptop stolen from a car',
      description: 'A company laptop with an unencrypted\ncustomer export was stolen.',
      affected: 120,
      noticed_on: '2026-03-10',
      discovered_at: '2026-03-10T08:30:00.000Z',
      ongoing: false,
      reporter_email: 'alex@example.com',
      severity_guess: 'High',
      data_categories: ['Contact details', 'Financial'],
      breach_type: 'type_unauthorized_access',
      jurisdictions: ['DE', 'US-CA', 'GB-SCT'],
    });
  });

  it('shows the server validator errors next to each field, with the answers kept', async () => {
    const answers = goodAnswers().map(([k, v]): [string, string] =>
      k === 'affected'
        ? [k, '12.5']
        : k === 'reporter_email'
          ? [k, 'not-an-email']
          : k === 'summary'
            ? [k, 'abc']
            : k === 'jurisdictions.other'
              ? [k, 'UK']
              : [k, v],
    );
    const before = await incidentCount();
    const { response, html } = await post({ answers: answers.filter(([k]) => k !== 'noticed_on') });
    expect(response.status).toBe(400);
    expect(html).toMatch(/<p class="error" id="f-affected-error" aria-live="polite">Expected a whole number<\/p>/);
    expect(html).toMatch(/id="f-reporter_email-error" aria-live="polite">Expected an email address</);
    expect(html).toMatch(/id="f-summary-error" aria-live="polite">Expected at least 5 characters</);
    expect(html).toMatch(/id="f-noticed_on-error" aria-live="polite">This field is required.</);
    expect(html).toMatch(/id="f-jurisdictions-error" aria-live="polite">Expected an ISO 3166-1 alpha-2/);
    expect(html).toMatch(
      /<input type="email" id="f-reporter_email" name="reporter_email" data-field="reporter_email" aria-describedby="f-reporter_email-error" aria-invalid="true" required aria-required="true" autocomplete="email" spellcheck="false" value="not-an-email">/,
    );
    expect(html).toContain('<h2>There are 5 problems</h2>');
    expect(html).toMatch(/id="f-summary"[^>]*value="abc"/);
    expect(html).toMatch(/<option value="DE" selected>/);
    expect(await incidentCount()).toBe(before);
  });

  it('refuses a post without a valid page token, from another site, or with the honeypot filled', async () => {
    const before = await incidentCount();
    const missing = await post({ csrf: null });
    expect(missing.response.status).toBe(403);
    expect(missing.html).toContain('This page has expired');
    const token = hiddenValue((await page()).html, '_csrf');
    const tampered = await post({ csrf: token.replace(/^\d+/, (s) => String(Number(s) + 1)) });
    expect(tampered.response.status).toBe(403);
    const other = (await (
      await api.call('POST', `/v1/breach-intake-forms/${formId}/submission-keys`, { token: await api.token(org) })
    ).json()) as Json;
    const crossKey = await post({ k: other.key, csrf: token });
    expect(crossKey.response.status).toBe(403);
    const crossSite = await post({ headers: { origin: 'https://evil.example' } });
    expect(crossSite.response.status).toBe(403);
    expect(crossSite.html).toContain('sent from another site');
    const opaque = await post({ headers: { origin: 'null' } });
    expect(opaque.response.status).toBe(403);
    const bot = await post({ extra: [['Website', 'https://spam.example']] });
    expect(bot.response.status).toBe(422);
    expect(await incidentCount()).toBe(before);
    const unsupported = await fetch(`${api.url}/forms/${org}/${formId}/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unsupported.status).toBe(415);
  });

  it('scopes a key to its form, and stops accepting a rotated or revoked key', async () => {
    const second = await publishedWebForm(
      api,
      token,
      [{ key: 'what', label: 'What happened?', type: 'TEXTAREA', required: true }],
      'Second form',
    );
    expect((await page(second.issued.key, formId)).response.status).toBe(403);
    expect((await page(key, second.formId)).response.status).toBe(403);
    const wrongScope = await post({ k: second.issued.key, id: formId, csrf: 'x' });
    expect(wrongScope.response.status).toBe(403);

    const rotated = await api.call('POST', `/v1/breach-intake-forms/${second.formId}/submission-keys/${second.issued.id}/rotate`, {
      token,
    });
    expect(rotated.status).toBe(200);
    const fresh = (await rotated.json()) as Json;
    expect(fresh.id).toBe(second.issued.id);
    expect(fresh.key).not.toBe(second.issued.key);
    const stale = await page(second.issued.key, second.formId);
    expect(stale.response.status).toBe(403);
    expect(stale.html).toContain('This link is not valid');
    expect((await page(fresh.key, second.formId)).response.status).toBe(200);

    expect((await api.call('DELETE', `/v1/breach-intake-forms/${second.formId}/submission-keys/${fresh.id}`, { token })).status).toBe(204);
    expect((await page(fresh.key, second.formId)).response.status).toBe(403);
    const listed = (await (await api.call('GET', `/v1/breach-intake-forms/${second.formId}/submission-keys`, { token })).json()) as Json;
    expect(listed.items[0]).toMatchObject({ status: 'revoked', version: 3 });
    expect((await api.call('POST', `/v1/breach-intake-forms/${second.formId}/submission-keys/${fresh.id}/rotate`, { token })).status).toBe(
      409,
    );
  });

  it('rate-limits submissions per client address in DynamoDB, with Retry-After', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.7' };
    const token = hiddenValue((await page()).html, '_csrf');
    const body = new URLSearchParams({ _key: key, _csrf: token, summary: 'x' });
    const send = (headers: Record<string, string>) =>
      fetch(`${api.url}/forms/${org}/${formId}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    for (let i = 0; i < 20; i++) expect((await send(ip)).status).toBe(400);
    const limited = await send(ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many reports');
    expect((await send({ 'x-forwarded-for': '203.0.113.8' })).status).toBe(400);
  });

  it('serves a newly published version, and a clear notice for unpublished, archived and unknown forms', async () => {
    const made = await publishedWebForm(
      api,
      token,
      [{ key: 'what', label: 'What happened?', type: 'TEXTAREA', required: true }],
      'Versioned form',
    );
    const fields = [
      { key: 'what', label: 'What happened?', type: 'TEXTAREA', required: true },
      { key: 'when_seen', label: 'When did you see it?', type: 'DATE' },
    ];
    expect((await api.call('PUT', `/v1/breach-intake-forms/${made.formId}/fields`, { token, body: { fields } })).status).toBe(200);
    expect((await page(made.issued.key, made.formId)).html).not.toContain('When did you see it?');
    expect((await api.call('POST', `/v1/breach-intake-forms/${made.formId}/publish`, { token })).status).toBe(200);
    const v2 = await page(made.issued.key, made.formId);
    expect(v2.html).toContain('When did you see it?');
    expect(v2.html).toContain('data-form-version="2"');

    const draftOnly = (await (await api.call('POST', '/v1/breach-intake-forms', { token, body: { name: 'Draft only' } })).json()) as Json;
    const unpublished = await fetch(`${api.url}/forms/${org}/${draftOnly.id}?key=${made.issued.key}`);
    expect(unpublished.status).toBe(404);
    expect(await unpublished.text()).toContain('This form is not open yet');

    // No endpoint withdraws a form yet; archive it in storage as a future one would.
    await api.deps.dynamo.doc.send(
      new UpdateCommand({
        TableName: api.deps.tableName,
        Key: keys.form(org, made.formId),
        UpdateExpression: 'SET publishedVersion = :n',
        ExpressionAttributeValues: { ':n': null },
      }),
    );
    await api.deps.dynamo.doc.send(
      new UpdateCommand({
        TableName: api.deps.tableName,
        Key: keys.formVersion(org, made.formId, 2),
        UpdateExpression: 'SET #s = :a',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':a': 'ARCHIVED' },
      }),
    );
    const archived = await page(made.issued.key, made.formId);
    expect(archived.response.status).toBe(410);
    expect(archived.html).toContain('This form has been archived');
    expect(archived.response.headers.get('x-frame-options')).toBeNull();

    const unknown = await fetch(`${api.url}/forms/${org}/form_nope?key=${made.issued.key}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Form not found');
    expect((await fetch(`${api.url}/forms/NOT%20AN%20ORG/form_nope`)).status).toBe(404);
  });
});
