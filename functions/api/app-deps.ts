import type { EvidenceStore } from '../../domain/attachments/evidence-store';
import type { Clock } from '../../domain/shared/clock';
import type { Mailer } from '../../domain/notifications/mailer';
import type { Config } from '../../infra/config';
import type { DynamoClients } from '../../infra/dynamo/client';
import type { BreachTypeRepository } from '../../infra/dynamo/breach-type-repository';
import type { DeliveryRepository } from '../../infra/dynamo/delivery-repository';
import type { IdempotencyRepository } from '../../infra/dynamo/idempotency-repository';
import type { SignalRepository } from '../../infra/dynamo/signal-repository';
import type { WebhookSecretRepository } from '../../infra/dynamo/webhook-secret-repository';
import type { WebhookSubscriptionRepository } from '../../infra/dynamo/webhook-subscription-repository';
import type { IncidentRepository } from '../../infra/dynamo/incident-repository';
import type { InboxRepository } from '../../infra/dynamo/inbox-repository';
import type { IntakeFormRepository } from '../../infra/dynamo/intake-form-repository';
import type { NotificationRepository } from '../../infra/dynamo/notification-repository';
import type { WorkflowRepository } from '../../infra/dynamo/workflow-repository';
import type { OrgSettingsRepository } from '../../infra/dynamo/org-settings-repository';
import type { Outbox } from '../../infra/dynamo/outbox';
import type { RateLimitRepository } from '../../infra/dynamo/rate-limit-repository';
import type { SubmissionKeyRepository } from '../../infra/dynamo/submission-key-repository';
import type { Logger } from '../../infra/log';

/** Everything the HTTP edge needs, built once per process (Node server, Lambda or test). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  dynamo: DynamoClients;
  tableName: string;
  mailer: Mailer;
  evidence: EvidenceStore;
  repos: {
    breachTypes: BreachTypeRepository;
    forms: IntakeFormRepository;
    incidents: IncidentRepository;
    idempotency: IdempotencyRepository;
    signals: SignalRepository;
    webhookSecrets: WebhookSecretRepository;
    deliveries: DeliveryRepository;
    submissionKeys: SubmissionKeyRepository;
    rateLimits: RateLimitRepository;
    notifications: NotificationRepository;
    workflows: WorkflowRepository;
    orgSettings: OrgSettingsRepository;
    webhookSubscriptions: WebhookSubscriptionRepository;
    inbox: InboxRepository;
  };
  ensureOrgProvisioned(org: string, now: Date): Promise<void>;
  outbox: Outbox;
}
