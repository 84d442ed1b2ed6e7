import { systemClock, type Clock } from '../domain/shared/clock';
import type { Config } from '../infra/config';
import { createDynamoClients } from '../infra/dynamo/client';
import { createLogger } from '../infra/log';
import { createSesMailer } from '../infra/ses/ses-mailer';
import type { AppDeps } from './api/app-deps';

/** The composition root: real adapters from configuration; tests pass overrides (a virtual clock, say). */
export function buildAppDeps(config: Config, overrides: Partial<AppDeps> & { clock?: Clock } = {}): AppDeps {
  return {
    config,
    logger: overrides.logger ?? createLogger(config.LOG_LEVEL, { service: 'api', stage: config.STAGE }),
    clock: overrides.clock ?? systemClock,
    dynamo: overrides.dynamo ?? createDynamoClients({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
    tableName: overrides.tableName ?? config.TABLE_NAME,
    mailer:
      overrides.mailer ?? createSesMailer({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT, fromAddress: config.SES_FROM_ADDRESS }),
  };
}
