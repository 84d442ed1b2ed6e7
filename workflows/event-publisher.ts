import type { EventPublisher } from '../domain/shared/events';
import type { InngestClient, InngestClientOptions } from './client';
import { withPublicAliases } from './events';

/** Sends domain events through the Inngest client (with their public aliases); event ids make redelivery idempotent. */
export function createInngestPublisher(client: InngestClient): EventPublisher {
  return {
    async publish(events) {
      if (events.length === 0) return;
      await client.send(withPublicAliases(events).map((e) => ({ id: e.id, name: e.name, data: e.data, ts: e.ts })));
    },
  };
}

/**
 * The same publisher with the SDK imported on the first send: the API only sends events, and the SDK (with its own
 * zod and temporal-polyfill, ≈340 KiB) then stays out of its cold start as a chunk of its own.
 */
export function createLazyInngestPublisher(options: InngestClientOptions): EventPublisher {
  let loading: Promise<EventPublisher> | undefined;
  return {
    async publish(events) {
      if (events.length === 0) return;
      loading ??= import('./client').then(({ createInngestClient }) => createInngestPublisher(createInngestClient(options)));
      // A failed import is retried on the next send rather than remembered.
      const publisher = await loading.catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
      await publisher.publish(events);
    },
  };
}
