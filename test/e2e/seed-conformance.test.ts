import { Inngest } from 'inngest';
import { serveInngestApp } from '../../infra/local/serve-inngest-app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullStack, type FullStack } from '../support/full-stack';
import { uniqueOrg } from '../support/test-app';
import { parseCurlExamples, seedCurlExamples, type CurlCall } from './seed-examples';

type Json = Record<string, any>;

/**
 * A team's own app, as the runbook's automation hook describes it: the real Inngest SDK, its own app id, one
 * function on `breach-incident-created`, synced to the same engine as the product.
 */
async function startRunbookHookApp(engineUrl: string) {
  const seen: { incidentId: string; orgId: string }[] = [];
  const client = new Inngest({ id: 'runbook-automation', isDev: true, baseUrl: engineUrl });
  const hook = client.createFunction(
    { id: 'stamp-and-alert', triggers: [{ event: 'breach-incident-created' }] },
    async ({ event, step }) => {
      const data = event.data as { incidentId: string; orgId: string };
      await step.run('record', () => {
        seen.push({ incidentId: data.incidentId, orgId: data.orgId });
        return { incidentId: data.incidentId };
      });
    },
  );
  return { ...(await serveInngestApp(client, [hook])), seen };
}

describe('the seed documentation, run verbatim', () => {
  let stack: FullStack;
  let hookApp: Awaited<ReturnType<typeof startRunbookHookApp>>;
  let token: string;
  const org = uniqueOrg('seed');

  beforeAll(async () => {
    stack = await startFullStack(Date.UTC(2026, 2, 10, 15));
    hookApp = await startRunbookHookApp(stack.executor.url);
    await stack.executor.registerApp(hookApp.url);
    token = await stack.api.token(org);
  });
  afterAll(async () => {
    await stack.stop();
    await hookApp.stop();
  });

  it("runs every curl example in the documentation's order, and the team's own function on breach-incident-created runs for the incident", async () => {
    const calls = parseCurlExamples(seedCurlExamples);
    expect(calls.map((c) => `${c.method} ${c.url.replace('{baseUrl}', '')}`)).toEqual([
      'POST /v1/breach-intake-forms',
      'PUT /v1/breach-intake-forms/{formId}/fields',
      'POST /v1/breach-intake-forms/{formId}/publish',
      'POST /v1/breach-types',
      'GET /v1/breach-types',
      'PUT /v1/breach-types/{typeId}',
      'DELETE /v1/breach-types/{typeId}',
      'POST /v1/breach-incidents',
      'GET /v1/breach-incidents',
      'GET /v1/breach-incidents/{incidentId}',
      'POST /v1/breach-incidents/{incidentId}/transitions',
    ]);
    const ids: Record<string, string> = {};
    /** Only the base URL, the token and the ids earlier calls returned are substituted. */
    const run = async (call: CurlCall) => {
      const fill = (text: string) =>
        text
          .replace('{baseUrl}', stack.api.url)
          .replace(/\{(\w+)\}/g, (whole, name: string) => ids[name] ?? whole)
          .replace('"form_001"', JSON.stringify(ids.formId));
      const response = await fetch(fill(call.url), {
        method: call.method,
        headers: Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k, v.replace('<token>', token)])),
        body: call.body === undefined ? undefined : fill(call.body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as Json, headers: response.headers };
    };
    const [
      createForm,
      configureFields,
      publish,
      createType,
      listTypes,
      updateType,
      deleteType,
      submit,
      listIncidents,
      getIncident,
      transition,
    ] = calls as [CurlCall, ...CurlCall[]];

    const form = await run(createForm!);
    expect(form.status).toBe(201);
    ids.formId = form.body.id;

    const fields = await run(configureFields!);
    expect(fields.status).toBe(200);
    // Labels alone give the keys the documentation's incident uses, and the meanings triage reads.
    expect(fields.body.draft.fields.map((f: Json) => [f.key, f.mapsTo])).toEqual([
      ['incident_date', 'occurredAt'],
      ['description', 'description'],
      ['estimated_affected', 'affectedCount'],
      ['data_categories', 'dataCategories'],
      ['breach_type', 'breachType'],
    ]);

    expect((await run(publish!)).status).toBe(200);

    // The documentation's type is one of the seven every organisation starts with: the 409 names it, so the caller goes on with its id.
    const type = await run(createType!);
    expect(type.status).toBe(409);
    expect(type.body.existingId).toBe('type_unauthorized_access');
    expect(type.headers.get('location')).toBe('/v1/breach-types/type_unauthorized_access');
    ids.typeId = type.body.existingId;

    const types = await run(listTypes!);
    expect(types.status).toBe(200);
    expect(types.body.items.map((t: Json) => t.id)).toContain(ids.typeId);

    const updated = await run(updateType!);
    expect(updated.status).toBe(200);
    expect(updated.body.description).toBe('Updated description for unauthorized access incidents');

    // A built-in type feeds triage's cause and nature: it is described and renamed, never deleted.
    const deleted = await run(deleteType!);
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toContain('built in');

    const incident = await run(submit!);
    expect(incident.status).toBe(201);
    expect(incident.body).toMatchObject({
      formId: ids.formId,
      breachTypeId: 'type_unauthorized_access',
      occurredAt: '2026-03-10T00:00:00.000Z',
    });
    expect(incident.body.responses).toMatchObject({ breach_type: 'type_unauthorized_access', estimated_affected: 1500 });
    ids.incidentId = incident.body.id;
    await stack.idle();

    const list = await run(listIncidents!);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: Json) => i.id)).toContain(ids.incidentId);

    const detail = await run(getIncident!);
    expect(detail.status).toBe(200);
    expect(detail.body.stage).toBe('TRIAGE');
    expect(detail.body.severity).not.toBeNull();

    const moved = await run(transition!);
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('INVESTIGATING');

    // The runbook's hook ran once for the incident; the product's own triage ran once too.
    await stack.idle();
    expect(hookApp.seen).toEqual([{ incidentId: ids.incidentId, orgId: org }]);
    const audit = (await (await stack.api.call('GET', `/v1/breach-incidents/${ids.incidentId}/audit`, { token })).json()) as Json;
    expect(audit.items.filter((e: Json) => e.action === 'incident.triaged')).toHaveLength(1);
  }, 120_000);
});
