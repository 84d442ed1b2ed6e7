import Mustache from 'mustache';
import { InvalidError, NotFoundError } from '../shared/errors';
import { BUILTIN_TEMPLATES } from './builtin-templates';
import { NoticeTemplate, type NoticeFacts, type NoticeTemplateInput, type RenderedNotice } from './schema';
import type { Recipient } from '../regulations/schema';

type Token = [string, string, number, number, Token[]?, ...unknown[]];

const BUILTINS: NoticeTemplate[] = BUILTIN_TEMPLATES.map((t) => NoticeTemplate.parse(t));

export interface TemplateOptions {
  /** The organisation's own templates; one with a built-in id replaces the built-in. */
  overrides?: readonly NoticeTemplateInput[];
}

export function listTemplates(options: TemplateOptions = {}): NoticeTemplate[] {
  const overrides = (options.overrides ?? []).map(validateTemplate);
  const ids = new Set(overrides.map((t) => t.id));
  return [...overrides, ...BUILTINS.filter((t) => !ids.has(t.id))];
}

export function getTemplate(id: string, options: TemplateOptions = {}): NoticeTemplate {
  const found = listTemplates(options).find((t) => t.id === id);
  if (!found) throw new NotFoundError(`No notice template with id '${id}'`);
  return found;
}

/** The template for a regime and recipient: an exact regime match first, then a wildcard one. */
export function selectTemplate(regimeId: string, recipient: Recipient, options: TemplateOptions = {}): NoticeTemplate | undefined {
  const candidates = listTemplates(options).filter((t) => t.recipient === recipient);
  return candidates.find((t) => t.regimeIds.includes(regimeId)) ?? candidates.find((t) => t.regimeIds.includes('*'));
}

/** Schema plus syntax check, so a broken override is refused when saved rather than when a breach is live. */
export function validateTemplate(input: NoticeTemplateInput): NoticeTemplate {
  const parsed = NoticeTemplate.safeParse(input);
  if (!parsed.success) {
    throw new InvalidError(
      'Invalid notice template',
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  for (const field of ['subject', 'body'] as const) {
    try {
      Mustache.parse(parsed.data[field]);
    } catch (e) {
      throw new InvalidError('Invalid notice template', [{ path: field, message: (e as Error).message }]);
    }
  }
  return parsed.data;
}

const isMissing = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** A section is optional when the template also gives an inverted `{{^name}}` fallback for it. */
function invertedNames(tokens: Token[], out = new Set<string>()): Set<string> {
  for (const t of tokens) {
    if (t[0] === '^') out.add(t[1]);
    if (t[4]) invertedNames(t[4], out);
  }
  return out;
}

interface Scan {
  missing: Set<string>;
  scalarMissing: Set<string>;
}

function scan(tokens: Token[], ctx: Mustache.Context, path: string[], optional: Set<string>, out: Scan): void {
  for (const t of tokens) {
    const [type, name] = t;
    const qualified = [...path, name].join('.');
    if (type === 'name' || type === '&') {
      if (name !== '.' && isMissing(ctx.lookup(name))) {
        out.missing.add(qualified);
        out.scalarMissing.add(name);
      }
    } else if (type === '#') {
      const v = ctx.lookup(name);
      if (isMissing(v) || v === false) {
        if (!optional.has(name)) out.missing.add(qualified);
        continue;
      }
      const children = t[4] ?? [];
      if (Array.isArray(v)) v.forEach((item) => scan(children, ctx.push(item), [...path, `${name}[]`], optional, out));
      // Object sections resolve names through the context stack, so names are reported as written.
      else if (typeof v === 'object') scan(children, ctx.push(v), path, optional, out);
      else scan(children, ctx, path, optional, out);
    } else if (type === '^') {
      if (isMissing(ctx.lookup(name)) || ctx.lookup(name) === false) scan(t[4] ?? [], ctx, path, optional, out);
    }
  }
}

/** Renders missing scalars as a visible marker instead of an empty string. */
class MarkingContext extends Mustache.Context {
  constructor(
    view: unknown,
    parent: Mustache.Context | undefined,
    private readonly marked: Set<string>,
  ) {
    super(view, parent);
  }
  override push(view: unknown): Mustache.Context {
    return new MarkingContext(view, this, this.marked);
  }
  override lookup(name: string): unknown {
    const v = super.lookup(name);
    return isMissing(v) && this.marked.has(name) ? `[missing: ${name}]` : v;
  }
}

function renderOne(source: string, facts: NoticeFacts, missing: Set<string>): string {
  const tokens = Mustache.parse(source) as unknown as Token[];
  const out: Scan = { missing: new Set(), scalarMissing: new Set() };
  scan(tokens, new Mustache.Context(facts), [], invertedNames(tokens), out);
  out.missing.forEach((m) => missing.add(m));
  // Plain-text notices: no HTML escaping of facts.
  return Mustache.render(source, new MarkingContext(facts, undefined, out.scalarMissing), {}, { escape: (s: string) => s });
}

export function renderNotice(
  templateOrId: string | NoticeTemplateInput,
  facts: NoticeFacts,
  options: TemplateOptions = {},
): RenderedNotice {
  const template = typeof templateOrId === 'string' ? getTemplate(templateOrId, options) : validateTemplate(templateOrId);
  const missing = new Set<string>();
  const subject = renderOne(template.subject, facts, missing);
  const body = renderOne(template.body, facts, missing);
  return { templateId: template.id, subject, body, missing: [...missing].sort(), complete: missing.size === 0 };
}
