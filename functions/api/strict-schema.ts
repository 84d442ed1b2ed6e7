import { z } from '@hono/zod-openapi';

type Def = Record<string, unknown> & { type: string };
const isSchema = (v: unknown): v is z.ZodType => v instanceof z.ZodType;
const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/**
 * The same schema with every object, at any depth, refusing keys it does not declare, so that a misspelt nested field
 * (`mitigations.backupsRestored`) is a 400 naming its path instead of being silently dropped. Objects that already
 * say what to do with other keys (`.loose()`, `.catchall()`) keep their choice. Each copy is cloned with its original as
 * parent, so OpenAPI names, descriptions and examples carry over. Intersections are left alone: a strict side would
 * refuse the other side's keys.
 */
export function deepStrict<T extends z.ZodType>(schema: T): T {
  return strictCopy(schema, new WeakMap()) as T;
}

function strictCopy(schema: z.ZodType, seen: WeakMap<z.ZodType, z.ZodType>): z.ZodType {
  const done = seen.get(schema);
  if (done) return done;
  const def = defOf(schema);
  const walk = (s: unknown) => (isSchema(s) ? strictCopy(s, seen) : s);
  let changes: Record<string, unknown> | undefined;
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, walk(v)]));
      changes = { shape, ...(def.catchall === undefined ? { catchall: z.never() } : {}) };
      break;
    }
    case 'array':
      changes = { element: walk(def.element) };
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'catch':
    case 'readonly':
      changes = { innerType: walk(def.innerType) };
      break;
    case 'union':
      changes = { options: (def.options as z.ZodType[]).map(walk) };
      break;
    case 'record':
      changes = { valueType: walk(def.valueType) };
      break;
    case 'tuple':
      changes = { items: (def.items as z.ZodType[]).map(walk), rest: def.rest ? walk(def.rest) : def.rest };
      break;
    case 'pipe':
      changes = { in: walk(def.in), out: walk(def.out) };
      break;
    case 'lazy': {
      const getter = def.getter as () => z.ZodType;
      changes = { getter: () => strictCopy(getter(), seen) };
      break;
    }
  }
  if (!changes) return schema;
  const copy = schema.clone({ ...def, ...changes } as typeof schema._zod.def, { parent: true });
  seen.set(schema, copy);
  return copy;
}
