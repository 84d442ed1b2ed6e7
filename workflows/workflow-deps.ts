import type { Clock } from '../domain/shared/clock';
import type { Mailer } from '../domain/notifications/mailer';
import type { AppDeps } from '../functions/api/app-deps';

/** What durable functions receive through the SDK's dependency-injection middleware. */
export type WorkflowDeps = Pick<AppDeps, 'repos' | 'outbox' | 'logger' | 'config'> & { clock: Clock; mailer: Mailer };
