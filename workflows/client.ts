import { Inngest } from 'inngest';

export const INNGEST_APP_ID = 'breach-response';

export interface InngestClientOptions {
  baseUrl?: string;
  eventKey?: string;
  isDev?: boolean;
}

/**
 * The SDK reads INNGEST_DEV, INNGEST_BASE_URL, INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY from the
 * environment; options passed here (tests, the local stack) take precedence.
 */
export function createInngestClient(options: InngestClientOptions = {}) {
  return new Inngest({ id: INNGEST_APP_ID, ...options });
}

export type InngestClient = ReturnType<typeof createInngestClient>;
