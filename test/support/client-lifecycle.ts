import { expect } from 'vitest';
import type { Client } from 'openapi-fetch';
import type { paths } from '../../clients/typescript';

/** The facts a lifecycle reports: they reach the API, never the workflow engine. */
export interface LifecycleFacts {
  description: string;
  reporterEmail: string;
  comment: string;
  transitionNotes: string;
  filingSummary: string;
}

export interface LifecycleResult {
  formId: string;
  incidentId: string;
  obligationId: string;
}

/**
 * One incident's life through the typed client: a form with its fields, published; an incident submitted on it and
 * triaged; a stage transition; a comment; a filing of the supervisory authority's obligation. `settle` waits for the
 * workflows (the executor's idle).
 */
export async function driveLifecycle(client: Client<paths>, facts: LifecycleFacts, settle: () => Promise<void>): Promise<LifecycleResult> {
  const form = await client.POST('/v1/breach-intake-forms', {
    body: { name: 'Client lifecycle form', description: 'Driven through the typed client' },
  });
  expect(form.response.status, JSON.stringify(form.error)).toBe(201);
  const formId = form.data!.id;

  const fields = await client.PUT('/v1/breach-intake-forms/{id}/fields', {
    params: { path: { id: formId } },
    body: {
      fields: [
        { label: 'Incident Date', type: 'DATE', required: true },
        { label: 'Description of Incident', type: 'TEXTAREA', required: true },
        { label: 'Estimated Number of Affected Individuals', type: 'NUMBER' },
        { label: 'Data Categories Involved', type: 'MULTI_SELECT', options: ['Personal', 'Financial', 'Health'], required: true },
        { label: 'Jurisdictions', type: 'JURISDICTION_SELECT' },
        { key: 'reporter_email', label: 'Reporter email', type: 'EMAIL', required: true },
        { label: 'Breach Type', type: 'BREACH_TYPE_SELECT', required: true },
      ],
    },
  });
  expect(fields.response.status, JSON.stringify(fields.error)).toBe(200);
  const published = await client.POST('/v1/breach-intake-forms/{id}/publish', { params: { path: { id: formId } } });
  expect(published.response.status, JSON.stringify(published.error)).toBe(200);

  const created = await client.POST('/v1/breach-incidents', {
    body: {
      formId,
      breachTypeId: 'type_unauthorized_access',
      responses: {
        incident_date: '2030-01-06',
        description: facts.description,
        estimated_affected: 1500,
        data_categories: ['Personal', 'Financial'],
        jurisdictions: ['FR'],
        reporter_email: facts.reporterEmail,
      },
    },
  });
  expect(created.response.status, JSON.stringify(created.error)).toBe(201);
  const incidentId = created.data!.id;
  await settle();

  const triaged = await client.GET('/v1/breach-incidents/{id}', { params: { path: { id: incidentId } } });
  expect(triaged.data?.stage).toBe('TRIAGE');
  const transitioned = await client.POST('/v1/breach-incidents/{id}/transitions', {
    params: { path: { id: incidentId } },
    body: { targetStage: 'INVESTIGATING', notes: facts.transitionNotes },
  });
  expect(transitioned.response.status, JSON.stringify(transitioned.error)).toBe(200);
  expect(transitioned.data?.stage).toBe('INVESTIGATING');
  const commented = await client.POST('/v1/breach-incidents/{id}/comments', {
    params: { path: { id: incidentId } },
    body: { body: facts.comment },
  });
  expect(commented.response.status, JSON.stringify(commented.error)).toBe(201);
  await settle();

  const incident = await client.GET('/v1/breach-incidents/{id}', { params: { path: { id: incidentId } } });
  const obligation = incident.data?.obligations?.find((o) => o.recipient === 'supervisory-authority' && o.dueAt);
  expect(obligation, 'a supervisory-authority obligation with a deadline').toBeDefined();
  const filed = await client.POST('/v1/breach-incidents/{id}/obligations/{obligationId}/filings', {
    params: { path: { id: incidentId, obligationId: obligation!.id } },
    body: { phase: 'initial', reference: 'CNIL-2030-0042', summary: facts.filingSummary },
  });
  expect(filed.response.status, JSON.stringify(filed.error)).toBe(201);
  expect(filed.data).toMatchObject({ status: 'filed' });
  await settle();
  return { formId, incidentId, obligationId: obligation!.id };
}
