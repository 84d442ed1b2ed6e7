import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedWebForm } from '../integration/web-forms-fixture';
import { startTestApi, uniqueOrg, type TestApi } from '../support/test-app';
import { launchChromium } from '../support/chromium';

type Json = Record<string, any>;

describe('web form in a real browser (headless Chromium)', () => {
  let api: TestApi;
  let browser: Browser;
  let portal: Server;
  let portalUrl: string;
  const org = uniqueOrg('browser');
  let token: string;
  let made: Awaited<ReturnType<typeof publishedWebForm>>;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.token(org);
    made = await publishedWebForm(api, token);
    // An intranet portal on another origin that pastes the embed snippet from the API.
    portal = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><head><title>Intranet</title></head><body><h1>Intranet portal</h1>${made.issued.embed.iframeHtml}</body></html>`,
      );
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    portalUrl = `http://127.0.0.1:${(portal.address() as { port: number }).port}/`;
    // launch() starts Chromium with a fresh, empty profile directory of its own each time.
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => portal?.close(resolve));
    await api?.stop();
  });

  it('is embedded by the snippet, validates in the page, records the report and shows the receipt', async () => {
    expect(made.issued.embed.url.startsWith('http://127.0.0.1:')).toBe(true);
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(portalUrl);
    const frame = page.frameLocator('iframe[title="Report a data incident"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Report a data incident');

    // Keyboard only: reach the submit button with Tab and press Enter on an empty form.
    const submit = frame.getByRole('button', { name: 'Submit report' });
    await submit.focus();
    await page.keyboard.press('Enter');
    const summary = frame.locator('#error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    await expect.poll(() => summary.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await summary.getAttribute('role')).toBe('alert');
    expect(await summary.locator('h2').textContent()).toBe('There are 8 problems');
    expect(await frame.locator('#f-summary-error').textContent()).toBe('This field is required.');
    expect(await frame.locator('#f-summary').getAttribute('aria-invalid')).toBe('true');
    expect(await frame.locator('#f-summary').getAttribute('aria-describedby')).toBe('f-summary-help f-summary-error');
    expect(await frame.locator('#f-data_categories-error').textContent()).toBe('This field is required.');

    // A summary link takes the keyboard to its field.
    await summary.getByRole('link', { name: /Your email/ }).press('Enter');
    await expect.poll(() => frame.locator('#f-reporter_email').evaluate((el) => el === document.activeElement)).toBe(true);

    // Same rules as the API, checked as each answer changes.
    await frame.getByLabel(/^Short summary/).fill('abc');
    await frame.getByLabel(/^Short summary/).blur();
    await expect.poll(() => frame.locator('#f-summary-error').textContent()).toBe('Enter at least 5 characters.');
    await frame.getByLabel(/^How many people/).fill('12.5');
    await frame.getByLabel(/^How many people/).blur();
    await expect.poll(() => frame.locator('#f-affected-error').textContent()).toBe('Enter a whole number.');
    await frame.getByLabel(/^Your email/).fill('alex@');
    await frame.getByLabel(/^Your email/).blur();
    await expect.poll(() => frame.locator('#f-reporter_email-error').textContent()).toBe('Enter an email address, like name@example.com.');
    await frame.getByLabel(/^Other regions/).fill('UK');
    await frame.getByLabel(/^Other regions/).blur();
    await expect.poll(() => frame.locator('#f-jurisdictions-error').textContent()).toMatch(/^UK is not an ISO 3166 code/);

    // Every field type, filled with a valid answer.
    await frame.getByLabel(/^Short summary/).fill('Laptop stolen from a car');
    await frame.getByLabel(/^What happened\?/).fill('A company laptop with a customer export was stolen.\nIt was not encrypted.');
    await frame.getByLabel(/^How many people/).fill('120');
    await frame.getByLabel(/^Date you noticed it/).fill('2026-03-10');
    await frame.getByLabel(/^When was it discovered\?/).fill('2026-03-10T09:30');
    await frame.getByRole('radio', { name: 'No' }).focus();
    await page.keyboard.press('Space');
    await frame.getByLabel(/^Your email/).fill('alex@example.com');
    await frame.getByLabel(/^How serious/).selectOption('High');
    await frame.getByRole('checkbox', { name: 'Contact details' }).check();
    await frame.getByRole('checkbox', { name: 'Financial' }).focus();
    await page.keyboard.press('Space');
    await frame.getByLabel(/^Kind of breach/).selectOption('type_unauthorized_access');
    await frame.getByLabel(/^Where do the affected people live\?/).selectOption(['DE', 'US-CA']);
    await frame.getByLabel(/^Other regions/).fill('gb-sct');
    expect(await frame.locator('#f-ongoing-no').isChecked()).toBe(true);
    expect(await frame.locator('#f-data_categories-1').isChecked()).toBe(true);

    await submit.focus();
    await page.keyboard.press('Enter');
    const reference = frame.locator('#receipt-reference');
    // Polling the whole page text makes a refusal (its notice or its errors) the failure message.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (with the layout's whitespace) is what a reader sees
    await expect.poll(() => frame.locator('main').innerText(), { timeout: 15_000 }).toMatch(/Reference\s+inc_[0-9A-Z]{26}/);
    const incidentId = (await reference.textContent())!;
    const recordedAt = await frame.locator('#receipt-recorded-at').getAttribute('datetime');
    expect(await frame.locator('h1').textContent()).toBe('Report received');

    const found = await api.call('GET', `/v1/breach-incidents/${incidentId}`, { token });
    expect(found.status).toBe(200);
    const incident = (await found.json()) as Json;
    expect(incident).toMatchObject({
      id: incidentId,
      formId: made.formId,
      source: 'web-form',
      createdAt: recordedAt,
      discoveredAt: '2026-03-10T08:30:00.000Z',
    });
    expect(incident.responses).toEqual({
      summary: 'Laptop stolen from a car',
      description: 'A company laptop with a customer export was stolen.\nIt was not encrypted.',
      affected: 120,
      noticed_on: '2026-03-10',
      discovered_at: '2026-03-10T08:30:00.000Z',
      ongoing: false,
      reporter_email: 'alex@example.com',
      severity_guess: 'High',
      data_categories: ['Contact details', 'Financial'],
      breach_type: 'type_unauthorized_access',
      jurisdictions: ['DE', 'US-CA', 'GB-SCT'],
    });
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);
});
