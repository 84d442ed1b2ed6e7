import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { functionUrlEvent } from '../../bench/function-url-event';
import { bundleLambda, lambdaEntries, startBundleProcess, type BundleProcess } from '../../bench/lambda-bundles';

/**
 * The API Lambda bundle serves the OpenAPI document prebuilt by `npm run client:generate` (not built from the routes)
 * and the API reference from the assets copied beside it, none of which is in the bundle itself.
 */
describe('API Lambda bundle: OpenAPI document and API reference', () => {
  let outDir: string;
  let api: BundleProcess;
  let bundleText: string;
  const domainName = 'abcdefghij0123456789.lambda-url.eu-west-1.on.aws';

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'lambda-api-docs-'));
    const bundle = await bundleLambda('api', lambdaEntries.api, outDir);
    bundleText = await readFile(bundle.file, 'utf8');
    api = await startBundleProcess(bundle, {
      STAGE: 'bundle-docs-test',
      LOG_LEVEL: 'warn',
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      SES_ENDPOINT: inject('sesEndpoint'),
      TABLE_NAME: inject('tableName'),
      AUTH_JWT_SECRET: 'bundle-docs-test-secret-0123456789',
      INNGEST_SIGNING_KEY: `signkey-test-${'0123456789abcdef'.repeat(4)}`,
      INNGEST_EVENT_KEY: 'bundle-docs-test-event-key',
      INNGEST_BASE_URL: 'http://127.0.0.1:9',
    });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  const get = async (path: string) => (await api.invoke(functionUrlEvent({ method: 'GET', path, domainName }))).response;

  it('serves the prebuilt document with the function URL as its server', async () => {
    const response = await get('/v1/openapi.json');
    expect(response.statusCode).toBe(200);
    const { servers, ...document } = JSON.parse(response.body) as Record<string, unknown>;
    expect(servers).toEqual([expect.objectContaining({ url: `https://${domainName}` })]);
    expect(document).toEqual(JSON.parse(await readFile(join(import.meta.dirname, '../../clients/typescript/openapi.json'), 'utf8')));
  });

  it('serves /docs and its Swagger UI assets from files beside the bundle, not from the bundle', async () => {
    const page = await get('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/docs/assets/swagger-ui-bundle.js');
    const script = await get('/docs/assets/swagger-ui-bundle.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(bundleText).not.toContain('SwaggerUIBundle=');
    expect((await get('/docs/assets/package.json')).statusCode).toBe(404);
  });
});
