import type { ChainHead } from '../audit/chain';
import { createHash, timingSafeEqual } from 'node:crypto';

/** A public key reads `fsk_<ULID>_<secret>`: the id finds the record, the whole key is checked against its hash. */
const KEY_PATTERN = /^(fsk_[0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{32,64})$/;

export interface SubmissionKeyRecord {
  id: string;
  formId: string;
  keyHash: string;
  /** Signs the page's CSRF tokens; server-side only, replaced with the key. */
  csrfSecret: string;
  hint: string;
  status: 'active' | 'revoked';
  version: number;
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  lastRotatedBy?: string;
}

export const hashSubmissionKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export function parseSubmissionKey(raw: string | undefined | null): { keyId: string; key: string } | undefined {
  const m = KEY_PATTERN.exec(raw?.trim() ?? '');
  return m ? { keyId: m[1]!, key: m[0] } : undefined;
}

/** The last characters only, so people can tell keys apart without the key being shown again. */
export const keyHint = (key: string) => `…${key.slice(-4)}`;

/** Whether `key` is the current secret of an active record; constant-time on the hash. */
export function submissionKeyMatches(record: Pick<SubmissionKeyRecord, 'keyHash' | 'status'>, key: string): boolean {
  if (record.status !== 'active') return false;
  const given = Buffer.from(hashSubmissionKey(key), 'hex');
  const stored = Buffer.from(record.keyHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export type StoredSubmissionKey = SubmissionKeyRecord & { audit: ChainHead };

/** What the API may show: never the hash nor the CSRF secret. */
export const describeSubmissionKey = (k: StoredSubmissionKey) => ({
  id: k.id,
  formId: k.formId,
  hint: k.hint,
  status: k.status,
  version: k.version,
  createdAt: k.createdAt,
  rotatedAt: k.rotatedAt,
  revokedAt: k.revokedAt,
});
