import { describe, expect, it } from 'vitest';
import { appendAuditEntry, emptyChain, verifyAuditChain, type AuditEntry } from '../../../domain/audit/chain';
import { canonicalJson } from '../../../domain/audit/canonical-json';

const actor = { type: 'user' as const, id: 'alice' };

function chainOf(n: number) {
  let head = emptyChain;
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const { entry, chain } = appendAuditEntry(head, {
      at: new Date(Date.UTC(2026, 0, 1, 0, i)),
      actor,
      action: `step.${i}`,
      details: { i },
    });
    entries.push(entry);
    head = chain;
  }
  return { entries, head };
}

describe('audit chain', () => {
  it('encodes objects canonically whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });

  it('verifies an untouched chain and its head', () => {
    const { entries, head } = chainOf(5);
    expect(verifyAuditChain(entries, head)).toEqual({ valid: true, entries: 5, head: head.head });
  });

  it('finds a modified, a removed, a reordered and a truncated entry', () => {
    const { entries, head } = chainOf(5);
    const modified = entries.map((e) => (e.seq === 3 ? { ...e, details: { i: 99 } } : e));
    expect(verifyAuditChain(modified)).toMatchObject({ valid: false, brokenAt: 3 });
    expect(verifyAuditChain(entries.filter((e) => e.seq !== 2))).toMatchObject({ valid: false, brokenAt: 2 });
    expect(verifyAuditChain([entries[1]!, entries[0]!, ...entries.slice(2)])).toMatchObject({ valid: false, brokenAt: 1 });
    expect(verifyAuditChain(entries.slice(0, 4), head)).toMatchObject({ valid: false, brokenAt: 5 });
  });
});
