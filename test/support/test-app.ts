import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { Permission, Role } from '../../domain/auth/permissions';
import type { Clock } from '../../domain/shared/clock';
import { createApp, type App } from '../../functions/api/app';
import type { AppDeps } from '../../functions/api/app-deps';
import { buildAppDeps } from '../../functions/deps';
import { startNodeServer, type RunningServer } from '../../functions/node-server';
import { loadConfig, type Config } from '../../infra/config';
import { createLogger } from '../../infra/log';
import { mintDevToken } from '../../infra/local/mint-token';

export const TEST_JWT_SECRET = 'test-secret-for-breach-response-suite';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    S3_ENDPOINT: inject('s3Endpoint'),
    TABLE_NAME: inject('tableName'),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...overrides,
  });
}

/** A unique tenant per suite keeps suites independent while they share one table. */
export const uniqueOrg = (prefix = 'org') => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface TestApi {
  url: string;
  app: App;
  deps: AppDeps;
  server: RunningServer;
  token(org: string, grant?: { roles?: Role[]; permissions?: Permission[]; sub?: string }): Promise<string>;
  /** fetch against the running server, JSON body and bearer token filled in. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts the real app on a real HTTP port against DynamoDB Local and the local SES endpoint. */
export async function startTestApi(
  options: { config?: Record<string, string>; clock?: Clock; logLines?: string[]; extend?: (app: App) => void } = {},
): Promise<TestApi> {
  const config = testConfig(options.config);
  const logger = options.logLines ? createLogger('info', {}, (line) => options.logLines!.push(line)) : undefined;
  const deps = buildAppDeps(config, { clock: options.clock, ...(logger ? { logger } : {}) });
  const app = createApp(deps);
  options.extend?.(app);
  const server = await startNodeServer(app, 0);
  return {
    url: server.url,
    app,
    deps,
    server,
    token: (org, grant = { roles: ['admin'] }) => mintDevToken(TEST_JWT_SECRET, { org, ...grant }),
    call: (method, path, { token, body, headers = {} } = {}) =>
      fetch(server.url + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    stop: async () => {
      await server.stop();
      deps.dynamo.raw.destroy();
    },
  };
}
