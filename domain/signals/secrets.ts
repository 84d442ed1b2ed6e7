import type { SignalSource } from './schema';

export const DEFAULT_SECRET_GRACE_S = 24 * 3600;

interface SecretVersion {
  id: string;
  secret: string;
  createdAt: string;
}

interface SecretRecord {
  source: SignalSource;
  current: SecretVersion;
  previous: (SecretVersion & { expiresAt: string }) | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Rotation keeps the replaced secret valid for a grace period so senders can switch without losing deliveries. */
export function planSecretRotation<T extends SecretRecord>(existing: T, next: SecretVersion, graceSeconds: number, now: Date): T {
  return {
    ...existing,
    current: next,
    previous: graceSeconds > 0 ? { ...existing.current, expiresAt: new Date(now.getTime() + graceSeconds * 1000).toISOString() } : null,
    version: existing.version + 1,
    updatedAt: now.toISOString(),
  };
}

/** The secrets a delivery may be signed with right now: the current one and a previous one still in grace. */
export function validSecrets(record: Pick<SecretRecord, 'current' | 'previous'>, now: Date): string[] {
  const previous = record.previous && Date.parse(record.previous.expiresAt) > now.getTime() ? [record.previous.secret] : [];
  return [record.current.secret, ...previous];
}
