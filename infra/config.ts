import { z } from 'zod';
import type { DeploymentDefaults } from '../domain/org-settings/schema';

const DEV_JWT_SECRET = 'breach-response-local-dev-secret-change-me';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const optionalUrl = z.url().optional();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const configSchema = z.object({
  STAGE: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes')
    .default('local'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  PORT: port(3000),
  DYNAMODB_LOCAL_PORT: port(8000),
  SES_LOCAL_PORT: port(8005),
  S3_LOCAL_PORT: port(8006),
  EXECUTOR_PORT: port(8288),
  DATA_DIR: z.string().min(1).default('.data'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.preprocess(emptyAsUndefined, optionalUrl),
  SES_ENDPOINT: z.preprocess(emptyAsUndefined, optionalUrl),
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, optionalUrl),
  EVIDENCE_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a valid S3 bucket name')
    .default('breach-response-evidence'),
  /** The bucket has S3 Object Lock (as deployed by SST): verified evidence gets a governance-mode retention. */
  EVIDENCE_OBJECT_LOCK: z.preprocess(emptyAsUndefined, z.enum(['0', '1', 'true', 'false']).optional()),
  TABLE_NAME: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'a valid DynamoDB table name')
    .default('breach-response'),
  SES_FROM_ADDRESS: z.email().default('breach-response@localhost.localdomain'),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  AUTH_JWT_SECRET: z.string().min(16, 'at least 16 characters').default(DEV_JWT_SECRET),
  AUTH_JWKS_URL: z.preprocess(emptyAsUndefined, optionalUrl),
  AUTH_ISSUER: z.preprocess(emptyAsUndefined, z.string().optional()),
  AUTH_AUDIENCE: z.preprocess(emptyAsUndefined, z.string().optional()),
  PUBLIC_BASE_URL: z.preprocess(emptyAsUndefined, optionalUrl),
  DPO_EMAIL: z.email().default('dpo@localhost.localdomain'),
  ESCALATION_EMAIL: z.email().default('dp-lead@localhost.localdomain'),
  ORG_ROLE: z.enum(['controller', 'processor']).default('controller'),
  ORG_MAIN_ESTABLISHMENT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code such as DE or DE-BY')
      .optional(),
  ),
  INNGEST_BASE_URL: z.preprocess(emptyAsUndefined, optionalUrl),
  INNGEST_EVENT_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  INNGEST_DEV: z.preprocess(emptyAsUndefined, z.enum(['0', '1', 'true', 'false']).optional()),
});

export type Config = z.infer<typeof configSchema>;

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
