import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../infra/config';

describe('configuration', () => {
  it('has local defaults', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      DYNAMODB_LOCAL_PORT: 8000,
      SES_LOCAL_PORT: 8005,
      EXECUTOR_PORT: 8288,
      DATA_DIR: '.data',
      STAGE: 'local',
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DYNAMODB_ENDPOINT: 'not a url' })).toThrow(/DYNAMODB_ENDPOINT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });

  it('refuses the public dev secret outside the local stage', () => {
    expect(() => loadConfig({ STAGE: 'production' })).toThrow(/AUTH_JWT_SECRET/);
    expect(loadConfig({ STAGE: 'production', AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json' }).STAGE).toBe('production');
  });
});
