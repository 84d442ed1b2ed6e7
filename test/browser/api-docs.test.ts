import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app';
import { buildAppDeps } from '../../functions/deps';
import { startNodeServer, type RunningServer } from '../../functions/node-server';
import { mintDevToken } from '../../infra/local/mint-token';
import { TEST_JWT_SECRET, testConfig, uniqueOrg } from '../support/test-app';
import { launchChromium } from '../support/chromium';

/** The API reference as `npm start` serves it: Swagger UI from node_modules, try-it pre-authorised with the dev token. */
describe('the API reference at /docs in a real browser (headless Chromium)', () => {
  const org = uniqueOrg('docs');
  let server: RunningServer;
  let browser: Browser;
  let stopDeps: () => void;

  beforeAll(async () => {
    const deps = buildAppDeps(testConfig());
    stopDeps = () => deps.dynamo.raw.destroy();
    const devToken = await mintDevToken(TEST_JWT_SECRET, { org, sub: 'docs-reader', roles: ['admin'] });
    server = await startNodeServer(createApp(deps, { docs: { devToken } }), 0);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    stopDeps?.();
  });

  it('renders every operation offline, expands one and sends it with the dev token', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    const offOrigin: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Offline: anything not from the API's own origin is refused and recorded.
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(server.url)) return route.continue();
      offOrigin.push(route.request().url());
      return route.abort();
    });

    await page.goto(`${server.url}/docs`);
    const operation = page.locator('#operations-Platform-getMe');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(() => status.textContent()).toContain('200');
    const body = await operation.locator('.live-responses-table tbody .response-col_description pre.microlight').first().textContent();
    expect(JSON.parse(body ?? '{}')).toMatchObject({ org, subject: 'docs-reader' });

    expect(await page.locator('.opblock').count()).toBeGreaterThan(50);
    expect(offOrigin).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
