import { loadConfig } from '../infra/config';
import { buildAppDeps } from './deps';

const deps = buildAppDeps(loadConfig());

/**
 * Scheduled Lambda: sends every event that is still in the outbox because its first delivery failed
 * (the engine was unreachable, or the API process died after committing). Event ids deduplicate.
 */
export async function handler(): Promise<{ relayed: number }> {
  const relayed = await deps.outbox.relayPending(deps.clock.now());
  if (relayed > 0) deps.logger.warn('relayed events from the outbox', { relayed });
  return { relayed };
}
