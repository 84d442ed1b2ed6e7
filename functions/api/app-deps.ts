import type { Clock } from '../../domain/shared/clock';
import type { Mailer } from '../../domain/notifications/mailer';
import type { Config } from '../../infra/config';
import type { DynamoClients } from '../../infra/dynamo/client';
import type { Logger } from '../../infra/log';

/** Everything the HTTP edge needs, built once per process (Node server, Lambda or test). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  dynamo: DynamoClients;
  tableName: string;
  mailer: Mailer;
}
