import * as z from 'zod/mini';
import type { DeploymentDefaults } from '../domain/org-settings/schema';

// zod/mini rather than zod: the configuration is parsed on every cold start, and the Inngest Lambda needs nothing else
// of zod there; its messages are zod's English ones, as everywhere else.
z.config(z.locales.en());

const DEV_JWT_SECRET = 'breach-response-local-dev-secret-change-me';

const port = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(65535)), fallback);
const optionalUrl = z.optional(z.url());
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const configSchema = z.object({
  STAGE: z._default(z.string().check(z.regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes')), 'local'),
  LOG_LEVEL: z._default(z.enum(['debug', 'info', 'warn', 'error', 'silent']), 'info'),
  PORT: port(3000),
  DYNAMODB_LOCAL_PORT: port(8000),
  SES_LOCAL_PORT: port(8005),
  S3_LOCAL_PORT: port(8006),
  EXECUTOR_PORT: port(8288),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), '.data'),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  DYNAMODB_ENDPOINT: z.pipe(z.transform(emptyAsUndefined), optionalUrl),
  SES_ENDPOINT: z.pipe(z.transform(emptyAsUndefined), optionalUrl),
  S3_ENDPOINT: z.pipe(z.transform(emptyAsUndefined), optionalUrl),
  EVIDENCE_BUCKET: z._default(
    z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a valid S3 bucket name')),
    'breach-response-evidence',
  ),
  /** The bucket has S3 Object Lock (as deployed by SST): verified evidence gets a governance-mode retention. */
  EVIDENCE_OBJECT_LOCK: z.pipe(z.transform(emptyAsUndefined), z.optional(z.enum(['0', '1', 'true', 'false']))),
  TABLE_NAME: z._default(z.string().check(z.regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'a valid DynamoDB table name')), 'breach-response'),
  SES_FROM_ADDRESS: z._default(z.email(), 'breach-response@localhost.localdomain'),
  MAX_BODY_BYTES: z._default(z.coerce.number().check(z.int(), z.minimum(1024)), 256 * 1024),
  RATE_LIMIT_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 1200),
  AUTH_JWT_SECRET: z._default(z.string().check(z.minLength(16, 'at least 16 characters')), DEV_JWT_SECRET),
  AUTH_JWKS_URL: z.pipe(z.transform(emptyAsUndefined), optionalUrl),
  AUTH_ISSUER: z.pipe(z.transform(emptyAsUndefined), z.optional(z.string())),
  AUTH_AUDIENCE: z.pipe(z.transform(emptyAsUndefined), z.optional(z.string())),
  PUBLIC_BASE_URL: z.pipe(z.transform(emptyAsUndefined), optionalUrl),
  DPO_EMAIL: z._default(z.email(), 'dpo@localhost.localdomain'),
  ESCALATION_EMAIL: z._default(z.email(), 'dp-lead@localhost.localdomain'),
  ORG_ROLE: z._default(z.enum(['controller', 'processor']), 'controller'),
  ORG_MAIN_ESTABLISHMENT: z.pipe(
    z.transform(emptyAsUndefined),
    z.optional(z.string().check(z.regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code such as DE or DE-BY'))),
  ),
  INNGEST_BASE_URL: z.pipe(z.transform(emptyAsUndefined), optionalUrl),
  INNGEST_EVENT_KEY: z.pipe(z.transform(emptyAsUndefined), z.optional(z.string())),
  INNGEST_DEV: z.pipe(z.transform(emptyAsUndefined), z.optional(z.enum(['0', '1', 'true', 'false']))),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid environment variable ${variable}=${JSON.stringify(env[variable] ?? '')}: ${issue.message}`);
  }
  const config = parsed.data;
  if (config.STAGE !== 'local' && !config.AUTH_JWKS_URL && config.AUTH_JWT_SECRET === DEV_JWT_SECRET) {
    throw new ConfigError('AUTH_JWT_SECRET must be set (or AUTH_JWKS_URL) outside the local stage; the dev secret is public');
  }
  return config;
}

export const isDevSecret = (config: Config) => config.AUTH_JWT_SECRET === DEV_JWT_SECRET;

/** Locally the app talks to the local executor in dev mode; elsewhere the SDK's own environment rules apply. */
export function inngestClientOptions(config: Config) {
  if (config.STAGE === 'local') {
    return {
      isDev: true,
      baseUrl: config.INNGEST_BASE_URL ?? `http://127.0.0.1:${config.EXECUTOR_PORT}`,
      eventKey: config.INNGEST_EVENT_KEY ?? 'local',
    };
  }
  return {
    baseUrl: config.INNGEST_BASE_URL,
    eventKey: config.INNGEST_EVENT_KEY,
    isDev: config.INNGEST_DEV === '1' || config.INNGEST_DEV === 'true',
  };
}

/** The organisation settings' fallbacks that the deployment configures. */
export const deploymentDefaults = (config: Config): DeploymentDefaults => ({
  dpoEmail: config.DPO_EMAIL,
  escalationEmail: config.ESCALATION_EMAIL,
  role: config.ORG_ROLE,
  mainEstablishment: config.ORG_MAIN_ESTABLISHMENT,
});
