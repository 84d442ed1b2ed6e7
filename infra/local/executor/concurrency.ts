import { celValue } from './cel';
import type { FunctionConfig, InngestEvent } from './types';

/** One concurrency group a call must hold a slot of: its identity and the limit the function declared for it. */
export interface ConcurrencyGroup {
  id: string;
  limit: number;
}

interface ConcurrencyOption {
  limit: number;
  key?: string;
  scope?: 'fn' | 'env' | 'account';
}

function optionsOf(config: FunctionConfig): ConcurrencyOption[] {
  const raw = config.concurrency as number | ConcurrencyOption | ConcurrencyOption[] | undefined;
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'number') return [{ limit: raw }];
  return Array.isArray(raw) ? raw : [raw];
}

/**
 * The groups a run's calls count against, as Inngest defines `concurrency`: the limit caps the steps executing at
 * once (sleeping or waiting runs hold nothing); a `key` (CEL over `event`) gives each value its own group; scope `fn`
 * (the default) keeps a function's groups its own, `env`/`account` share a key's group across functions. A limit of
 * 0 means no limit. A key that cannot be evaluated puts the run in the group of the empty value.
 */
export function concurrencyGroups(config: FunctionConfig, event: InngestEvent): ConcurrencyGroup[] {
  return optionsOf(config)
    .filter((o) => Number.isFinite(o.limit) && o.limit > 0)
    .map((o) => {
      const value = o.key ? celValue(o.key, { event }) : '';
      const scope = o.scope ?? 'fn';
      const id = scope === 'fn' ? `fn:${config.id}:${o.key ?? ''}:${value}` : `${scope}:${value}`;
      return { id, limit: o.limit };
    });
}

/** Slots in use per group; the executor's call queue takes a call only when every group it needs has room. */
export class ConcurrencyLimiter {
  private readonly used = new Map<string, number>();

  fits(groups: readonly ConcurrencyGroup[]): boolean {
    return groups.every((g) => (this.used.get(g.id) ?? 0) < g.limit);
  }

  take(groups: readonly ConcurrencyGroup[]) {
    for (const g of groups) this.used.set(g.id, (this.used.get(g.id) ?? 0) + 1);
  }

  release(groups: readonly ConcurrencyGroup[]) {
    for (const g of groups) {
      const left = (this.used.get(g.id) ?? 1) - 1;
      if (left > 0) this.used.set(g.id, left);
      else this.used.delete(g.id);
    }
  }

  inUse(groupId: string): number {
    return this.used.get(groupId) ?? 0;
  }
}
