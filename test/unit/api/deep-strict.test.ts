import { z } from '@hono/zod-openapi';
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { describe, expect, it } from 'vitest';
import { deepStrict } from '../../../functions/api/strict-schema';
import { AssessmentInput } from '../../../domain/assessment/schema';

const unknownPaths = (r: { success: boolean; error?: z.ZodError }) =>
  (r.error?.issues ?? []).flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k].join('.')) : []));

describe('deepStrict: request bodies refuse unknown keys at any depth', () => {
  it('names a misspelt key inside nested objects, arrays, defaults and optionals of the assessment input', () => {
    const strict = deepStrict(AssessmentInput);
    const r = strict.safeParse({
      awareAt: '2026-03-02T09:00:00Z',
      personalDataInvolved: true,
      mitigations: { backupsRestored: true },
      affected: [{ jurisdiction: 'DE', count: 3, residents: 3 }],
      encryption: { state: 'full', keyCompromized: false },
      riskOverride: { level: 'risk', rationale: 'DPO', signedBy: 'x' },
    });
    expect(unknownPaths(r).sort()).toEqual([
      'affected.0.residents',
      'encryption.keyCompromized',
      'mitigations.backupsRestored',
      'riskOverride.signedBy',
    ]);
    // The domain schema itself is unchanged: internal callers keep their lenient parse.
    expect(
      AssessmentInput.safeParse({ awareAt: '2026-03-02T09:00:00Z', personalDataInvolved: true, mitigations: { other: 1 } }).success,
    ).toBe(true);
    // A valid body still parses, with its defaults.
    expect(strict.parse({ awareAt: '2026-03-02T09:00:00Z', personalDataInvolved: true }).mitigations).toEqual({});
  });

  it('follows the chosen branch of a discriminated union and the values of a record, and leaves loose objects loose', () => {
    const schema = z.object({
      sla: z.discriminatedUnion('type', [z.object({ type: z.literal('fixed'), hours: z.number() }), z.object({ type: z.literal('none') })]),
      byKey: z.record(z.string(), z.object({ weight: z.number() })),
      extra: z.looseObject({ known: z.string().optional() }),
      lazy: z.lazy(() => z.object({ a: z.number() })).optional(),
    });
    const r = deepStrict(schema).safeParse({
      sla: { type: 'fixed', hours: 1, minutes: 2 },
      byKey: { x: { weight: 1, wieght: 2 } },
      extra: { anything: true },
      lazy: { a: 1, b: 2 },
    });
    expect(unknownPaths(r).sort()).toEqual(['byKey.x.wieght', 'lazy.b', 'sla.minutes']);
  });

  it('keeps OpenAPI names and examples, and documents additionalProperties: false', () => {
    const Named = z.object({ inner: z.object({ a: z.string() }).openapi({ example: { a: 'x' } }) }).openapi('NamedBody');
    const registry = new OpenAPIRegistry();
    registry.register('NamedBody', deepStrict(Named));
    const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const schema = doc.components?.schemas?.NamedBody as Record<string, any>;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.inner).toMatchObject({ additionalProperties: false, example: { a: 'x' } });
  });
});
