/**
 * `/docs` renders in a real browser (docs/contract.md §5): headless Chromium (Debian's `chromium` package,
 * driven by playwright-core) loads the page from the gateway with every request off-loopback
 * refused, so the page must render from the gateway's own assets — no CDN. It must show the
 * prompt operations. CI installs the browser with `apt-get install -y chromium`.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { EXAMPLES_DIR } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let gw: TestGateway;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`headless Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  gw = await startGateway(`prompts:\n  dir: "${EXAMPLES_DIR}"\n`, {}, { watchPrompts: false });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

describe('/docs in headless Chromium', () => {
  it('renders the OpenAPI document with every prompt operation, offline', async () => {
    const page = await browser.newPage();
    const offsite: string[] = [];
    const failed: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
      offsite.push(url.href);
      return route.abort();
    });
    page.on('requestfailed', (r) => failed.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const res = await page.goto(`${gw.url}/docs`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    // Swagger UI draws one block per operation once it has loaded /docs/json.
    await page.waitForSelector('.opblock', { timeout: 10_000 });
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 5000 }).toBeGreaterThanOrEqual(8);

    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    const flat = paths.map((p) => p.replace(/\u200b/g, '').trim());
    for (const name of ['summarize', 'classify-sentiment', 'translate', 'extract-contact']) {
      expect(flat, `operation for ${name}`).toContain(`/v1/prompts/${name}`);
    }
    expect(flat).toContain('/v1/chat/completions');
    expect(await page.locator('.info .title').innerText()).toMatch(/tollgate/);
    const summary = await page.locator('#operations-prompts-prompt_classify-sentiment .opblock-summary-description').innerText();
    expect(summary).toMatch(/Classify the sentiment/);
    // The admin API is documented with its real schemas; the page carries tollgate's name and mark.
    expect(flat).toEqual(expect.arrayContaining(['/admin/teams', '/admin/keys', '/admin/keys/{id}', '/admin/usage']));
    expect(await page.title()).toBe('tollgate — API');
    const logo = await page.locator('.topbar img, .topbar-wrapper img').first().getAttribute('src');
    expect(logo).toMatch(/svg/);
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as any;
    expect(doc.components.schemas.TeamCreate.properties.limits).toBeTruthy();
    expect(doc.paths['/admin/keys'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/KeyCreate' });

    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
    expect(failed).toEqual([]);
    await page.close();
  }, 60_000);
});
