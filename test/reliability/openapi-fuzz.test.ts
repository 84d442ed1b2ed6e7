import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';

type Json = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema?: Json }[];
  body?: Json;
}

const resolve = (doc: Json, schema: Json | undefined): Json => {
  if (!schema) return {};
  if (typeof schema.$ref === 'string')
    return resolve(
      doc,
      schema.$ref
        .split('/')
        .slice(1)
        .reduce((o: Json, k: string) => o?.[k], doc),
    );
  return schema;
};

/** Values near and beyond what a schema allows: right shape with wrong contents, wrong shapes, edge cases. */
function valueFor(doc: Json, raw: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const junk = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 30 }),
    fc.constant(''),
    fc.constant('x'.repeat(20_000)),
    fc.constant({}),
    fc.constant([]),
  );
  if (depth > 3) return junk;
  const own: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) own.push(fc.constantFrom(...(schema.enum as unknown[])));
  const types = ([] as string[]).concat(schema.type ?? []);
  if (types.includes('string'))
    own.push(
      fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom(
          '2030-01-01T00:00:00Z',
          'not-a-date',
          'inc_01JABCDEF0123456789ABCDEFG',
          '../../etc/passwd',
          '<script>',
          '\u0000',
          'DE',
        ),
      ),
    );
  if (types.includes('integer') || types.includes('number'))
    own.push(fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(-1, 0, 2 ** 53, 1e308, 0.5)));
  if (types.includes('array')) own.push(fc.array(valueFor(doc, schema.items, depth + 1), { maxLength: 4 }));
  if (types.includes('object') || schema.properties) {
    const props = Object.entries((schema.properties ?? {}) as Record<string, Json>);
    own.push(fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueFor(doc, v, depth + 1)])), { requiredKeys: [] }));
  }
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) own.push(valueFor(doc, alt, depth + 1));
  return own.length ? fc.oneof({ weight: 4, arbitrary: fc.oneof(...own) }, { weight: 1, arbitrary: junk }) : junk;
}

describe('reliability: property-based requests from the OpenAPI document', () => {
  let api: TestApi;
  let token: string;
  let operations: Operation[] = [];
  let incidentId = 'inc_01JABCDEF0123456789ABCDEFG';
  let doc: Json;

  beforeAll(async () => {
    api = await startTestApi({ config: { INNGEST_BASE_URL: 'http://127.0.0.1:9' } });
    token = await api.token(uniqueOrg('fuzz'));
    doc = (await (await api.call('GET', '/v1/openapi.json')).json()) as Json;
    const created = await api.call('POST', '/v1/breach-incidents', {
      token,
      body: {
        formId: 'form_standard_breach_report',
        responses: {
          description: 'Fuzz target',
          data_categories: ['Contact details'],
          breach_type: 'type_system_misconfiguration',
          jurisdictions: ['DE'],
        },
      },
    });
    incidentId = ((await created.json()) as Json).id ?? incidentId;
    operations = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          params: [...((item.parameters ?? []) as Operation['params']), ...((op.parameters ?? []) as Operation['params'])],
          body: op.requestBody?.content?.['application/json']?.schema,
        })),
    );
  });
  afterAll(() => api.stop());

  it('answers 5,000+ generated requests across every route with no 5xx, and every 4xx as problem+json', async () => {
    expect(operations.length).toBeGreaterThan(30);
    const perRoute = Math.ceil(5_200 / operations.length);
    const failures: string[] = [];
    let sent = 0;
    for (const op of operations) {
      const pathParam = (name: string) =>
        fc.oneof(
          fc.constantFrom(
            name === 'id' ? incidentId : 'form_standard_breach_report',
            'x',
            '%00',
            '..',
            'a'.repeat(300),
            'inc_00000000000000000000000000',
          ),
          fc.string({ minLength: 1, maxLength: 40 }),
        );
      const request = fc.record({
        path: fc.record(Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, pathParam(p.name)]))),
        query: fc.record(
          Object.fromEntries(
            op.params
              .filter((p) => p.in === 'query')
              .map((p) => [p.name, fc.option(valueFor(doc, p.schema).map((v) => String(v).slice(0, 500)))]),
          ),
          { requiredKeys: [] },
        ),
        body: fc.oneof(
          { weight: 5, arbitrary: valueFor(doc, op.body) },
          { weight: 1, arbitrary: fc.constantFrom('{', '[1,', '"\u0000"', 'null', `{"a":${'['.repeat(5000)}`) },
        ),
        rawBody: fc.boolean(),
        ifMatch: fc.option(fc.constantFrom('"1"', 'W/"x"', '*', 'garbage')),
      });
      const samples = fc.sample(request, perRoute);
      for (let i = 0; i < samples.length; i += 25) {
        await Promise.all(
          samples.slice(i, i + 25).map(async (s) => {
            let path = op.path;
            for (const [k, v] of Object.entries(s.path)) path = path.replace(`{${k}}`, encodeURIComponent(String(v)));
            const query = new URLSearchParams(Object.entries(s.query).filter(([, v]) => v !== null) as [string, string][]).toString();
            const url = `${path}${query ? `?${query}` : ''}`;
            const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
            const body = hasBody ? (s.rawBody && typeof s.body === 'string' ? s.body : JSON.stringify(s.body ?? null)) : undefined;
            const response = await api.call(op.method, url, { token, body, headers: s.ifMatch ? { 'if-match': s.ifMatch } : {} });
            sent++;
            const type = response.headers.get('content-type') ?? '';
            const text = await response.text();
            if (response.status >= 500)
              failures.push(
                `${op.method} ${url.slice(0, 200)} → ${response.status} ${text.slice(0, 200)} body=${String(body).slice(0, 200)}`,
              );
            else if (response.status >= 400 && !type.includes('application/problem+json'))
              failures.push(`${op.method} ${url.slice(0, 200)} → ${response.status} as ${type}`);
          }),
        );
      }
    }
    expect(sent).toBeGreaterThanOrEqual(5_000);
    expect(failures.slice(0, 20)).toEqual([]);
  }, 240_000);

  it('refuses a field it does not know in every JSON body with a 400 naming it', async () => {
    const withBodies = operations.filter((op) => resolve(doc, op.body).type === 'object');
    expect(withBodies.length).toBeGreaterThan(15);
    const missed: string[] = [];
    for (const op of withBodies) {
      let path = op.path;
      for (const p of op.params.filter((p) => p.in === 'path'))
        path = path.replace(`{${p.name}}`, p.name === 'id' ? incidentId : p.name === 'source' ? 'sentry' : 'x');
      const response = await api.call(op.method, path, { token, body: { organisation: { establishment: 'DE' } } });
      const body = (await response.json().catch(() => ({}))) as Json;
      const named = (body.errors ?? []).some((e: Json) => e.path === 'body.organisation' && e.message === 'not a field of this request');
      if (response.status !== 400 || !named) missed.push(`${op.method} ${op.path} → ${response.status}`);
    }
    expect(missed).toEqual([]);
  });

  it('refuses an unknown field inside every nested object of every JSON body, naming its full path', async () => {
    const probes = operations.flatMap((op) => nestedProbes(doc, op.body).map((probe) => ({ op, ...probe })));
    expect(probes.length).toBeGreaterThan(15);
    expect(probes.some((p) => p.expectedPath === 'body.mitigations.backupsRestoredd')).toBe(true);
    expect(probes.some((p) => p.expectedPath === 'body.affected.0.backupsRestoredd')).toBe(true);
    const missed: string[] = [];
    for (const { op, body, expectedPath } of probes) {
      let path = op.path;
      for (const p of op.params.filter((p) => p.in === 'path'))
        path = path.replace(`{${p.name}}`, p.name === 'id' ? incidentId : p.name === 'source' ? 'sentry' : 'x');
      const response = await api.call(op.method, path, { token, body });
      const type = response.headers.get('content-type') ?? '';
      const problem = (await response.json().catch(() => ({}))) as Json;
      const named = (problem.errors ?? []).some((e: Json) => e.path === expectedPath && e.message === 'not a field of this request');
      if (response.status !== 400 || !type.includes('application/problem+json') || !named)
        missed.push(`${op.method} ${op.path} ${expectedPath} → ${response.status} ${JSON.stringify(problem.errors ?? []).slice(0, 200)}`);
    }
    expect(missed).toEqual([]);
  });
});

