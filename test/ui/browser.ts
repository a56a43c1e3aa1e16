/**
 * Browser plumbing for the console tests: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) that may reach only the loopback gateway, a watch on every page for console
 * errors, page errors, failed requests and HTTP errors (except the ones a test provokes on
 * purpose), screenshots under test-output/ui/, and axe-core run inside the page.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Page-side code (evaluated in the browser) names browser globals; the test program has no DOM types.
declare const window: any, document: any;


export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const OUT = fileURLToPath(new URL('../../test-output/ui/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

export function launch(): Promise<Browser> {
  mkdirSync(OUT, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What went wrong in a page, in words; a test expects it empty. */
export interface Watch {
  problems: string[];
  /** Allow one HTTP error the test causes on purpose (and the console line Chromium prints for it). */
  provoke(method: string, path: string, status: number): void;
  /** Provoked errors that never happened (the test meant to cause them). */
  unmet(): string[];
  stop(): void;
}

/** A context whose every request off the loopback is refused (offline), and its one page, watched. */
export async function openPage(browser: Browser, origin: string, viewport = WIDE): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const problems: string[] = [];
  const provoked: Array<{ method: string; path: string; status: number; seen: boolean; logged: boolean }> = [];
  let on = true;
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    problems.push(`off-loopback request: ${url.href}`);
    return route.abort();
  });
  page.on('pageerror', (e) => on && problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => on && problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (!on || r.status() < 400) return;
    const path = new URL(r.url()).pathname;
    const p = provoked.find((x) => !x.seen && x.method === r.request().method() && x.path === path && x.status === r.status());
    if (p) p.seen = true;
    else problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (!on || m.type() !== 'error') return;
    const at = m.location().url ? new URL(m.location().url).pathname : '';
    const p = provoked.find((x) => !x.logged && x.path === at && m.text().includes(`status of ${x.status}`));
    if (p) p.logged = true;
    else problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  const watch: Watch = {
    problems,
    provoke: (method, path, status) => void provoked.push({ method, path, status, seen: false, logged: false }),
    unmet: () => provoked.filter((p) => !p.seen).map((p) => `${p.method} ${p.path} → ${p.status} never happened`),
    stop: () => {
      on = false;
    },
  };
  return { context, page, watch };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

/** axe-core's serious and critical violations on the page as it is now (evaluated through the debugger, so the page's CSP stays strict). */
export async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const res = (await page.evaluate(() => (window as unknown as { axe: { run(ctx: unknown, o: object): Promise<unknown> } }).axe.run(document, { resultTypes: ['violations'] }))) as AxeResult;
  return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}
