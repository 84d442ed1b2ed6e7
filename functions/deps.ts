import { systemClock } from '../domain/shared/clock';
import type { EventPublisher } from '../domain/shared/events';
import { inngestClientOptions, type Config } from '../infra/config';
import { createBreachTypeRepository } from '../infra/dynamo/breach-type-repository';
import { createDynamoClients } from '../infra/dynamo/client';
import { createDeliveryRepository } from '../infra/dynamo/delivery-repository';
import { createIdempotencyRepository } from '../infra/dynamo/idempotency-repository';
import { createSignalRepository } from '../infra/dynamo/signal-repository';
import { createWebhookSecretRepository } from '../infra/dynamo/webhook-secret-repository';
import { createWebhookSubscriptionRepository } from '../infra/dynamo/webhook-subscription-repository';
import { createIncidentRepository } from '../infra/dynamo/incident-repository';
import { createInboxRepository } from '../infra/dynamo/inbox-repository';
import { createIntakeFormRepository } from '../infra/dynamo/intake-form-repository';
import { createNotificationRepository } from '../infra/dynamo/notification-repository';
import { createWorkflowRepository } from '../infra/dynamo/workflow-repository';
import { createOrgSettingsRepository } from '../infra/dynamo/org-settings-repository';
import { createOrgProvisioner } from '../infra/dynamo/org-provisioning';
import { createOutbox } from '../infra/dynamo/outbox';
import { createRateLimitRepository } from '../infra/dynamo/rate-limit-repository';
import { createSubmissionKeyRepository } from '../infra/dynamo/submission-key-repository';
import { createLogger } from '../infra/log';
import { createS3EvidenceStore, LOCAL_S3_CREDENTIALS } from '../infra/s3/evidence-store';
import { createLazySesMailer } from '../infra/ses/lazy-ses-mailer';
import { createLazyInngestPublisher } from '../workflows/event-publisher';
import type { AppDeps } from './api/app-deps';

type Overrides = Partial<Pick<AppDeps, 'logger' | 'clock' | 'dynamo' | 'tableName' | 'mailer' | 'evidence'>> & { events?: EventPublisher };

/** The composition root: real adapters from configuration; tests pass overrides (a virtual clock, say). */
export function buildAppDeps(config: Config, overrides: Overrides = {}): AppDeps {
  const dynamo = overrides.dynamo ?? createDynamoClients({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const tableName = overrides.tableName ?? config.TABLE_NAME;
  const breachTypes = createBreachTypeRepository(dynamo.doc, tableName);
  const forms = createIntakeFormRepository(dynamo.doc, tableName);
  const workflows = createWorkflowRepository(dynamo.doc, tableName);
  const events = overrides.events ?? createLazyInngestPublisher(inngestClientOptions(config));
  const clock = overrides.clock ?? systemClock;
  const outbox = createOutbox(dynamo.doc, tableName, events);
  return {
    config,
    logger: overrides.logger ?? createLogger(config.LOG_LEVEL, { service: 'api', stage: config.STAGE }),
    clock,
    dynamo,
    tableName,
    mailer:
      overrides.mailer ??
      createLazySesMailer({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT, fromAddress: config.SES_FROM_ADDRESS }),
    evidence:
      overrides.evidence ??
      createS3EvidenceStore({
        region: config.AWS_REGION,
        bucket: config.EVIDENCE_BUCKET,
        endpoint: config.S3_ENDPOINT,
        // A local endpoint takes the emulator's key unless the environment names real credentials.
        credentials: config.S3_ENDPOINT && !process.env.AWS_ACCESS_KEY_ID ? LOCAL_S3_CREDENTIALS : undefined,
        objectLock: config.EVIDENCE_OBJECT_LOCK === '1' || config.EVIDENCE_OBJECT_LOCK === 'true',
      }),
    repos: {
      breachTypes,
      forms,
      incidents: createIncidentRepository(dynamo.doc, tableName, { clock, outbox }),
      idempotency: createIdempotencyRepository(dynamo.doc, tableName),
      signals: createSignalRepository(dynamo.doc, tableName, { clock, outbox }),
      webhookSecrets: createWebhookSecretRepository(dynamo.doc, tableName),
      deliveries: createDeliveryRepository(dynamo.doc, tableName),
      submissionKeys: createSubmissionKeyRepository(dynamo.doc, tableName),
      rateLimits: createRateLimitRepository(dynamo.doc, tableName),
      notifications: createNotificationRepository(dynamo.doc, tableName),
      workflows,
      orgSettings: createOrgSettingsRepository(dynamo.doc, tableName),
      webhookSubscriptions: createWebhookSubscriptionRepository(dynamo.doc, tableName, { clock, outbox }),
      inbox: createInboxRepository(dynamo.doc, tableName),
    },
    ensureOrgProvisioned: createOrgProvisioner(dynamo.doc, tableName, breachTypes, forms, workflows),
    outbox,
  };
}