const UNKNOWN = 'backupsRestoredd';

/**
 * For each object nested (to depth 3) in a body schema, a body carrying one unknown key there and the path a 400 must
 * name. Discriminators (`const` or single-value enums) are filled in so that the union chooses its branch.
 */
function nestedProbes(doc: Json, raw: Json | undefined): { body: unknown; expectedPath: string }[] {
  const probes: { body: unknown; expectedPath: string }[] = [];
  const objectsIn = (s: Json): Json[] => {
    const schema = resolve(doc, s);
    const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(objectsIn);
    return schema.properties ? [schema, ...alternatives] : alternatives;
  };
  const pinned = (s: Json) =>
    Object.fromEntries(
      Object.entries((s.properties ?? {}) as Record<string, Json>)
        .map(([k, v]) => [k, resolve(doc, v)] as const)
        .filter(([, v]) => v.const !== undefined || v.enum?.length === 1)
        .map(([k, v]) => [k, v.const ?? v.enum[0]]),
    );
  const visit = (s: Json, wrap: (inner: unknown) => unknown, path: string, depth: number) => {
    if (depth > 3) return;
    for (const [key, child] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
      const resolved = resolve(doc, child);
      const asItems = resolve(doc, resolved.items);
      for (const [obj, wrapHere, pathHere] of [
        ...objectsIn(resolved).map((o) => [o, (inner: unknown) => wrap({ ...pinned(s), [key]: inner }), `${path}.${key}`] as const),
        ...objectsIn(asItems).map((o) => [o, (inner: unknown) => wrap({ ...pinned(s), [key]: [inner] }), `${path}.${key}.0`] as const),
      ]) {
        // An object that declares what other keys may hold (a record, a loose object) accepts them on purpose.
        if (obj.additionalProperties !== undefined && obj.additionalProperties !== false) continue;
        probes.push({ body: wrapHere({ ...pinned(obj), [UNKNOWN]: true }), expectedPath: `${pathHere}.${UNKNOWN}` });
        visit(obj, wrapHere, pathHere, depth + 1);
      }
    }
  };
  const top = resolve(doc, raw);
  if (top.type === 'object') visit(top, (inner) => inner, 'body', 1);
  return probes;
}
