import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export const actorSchema = z.object({ type: z.enum(['user', 'system', 'webhook']), id: z.string() });
export type Actor = z.infer<typeof actorSchema>;

export const auditEntrySchema = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: actorSchema,
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Where a chain stands: the next entry links to `head`. Kept on the audited aggregate itself. */
export interface ChainHead {
  seq: number;
  head: string;
}

export const emptyChain: ChainHead = { seq: 0, head: GENESIS_HASH };

function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

/** The next link of a chain; callers persist it in the same transaction as the change it records. */
export function appendAuditEntry(chain: ChainHead, input: { at: Date; actor: Actor; action: string; details?: Record<string, unknown> }) {
  const body = {
    seq: chain.seq + 1,
    at: input.at.toISOString(),
    actor: input.actor,
    action: input.action,
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
    prevHash: chain.head,
  };
  const entry: AuditEntry = { ...body, hash: hashOf(body) };
  return { entry, chain: { seq: entry.seq, head: entry.hash } satisfies ChainHead };
}

export type ChainVerification =
  | { valid: true; entries: number; head: string }
  | { valid: false; entries: number; brokenAt: number; reason: string };

/** Recomputes every hash and link in order; reports the first entry that does not hold. */
export function verifyAuditChain(entries: AuditEntry[], expectedHead?: ChainHead): ChainVerification {
  let previous = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const expectedSeq = index + 1;
    const fail = (reason: string): ChainVerification => ({ valid: false, entries: entries.length, brokenAt: expectedSeq, reason });
    if (entry.seq !== expectedSeq) return fail(`expected sequence ${expectedSeq}, found ${entry.seq} (an entry is missing or inserted)`);
    if (entry.prevHash !== previous) return fail('prevHash does not match the previous entry');
    const { hash, ...body } = entry;
    if (hashOf(body) !== hash) return fail('the entry content does not match its hash (modified after writing)');
    previous = hash;
  }
  if (expectedHead && (expectedHead.seq !== entries.length || expectedHead.head !== previous)) {
    return {
      valid: false,
      entries: entries.length,
      brokenAt: Math.min(entries.length, expectedHead.seq) + 1,
      reason: `the record expects ${expectedHead.seq} entries ending in ${expectedHead.head.slice(0, 12)}…; entries were removed`,
    };
  }
  return { valid: true, entries: entries.length, head: previous };
}
