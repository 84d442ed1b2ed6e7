import { parse } from '@marcbachmann/cel-js';

type Compiled = ReturnType<typeof parse>;
const cache = new Map<string, Compiled>();

/**
 * Evaluates a CEL expression as Inngest does for trigger `if`, `waitForEvent` and `cancelOn`: `event` is the
 * triggering event, `async` the incoming one. A missing field, a type error or a non-true result is "no match".
 */
export function celMatches(expression: string | undefined, variables: { event: unknown; async?: unknown }): boolean {
  if (!expression || !expression.trim()) return true;
  let compiled = cache.get(expression);
  if (!compiled) {
    try {
      compiled = parse(expression);
    } catch {
      return false;
    }
    cache.set(expression, compiled);
  }
  try {
    return compiled(variables as Record<string, unknown>) === true;
  } catch {
    return false;
  }
}
