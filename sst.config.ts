/// <reference path="./.sst/platform/config.d.ts" />
// Deploys Breach Response to AWS. The table comes from infra/dynamo/table-definition.ts, the same object the
// local stack creates, and every environment variable is one infra/config.ts parses, so cloud and local cannot
// drift. Settings are read from the deploying shell (or .env); secrets are `npx sst secret set`. See README.
import { tableDefinition } from './infra/dynamo/table-definition';

const PRODUCTION_STAGES = ['production'];

/** A deploy-time setting from the environment; `required` settings stop the deploy with their name. */
function setting(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (value === undefined) throw new Error(`Set ${name} before deploying (see README, "Deploy")`);
  return value;
}
const optional = (name: string) => process.env[name] || undefined;
/** Settings handed to the Lambdas unchanged when set; infra/config.ts validates them at start-up. */
const PASSED_THROUGH = [
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'PUBLIC_BASE_URL',
  'DPO_EMAIL',
  'ESCALATION_EMAIL',
  'ORG_ROLE',
  'ORG_MAIN_ESTABLISHMENT',
];

export default $config({
  app(input) {
    const production = PRODUCTION_STAGES.includes(input?.stage ?? '');
    return {
      name: 'breach-response',
      home: 'aws',
      // Production keeps its table, identity and databases when resources are removed; `protect` refuses removal outright.
      removal: production ? 'retain' : 'remove',
      protect: production,
    };
  },
  async run() {
    const production = PRODUCTION_STAGES.includes($app.stage);
    const inngestMode = setting('INNGEST_MODE', 'cloud');
    if (inngestMode !== 'cloud' && inngestMode !== 'self-hosted') throw new Error('INNGEST_MODE is "cloud" or "self-hosted"');
    const fromAddress = setting('SES_FROM_ADDRESS');
    const jwksUrl = optional('AUTH_JWKS_URL');

    const table = new sst.aws.Dynamo('Table', {
      fields: Object.fromEntries(
        [
          tableDefinition.partitionKey,
          tableDefinition.sortKey,
          ...tableDefinition.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ].map((name) => [name, 'string' as const]),
      ),
      primaryIndex: { hashKey: tableDefinition.partitionKey, rangeKey: tableDefinition.sortKey },
      globalIndexes: Object.fromEntries(
        tableDefinition.globalIndexes.map((i) => [
          i.name,
          { hashKey: i.partitionKey, rangeKey: i.sortKey, projection: 'include' in i ? [...i.include] : ('all' as const) },
        ]),
      ),
      ttl: tableDefinition.ttlAttribute,
      transform: { table: { pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: production } },
    });

    // The identity's default configuration set applies to every email it sends, so the mailer needs no change.
    const configurationSet = new aws.sesv2.ConfigurationSet('EmailConfigurationSet', {
      configurationSetName: `${$app.name}-${$app.stage}`,
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
    });
    const email = new sst.aws.Email('Email', {
      sender: setting('SES_IDENTITY', fromAddress),
      transform: { identity: { configurationSetName: configurationSet.configurationSetName } },
    });

    // The evidence vault: versioned with Object Lock (each verified file gets a governance-mode retention; a
    // withdrawn one a legal hold), encrypted with KMS, no public access (SST's default). Browsers PUT and GET through
    // presigned URLs only.
    const evidence = new sst.aws.Bucket('Evidence', {
      versioning: true,
      cors: {
        allowOrigins: [setting('EVIDENCE_CORS_ORIGIN', '*')],
        allowMethods: ['PUT', 'GET'],
        allowHeaders: ['content-type', 'if-none-match', 'if-match'],
      },
      transform: { bucket: { objectLockEnabled: true, forceDestroy: !production } },
    });
    new aws.s3.BucketServerSideEncryptionConfigurationV2('EvidenceEncryption', {
      bucket: evidence.name,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });

    const signingKey = new sst.Secret('InngestSigningKey');
    const eventKey = new sst.Secret('InngestEventKey');
    // An HS256 secret only when no OIDC provider (JWKS) verifies tokens; infra/config.ts refuses to start without one.
    const jwtSecret = jwksUrl ? undefined : new sst.Secret('AuthJwtSecret');
    const inngestDomain = inngestMode === 'self-hosted' ? setting('INNGEST_DOMAIN') : undefined;

    const environment = {
      STAGE: $app.stage,
      LOG_LEVEL: setting('LOG_LEVEL', 'info'),
      TABLE_NAME: table.name,
      EVIDENCE_BUCKET: evidence.name,
      EVIDENCE_OBJECT_LOCK: 'true',
      SES_FROM_ADDRESS: fromAddress,
      INNGEST_EVENT_KEY: eventKey.value,
      INNGEST_SIGNING_KEY: signingKey.value,
      ...(inngestDomain ? { INNGEST_BASE_URL: `https://${inngestDomain}` } : {}),
      ...(jwtSecret ? { AUTH_JWT_SECRET: jwtSecret.value } : {}),
      ...(jwksUrl ? { AUTH_JWKS_URL: jwksUrl } : {}),
      ...Object.fromEntries(PASSED_THROUGH.flatMap((name) => (optional(name) ? [[name, setting(name)]] : []))),
    };

    // Least privilege instead of `link` (which grants dynamodb:* and ses:*): the item operations the repositories
    // use, on this table and its indexes; sending from this identity through this configuration set.
    const permissions = [
      {
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:Query',
        ],
        resources: [table.arn, $interpolate`${table.arn}/index/*`],
      },
      { actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [email.nodes.identity.arn, configurationSet.arn] },
      // GET /health: neither call can be scoped to a resource.
      { actions: ['dynamodb:ListTables', 'ses:GetSendQuota'], resources: ['*'] },
    ];
    // The bundle SST builds here is the one test/integration/lambda-bundles.test.ts builds and runs offline, with the same
    // esbuild plugins (scripts/lambda-esbuild-plugins.mjs: English-only zod, zod/mini with its own core, gzipped JSON
    // data, environment credentials, the SDK's eventType alone).
    const nodejs = { format: 'esm' as const, minify: true, splitting: true, plugins: './scripts/lambda-esbuild-plugins.mjs' };
    const lambda = { runtime: 'nodejs22.x' as const, architecture: 'arm64' as const, nodejs, environment, permissions };
    // The API reference's Swagger UI assets ship beside the API bundle (read from LAMBDA_TASK_ROOT/docs-assets on
    // request), not in it; bench/lambda-bundles.ts's `lambdaAssets` copies the same files for the bundle test.
    const docsAssets = ['swagger-ui.css', 'swagger-ui-bundle.js'].map((file) => ({
      from: `node_modules/swagger-ui-dist/${file}`,
      to: `docs-assets/${file}`,
    }));

    // Only the API touches evidence, and only under its prefix: upload (presigned), read back, retain, hold, refuse.
    const evidenceAccess = {
      actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'],
      resources: [$interpolate`${evidence.arn}/evidence/*`],
    };
    const api = new sst.aws.Function('Api', {
      ...lambda,
      permissions: [...permissions, evidenceAccess],
      handler: 'functions/lambda.handler',
      memory: '1024 MB',
      timeout: '30 seconds',
      url: true,
      copyFiles: docsAssets,
    });
    // The engine calls this URL (signed with the signing key) to sync functions and to run each step.
    const workflows = new sst.aws.Function('Workflows', {
      ...lambda,
      handler: 'functions/inngest-lambda.handler',
      memory: '1024 MB',
      timeout: '5 minutes',
      url: true,
    });
    const serveUrl = $interpolate`${workflows.url}api/inngest`;
    // Events whose first delivery failed wait in the outbox; this sends them every minute.
    new sst.aws.Cron('OutboxRelay', {
      schedule: 'rate(1 minute)',
      function: { ...lambda, handler: 'functions/outbox-relay.handler', timeout: '1 minute' },
    });

    if (inngestMode === 'self-hosted') {
      const vpc = new sst.aws.Vpc('Vpc', { nat: 'ec2' });
      const postgres = new sst.aws.Postgres('InngestPostgres', { vpc });
      const redis = new sst.aws.Redis('InngestRedis', { vpc });
      const cluster = new sst.aws.Cluster('Cluster', { vpc });
      new sst.aws.Service('InngestServer', {
        cluster,
        image: setting('INNGEST_IMAGE', 'inngest/inngest:latest'),
        command: ['inngest', 'start'],
        cpu: '1 vCPU',
        memory: '2 GB',
        environment: {
          INNGEST_EVENT_KEY: eventKey.value,
          INNGEST_SIGNING_KEY: signingKey.value,
          INNGEST_POSTGRES_URI: $interpolate`postgres://${postgres.username}:${postgres.password}@${postgres.host}:${postgres.port}/${postgres.database}`,
          INNGEST_REDIS_URI: $interpolate`rediss://${redis.username}:${redis.password}@${redis.host}:${redis.port}`,
          INNGEST_SDK_URL: serveUrl,
        },
        loadBalancer: { domain: inngestDomain, ports: [{ listen: '443/https', forward: '8288/http' }] },
      });
    }

    return { api: api.url, inngestServeUrl: serveUrl, ...(inngestDomain ? { inngestServer: `https://${inngestDomain}` } : {}) };
  },
});
