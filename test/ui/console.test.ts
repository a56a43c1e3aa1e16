/**
 * The console in a real browser (issue 15's acceptance): headless Chromium, offline, against the
 * full gateway (SQLite, ledger, admin API) serving a console built from ui/ for this run.
 *  - admin: sign in → create a team with a budget → create a key (shown once, copied) → three
 *    /v1 calls with it → the Overview and the team's budget bar show the exact spend /admin/usage
 *    reports → revoke the key in the page → the next call with it is refused;
 *  - the usage explorer's CSV is exactly its table; a prompt runs from its generated form and its
 *    answer streams into the page; a version is published; models and live requests show;
 *  - a team key's sign-in sees its own team only, in the page and on the API with its cookie;
 *  - every page, admin and team, wide and narrow: a screenshot in test-output/ui/, no serious or
 *    critical axe-core violation, and no console error, page error or failed request all along;
 *  - the cookie is HttpOnly, SameSite=Strict and expiring, the key is nowhere in the page, and
 *    sign-out invalidates the cookie (replayed → 401).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/metering/money.js';
import { buildUi } from '../../ui/build.mjs';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { axeProblems, CHROMIUM, launch, NARROW, openPage, screenshot, WIDE, type Watch } from './browser.js';

// Page-side code (evaluated in the browser) names browser globals; the test program has no DOM types.
declare const document: any, localStorage: any, sessionStorage: any, navigator: any, history: any, dispatchEvent: any, PopStateEvent: any;


const PROMPT = `---
name: brief
version: "1.0"
description: Restate a text for an audience.
model: mock/echo
input:
  type: object
  required: [text]
  properties:
    text: { type: string, maxLength: 2000, description: The text to restate. }
    tone: { enum: [plain, formal], description: How it should sound. }
    words: { type: integer, minimum: 1, maximum: 50, default: 12, description: "Longest answer, in words." }
---
Tone {{ tone | default: "plain" }}, at most {{ words }} words: {{ text }}
`;

const yaml = (promptsDir: string) => `providers:
  mock: { type: mock, chunk_delay_ms: 120 }
pricing:
  mock/echo: { input_per_mtok_usd: 1, output_per_mtok_usd: 2, source: "test", as_of: "2026-12-03" }
prompts:
  dir: "${promptsDir}"
`;

const usd = (nanos: number) => `$${formatUsd(nanos)}`;
const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const ask = (content: string) => ({ model: 'mock/echo', max_tokens: 50, messages: [{ role: 'user', content }] });

let gw: Instance;
let tmp: ReturnType<typeof tempDir>;
let uiDir: string;
let browser: Browser;
let admin: { context: BrowserContext; page: Page; watch: Watch };
let team: { context: BrowserContext; page: Page; watch: Watch } | undefined;
const state: { teamId?: string; key?: string; keyId?: string; otherTeamId?: string; teamKey?: string } = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`headless Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  tmp = tempDir();
  uiDir = mkdtempSync(join(tmpdir(), 'tollgate-ui-build-'));
  writeFileSync(join(tmp.dir, 'brief.md'), PROMPT);
  const [built, instance, b] = await Promise.all([
    buildUi(uiDir, { quiet: true }),
    startInstance(yaml(tmp.dir), { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` }, { uiDir }),
    launch(),
  ]);
  expect(built.gzipBytes).toBeLessThan(300 * 1024);
  gw = instance;
  browser = b;
  admin = await openPage(browser, gw.url);
}, 60_000);

afterAll(async () => {
  admin?.watch.stop();
  team?.watch.stop();
  await browser?.close();
  await gw?.close(1000);
  tmp?.remove();
  if (uiDir) rmSync(uiDir, { recursive: true, force: true });
});

/** Clicks a console nav link and waits for that page's heading and data. */
async function go(page: Page, label: string, heading: RegExp | string = label) {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
  await settle(page, heading);
}

async function settle(page: Page, heading: RegExp | string) {
  await expect.poll(() => page.locator('h1').first().innerText(), { timeout: 10_000 }).toMatch(heading);
  await expect.poll(() => page.getByText('Loading…').count(), { timeout: 10_000 }).toBe(0);
}

