import type { Principal } from '../../domain/auth/principal';
import type { Logger } from '../../infra/log';

/** What middleware puts on every request's context. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
    /** Set when the request carries an Idempotency-Key: creations record it in their own transaction. */
    idempotencyKeyHash?: string;
  };
}
