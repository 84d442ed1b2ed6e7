import { expect } from 'vitest';
import type { TestApi } from '../support/test-app';

type Json = Record<string, any>;

/** One field of every type, as a web form would publish it. */
export const everyFieldType = [
  {
    key: 'summary',
    label: 'Short summary',
    type: 'TEXT',
    required: true,
    minLength: 5,
    maxLength: 80,
    helpText: 'One line, e.g. "Laptop stolen from car".',
  },
  { key: 'description', label: 'What happened?', type: 'TEXTAREA', required: true, mapsTo: 'description' },
  {
    key: 'affected',
    label: 'How many people are affected?',
    type: 'NUMBER',
    integer: true,
    min: 0,
    max: 1_000_000,
    mapsTo: 'affectedCount',
  },
  { key: 'noticed_on', label: 'Date you noticed it', type: 'DATE', required: true },
  { key: 'discovered_at', label: 'When was it discovered?', type: 'DATETIME', mapsTo: 'discoveredAt', helpText: 'Your local time.' },
  { key: 'ongoing', label: 'Is it still going on?', type: 'BOOLEAN', required: true },
  { key: 'reporter_email', label: 'Your email', type: 'EMAIL', required: true },
  { key: 'severity_guess', label: 'How serious does it look?', type: 'SELECT', options: ['Low', 'Medium', 'High'] },
  {
    key: 'data_categories',
    label: 'Which data?',
    type: 'MULTI_SELECT',
    required: true,
    options: ['Contact details', 'Financial', 'Health'],
    mapsTo: 'dataCategories',
  },
  { key: 'breach_type', label: 'Kind of breach', type: 'BREACH_TYPE_SELECT', required: true, mapsTo: 'breachType' },
  {
    key: 'jurisdictions',
    label: 'Where do the affected people live?',
    type: 'JURISDICTION_SELECT',
    required: true,
    multiple: true,
    mapsTo: 'jurisdictions',
  },
];

/** Creates and publishes a form with `fields`, and a submission key for it. */
export async function publishedWebForm(api: TestApi, token: string, fields: Json[] = everyFieldType, name = 'Report a data incident') {
  const me = await api.call('GET', '/v1/me', { token });
  expect(me.status).toBe(200);
  const created = await api.call('POST', '/v1/breach-intake-forms', { token, body: { name, description: 'For every employee.' } });
  expect(created.status).toBe(201);
  const form = (await created.json()) as Json;
  expect((await api.call('PUT', `/v1/breach-intake-forms/${form.id}/fields`, { token, body: { fields } })).status).toBe(200);
  expect((await api.call('POST', `/v1/breach-intake-forms/${form.id}/publish`, { token })).status).toBe(200);
  const issued = await api.call('POST', `/v1/breach-intake-forms/${form.id}/submission-keys`, { token });
  expect(issued.status).toBe(201);
  return { formId: form.id as string, issued: (await issued.json()) as Json };
}

export const pagePath = (org: string, formId: string, key: string) => `/forms/${org}/${formId}?key=${encodeURIComponent(key)}`;

export function hiddenValue(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no hidden ${name} in page`);
  return m[1]!;
}