describe('the console is served by the gateway', () => {
  it('at /ui, with a strict CSP, long-cached hashed assets, a no-cache page and client routes', async () => {
    const page = await fetch(`${gw.url}/ui`, { headers: { 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const js = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const css = /href="(\/ui\/assets\/[^"]+\.css)"/.exec(html)![1]!;
    const asset = await fetch(gw.url + js, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(gw.url + css)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const again = await fetch(gw.url + js, { headers: { 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(await (await fetch(`${gw.url}/ui/prompts/brief`)).text()).toBe(html);
    expect((await fetch(`${gw.url}/ui/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    expect((await fetch(`${gw.url}/ui/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${gw.url}/ui/assets/missing.js`)).status).toBe(404);
  });
});

describe('admin: from sign-in to a revoked key', () => {
  it('signs in with the admin key; the cookie is HttpOnly, SameSite=Strict, expiring; the key is nowhere in the page', async () => {
    const { page, context } = admin;
    await page.goto(`${gw.url}/ui/`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Sign in');
    await screenshot(page, 'signin-wide');
    expect(await axeProblems(page)).toEqual([]);
    // The check can fail: a nameless button is a critical violation.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<button id="axe-probe"></button>'));
    expect((await axeProblems(page)).join('\n')).toMatch(/critical button-name/);
    await page.evaluate(() => document.getElementById('axe-probe').remove());
    await page.setViewportSize(NARROW);
    await screenshot(page, 'signin-narrow');
    expect(await axeProblems(page)).toEqual([]);
    await page.setViewportSize(WIDE);

    await page.getByLabel('Admin key or team key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await settle(page, 'Overview');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'tollgate_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(11 * 3_600_000);
    const trace = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      html: document.documentElement.outerHTML,
      inputs: [...document.querySelectorAll('input')].map((i) => i.value),
    }));
    expect(trace.cookie).toBe('');
    for (const v of [trace.local, trace.session, trace.html, ...trace.inputs]) expect(v).not.toContain(ADMIN_KEY);
    await expect.poll(() => page.getByText('No requests in this range yet.').count()).toBe(1);
  });

  it('creates a team with a budget (the API’s validation message shown in words)', async () => {
    const { page, watch } = admin;
    await go(page, 'Teams');
    await expect.poll(() => page.getByText('No teams yet.').count()).toBe(1);
    await page.getByLabel('Name').fill('search');
    await page.locator('#new-team-budget').fill('10.0000000001');
    watch.provoke('POST', '/admin/teams', 400);
    await page.getByRole('button', { name: 'Create team' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/The team was not created: limits\.budget_usd\.amount has more precision than a nano-dollar/);
    await page.locator('#new-team-budget').fill('10');
    await page.getByRole('button', { name: 'Create team' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'created' }).innerText()).toBe('Team “search” created.');
    const teams = (await adminCall(gw.url, 'GET', '/admin/teams')).json.data;
    expect(teams).toEqual([expect.objectContaining({ name: 'search', limits: { budget_usd: { amount: 10, period: 'month' } } })]);
    state.teamId = teams[0].id;
    const card = page.locator(`[data-team-id="${state.teamId}"]`);
    await expect.poll(() => card.getByTestId('budget-amount').innerText()).toBe('$10.000000');
    // Edit its limits: a bad value is refused in the API's words, a good one shows on the card.
    await card.getByRole('button', { name: 'Edit limits of search' }).click();
    await card.getByLabel('Requests / minute').fill('-5');
    watch.provoke('PATCH', `/admin/teams/${state.teamId}`, 400);
    await card.getByRole('button', { name: 'Save limits' }).click();
    await expect.poll(() => card.getByRole('alert').innerText()).toMatch(/The limits were not saved: limits\.rpm must be/);
    await card.getByLabel('Requests / minute').fill('600');
    await card.getByRole('button', { name: 'Save limits' }).click();
    await expect.poll(() => card.innerText()).toContain('600 req/min');
    expect((await adminCall(gw.url, 'GET', `/admin/teams/${state.teamId}`)).json.limits).toEqual({ budget_usd: { amount: 10, period: 'month' }, rpm: 600 });
    expect(watch.unmet()).toEqual([]);
  });

  it('creates a key, shows it once with a copy button, lists it by prefix', async () => {
    const { page } = admin;
    await go(page, 'Keys');
    await page.getByLabel('Name').fill('ci');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-key');
    await expect.poll(() => shown.count()).toBe(1);
    const key = await shown.innerText();
    expect(key).toMatch(/^tg_[A-Za-z0-9]{40}$/);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await expect.poll(() => page.getByText('Copied.').count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await page.getByRole('button', { name: 'Done, I stored it' }).click();
    await expect.poll(() => page.getByTestId('new-key').count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    const keys = (await adminCall(gw.url, 'GET', '/admin/keys')).json.data;
    expect(keys).toEqual([expect.objectContaining({ team_id: state.teamId, name: 'ci', prefix: key.slice(0, 11) })]);
    await expect.poll(() => page.locator(`[data-key-id="${keys[0].id}"]`).innerText()).toContain(key.slice(0, 11));
    state.key = key;
    state.keyId = keys[0].id;
  });

  it('three calls with the key: the Overview and the budget bar show exactly the spend /admin/usage reports', async () => {
    const { page } = admin;
    for (const words of ['how much does this cost', 'a second call', 'and a third one here']) expect((await chat(gw.url, state.key!, ask(words))).status).toBe(200);
    const range = `from=${day(29)}&to=${day(0)}`;
    const report = (await adminCall(gw.url, 'GET', `/admin/usage?${range}`)).json;
    expect(report.total.requests).toBe(3);
    expect(report.total.cost_nanos).toBeGreaterThan(0);
    await go(page, 'Overview');
    await expect.poll(() => page.getByTestId('overview-spend').innerText()).toBe(usd(report.total.cost_nanos));
    expect(await page.getByTestId('overview-requests').innerText()).toBe('3');
    // The chart's legend and the top-teams table say the same, per team.
    expect(await page.locator('.legend').innerText()).toContain(`search: ${usd(report.total.cost_nanos)}`);
    expect(await page.getByRole('region', { name: 'Top teams by spend' }).innerText()).toContain(usd(report.total.cost_nanos));

    const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)).toISOString();
    const period = (await adminCall(gw.url, 'GET', `/admin/usage?team_id=${state.teamId}&from=${monthStart}`)).json.total;
    await go(page, 'Teams');
    const card = page.locator(`[data-team-id="${state.teamId}"]`);
    await expect.poll(() => card.getByTestId('budget-spent').innerText()).toBe(usd(period.cost_nanos));
    expect(await card.getByRole('progressbar').getAttribute('aria-valuetext')).toBe(`${usd(period.cost_nanos)} of $10.000000`);
  });

  it('revokes the key after confirmation; the next call with it is refused', async () => {
    const { page } = admin;
    await go(page, 'Keys');
    const row = page.locator(`[data-key-id="${state.keyId}"]`);
    await row.getByRole('button', { name: /Revoke key/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this key?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => row.innerText()).toContain('revoked');
    const refused = await chat(gw.url, state.key!, ask('after revocation'));
    expect(refused.status).toBe(401);
  });
});

describe('admin: usage, prompts, models, requests', () => {
  it('the usage explorer groups and filters, and its CSV is exactly the table shown', async () => {
    const { page } = admin;
    // A team whose name a spreadsheet would run as a formula.
    const formula = (await adminCall(gw.url, 'POST', '/admin/teams', { name: '=SUM(1;2)' })).json;
    const fk = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: formula.id })).json;
    expect((await chat(gw.url, fk.key, ask('formula team'))).status).toBe(200);
    await go(page, 'Usage');
    await page.getByLabel('Group by').selectOption('model');
    await expect.poll(() => page.locator('thead th').first().innerText()).toBe('Model');
    const tableOf = () => page.locator('table').evaluate((t) => [...t.querySelectorAll('thead tr, tbody tr')].map((r: any) => [...r.querySelectorAll('th,td')].map((c: any) => c.innerText as string)));
    const csvOf = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
      return readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n').map((l) => l.split(','));
    };
    const api = (await adminCall(gw.url, 'GET', `/admin/usage?group_by=model&from=${day(29)}&to=${day(0)}`)).json;
    // The header changes first; wait for the report's rows.
    await expect.poll(async () => (await tableOf()).slice(1).map((r) => r[0])).toEqual(api.data.map((r: any) => r.model));
    const table = await tableOf();
    const csv = await csvOf();
    // Same rows and columns; numbers as plain numbers (no separators, no $).
    expect(csv).toEqual(table.map((r) => r.map((c) => c.replace(/[$,]/g, ''))));
    expect(csv.slice(1).map((r) => r[0])).toEqual(api.data.map((r: any) => r.model));
    expect(await page.getByTestId('usage-total-cost').innerText()).toBe(usd(api.total.cost_nanos));
    // By team: names beside ids; the formula-like name is neutralised in the file (OWASP), as shown otherwise.
    await page.getByLabel('Group by').selectOption('team');
    await expect.poll(() => page.locator('thead th').first().innerText()).toBe('Team');
    // The header changes first; the rows arrive with the report.
    await expect.poll(async () => (await tableOf()).map((r) => r[0])).toContain('=SUM(1;2)');
    const byTeam = await tableOf();
    const teamCsv = await csvOf();
    expect(teamCsv.length).toBe(byTeam.length);
    expect(teamCsv.find((r) => r[1] === formula.id)![0]).toBe(`"'=SUM(1;2)"`);
    // A filter that matches nothing says what to do.
    await page.getByLabel('Provider').fill('nobody');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByText('Nothing matches these filters.').count()).toBe(1);
  });

  it('runs a prompt from the form generated from its input schema; the answer streams into the page', async () => {
    const { page } = admin;
    await go(page, 'Prompts');
    await page.getByRole('link', { name: 'brief' }).click();
    await settle(page, 'Prompt brief');
    await page.getByLabel(/^text/).fill('the console streams this answer word by word');
    await page.getByLabel(/^tone/).selectOption('formal');
    expect(await page.getByLabel(/^words/).inputValue()).toBe('12'); // the schema's default
    await page.getByLabel(/^words/).fill('20');
    await page.getByRole('button', { name: 'Run' }).click();
    const answer = page.getByTestId('prompt-answer');
    const expected = 'Tone formal, at most 20 words: the console streams this answer word by word';
    // Part of the answer is on the page before the stream ends…
    await expect.poll(async () => ((await page.getByTestId('prompt-done').count()) === 0 ? (await answer.innerText()).length : -1), { interval: 30, timeout: 10_000 }).toBeGreaterThan(0);
    const partial = await answer.innerText();
    expect(expected.startsWith(partial) && partial.length < expected.length).toBe(true);
    // …then all of it, with the call's usage.
    await expect.poll(() => page.getByTestId('prompt-done').count(), { timeout: 10_000 }).toBe(1);
    expect(await answer.innerText()).toBe(expected);
    expect(await page.getByTestId('prompt-done').innerText()).toMatch(/^brief 1\.0 on echo: \d+ tokens in, \d+ out, \$0\.0000\d\d\.$/);
    await screenshot(page, 'admin-prompt-wide');
  });

  it('publishes a new prompt version', async () => {
    const { page } = admin;
    await go(page, 'Prompts');
    const source = PROMPT.replace('version: "1.0"', 'version: "1.1"').replace('Restate', 'Restate again');
    await page.getByLabel('Prompt source').fill(source);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Published' }).innerText()).toBe('Published brief version 1.1.');
    await expect.poll(() => page.getByRole('region', { name: 'Prompts' }).innerText()).toContain('1.0, 1.1');
  });

  it('models: the catalog with prices per 1M tokens and the serving provider, searchable', async () => {
    const { page } = admin;
    await go(page, 'Models');
    await page.getByRole('searchbox', { name: 'Search' }).fill('echo');
    const row = page.locator('tbody tr').filter({ hasText: 'mock/echo' });
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells).toEqual(['mock/echo', 'mock (mock)', expect.any(String), '—', '—', '$1.00', '$2.00', '$1.00', 'test, 2026-12-03']);
  });

  it('requests: the newest requests, live-updating and filterable', async () => {
    const { page } = admin;
    await go(page, 'Requests');
    const rows = page.getByTestId('request-rows').locator('tr');
    await expect.poll(() => rows.count()).toBe(5); // three calls, the formula team's and the prompt run (the revoked key's call had no team to record)
    const k2 = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: state.teamId, name: 'live' })).json;
    expect((await chat(gw.url, k2.key, ask('a new request appears by itself'))).status).toBe(200);
    expect((await chat(gw.url, k2.key, { ...ask('no such model'), model: 'nowhere/model' })).status).toBe(404);
    await expect.poll(() => rows.count(), { timeout: 8000 }).toBe(7);
    expect(await rows.first().innerText()).toContain(k2.prefix);
    await page.getByLabel('Status').selectOption('error');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('404');
    await page.getByLabel('Status').selectOption('');
    state.teamKey = k2.key;
  });
});

describe('a team key’s console', () => {
  it('shows its own team only, and its cookie cannot read another team through the API', async () => {
    const other = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'billing', limits: { budget_usd: { amount: 3, period: 'day' } } })).json;
    const otherKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: other.id, name: 'billing-bot' })).json;
    expect((await chat(gw.url, otherKey.key, ask('billing team traffic'))).status).toBe(200);
    state.otherTeamId = other.id;

    team = await openPage(browser, gw.url);
    const { page, context } = team;
    await page.goto(`${gw.url}/ui/`);
    await page.getByLabel('Admin key or team key').fill(state.teamKey!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await settle(page, 'Overview');
    const nav = await page.getByRole('navigation', { name: 'Console' }).innerText();
    expect(nav).not.toMatch(/Teams|Keys/);
    const own = (await adminCall(gw.url, 'GET', `/v1/usage/summary?from=${day(29)}&to=${day(0)}`, undefined, state.teamKey)).json;
    await expect.poll(() => page.getByTestId('overview-spend').innerText()).toBe(usd(own.cost_nanos));
    expect(own.requests).toBe(5); // the ci key's three calls and the live key's two (the prompt ran as the admin)

    await go(page, 'Team', 'Team search');
    await expect.poll(() => page.getByTestId('budget-amount').innerText()).toBe('$10.000000');
    await go(page, 'Requests');
    const text = await page.getByTestId('request-rows').innerText();
    expect(text).not.toContain(otherKey.prefix);
    await go(page, 'Usage');
    await page.getByLabel('Group by').selectOption('key');
    await expect.poll(() => page.getByTestId('usage-rows').innerText()).not.toContain(otherKey.id);

    // A page it has no business on says so; the API refuses its cookie for anything not its own.
    await page.evaluate(() => {
      history.pushState(null, '', '/ui/teams');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await settle(page, 'Not here');
    const api = context.request;
    const h = { headers: { 'x-tollgate-ui': '1' } };
    expect((await api.get(`${gw.url}/v1/team`, h)).status()).toBe(200);
    for (const path of ['/admin/teams', '/admin/keys', '/admin/usage', `/v1/usage?team_id=${other.id}`, `/v1/usage/records?team_id=${other.id}`, `/v1/usage/summary?team_id=${other.id}`]) {
      expect((await api.get(gw.url + path, h)).status(), path).toBe(403);
    }
    const records = (await (await api.get(`${gw.url}/v1/usage/records`, h)).json()) as { data: Array<{ team_id: string }> };
    expect(records.data.length).toBe(5);
    expect(records.data.every((r) => r.team_id === state.teamId)).toBe(true);
  });
});

const ADMIN_PAGES: Array<[string, string | RegExp]> = [
  ['Overview', 'Overview'],
  ['Teams', 'Teams'],
  ['Keys', 'Keys'],
  ['Usage', 'Usage'],
  ['Prompts', 'Prompts'],
  ['Models', 'Models'],
  ['Requests', 'Requests'],
];
const TEAM_PAGES: Array<[string, string | RegExp]> = [
  ['Overview', 'Overview'],
  ['Team', 'Team search'],
  ['Usage', 'Usage'],
  ['Prompts', 'Prompts'],
  ['Models', 'Models'],
  ['Requests', 'Requests'],
];

describe('every page, wide and narrow', () => {
  it('admin and team views: a screenshot each, no serious or critical axe violation', async () => {
    const problems: string[] = [];
    for (const [who, view, pages] of [
      ['admin', admin, ADMIN_PAGES],
      ['team', team!, TEAM_PAGES],
    ] as const) {
      for (const [size, viewport] of [
        ['wide', WIDE],
        ['narrow', NARROW],
      ] as const) {
        await view.page.setViewportSize(viewport);
        for (const [label, heading] of pages) {
          await go(view.page, label, heading);
          await screenshot(view.page, `${who}-${label.toLowerCase()}-${size}`);
          for (const p of await axeProblems(view.page)) problems.push(`${who} ${label} ${size}: ${p}`);
        }
      }
    }
    // The prompt's try-it page, and the team's view of it.
    await go(team!.page, 'Prompts');
    await team!.page.getByRole('link', { name: 'brief' }).click();
    await settle(team!.page, 'Prompt brief');
    await screenshot(team!.page, 'team-prompt-narrow');
    problems.push(...(await axeProblems(team!.page)).map((p) => `team prompt narrow: ${p}`));
    expect(problems).toEqual([]);
  }, 60_000);
});

describe('sign-out', () => {
  it('invalidates the cookie: replayed, it is refused', async () => {
    const { page, context } = admin;
    await page.setViewportSize(WIDE);
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Sign in');
    expect(await page.getByRole('status').innerText()).toBe('You are signed out.');
    expect(await context.cookies()).toEqual([]);
    const replay = await fetch(`${gw.url}/admin/teams`, { headers: { cookie: `tollgate_session=${cookie!.value}`, 'x-tollgate-ui': '1' } });
    expect(replay.status).toBe(401);
  });

  it('no console error, page error, failed request or unexpected HTTP error happened in any page', () => {
    expect(admin.watch.problems).toEqual([]);
    expect(team?.watch.problems).toEqual([]);
    expect(admin.watch.unmet()).toEqual([]);
  });
});
