import { parse } from '@marcbachmann/cel-js';

type Compiled = ReturnType<typeof parse>;
const cache = new Map<string, Compiled>();

/**
 * Evaluates a CEL expression as Inngest does for trigger `if`, `waitForEvent` and `cancelOn`: `event` is the
 * triggering event, `async` the incoming one. A missing field, a type error or a non-true result is "no match".
 */
export function celMatches(expression: string | undefined, variables: { event: unknown; async?: unknown }): boolean {
  if (!expression?.trim()) return true;
  const compiled = compile(expression);
  if (!compiled) return false;
  try {
    return compiled(variables as Record<string, unknown>) === true;
  } catch {
    return false;
  }
}

/** The value of a CEL expression as a string (a concurrency key); '' when it cannot be evaluated. */
export function celValue(expression: string, variables: { event: unknown }): string {
  const compiled = compile(expression);
  if (!compiled) return '';
  try {
    const value: unknown = compiled(variables as Record<string, unknown>);
    return typeof value === 'string'
      ? value
      : (JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '');
  } catch {
    return '';
  }
}

function compile(expression: string): Compiled | undefined {
  let compiled = cache.get(expression);
  if (!compiled) {
    try {
      compiled = parse(expression);
    } catch {
      return undefined;
    }
    cache.set(expression, compiled);
  }
  return compiled;
}
