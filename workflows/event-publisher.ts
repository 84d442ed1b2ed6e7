import type { EventPublisher } from '../domain/shared/events';
import type { InngestClient } from './client';
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
