import type { ChainHead } from '../audit/chain';
import type { SignalSource } from './schema';

export interface SecretVersion {
  id: string;
  secret: string;
  createdAt: string;
}

/** A source's signing secrets: the current one, and the one it replaced while its grace period lasts. */
export interface WebhookSecret {
  source: SignalSource;
  current: SecretVersion;
  previous: (SecretVersion & { expiresAt: string }) | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  audit: ChainHead;
}

/** What the API may show: ids and dates, never a secret. */
export const describeSecret = (s: WebhookSecret) => ({
  source: s.source,
  currentSecretId: s.current.id,
  currentCreatedAt: s.current.createdAt,
  previousSecretId: s.previous?.id ?? null,
  previousExpiresAt: s.previous?.expiresAt ?? null,
  version: s.version,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});
