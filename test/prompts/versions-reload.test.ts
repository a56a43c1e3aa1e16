/**
 * Versions, hot reload and publishing (docs/contract.md §5): a temporary prompts directory edited while a
 * real gateway runs; every change must be served within a second, without a restart.
 * Text prompts run on the built-in `mock/echo` model (it answers with the user message), so the
 * answer shows which template version rendered it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { post } from './helpers.js';

const ADMIN = 'tg-admin-key-for-prompt-tests';
const TEAM_KEY = 'tg_team_key_marketing_0001';

let dir: string;
let gw: TestGateway;

const promptFile = (version: string, body: string, extra = '') =>
  `---\nversion: "${version}"\ndescription: greet v${version}\nmodel: mock/echo\n${extra}input:\n  type: object\n  required: [who]\n  properties:\n    who: { type: string }\n---\n${body}\n`;

async function answer(path: string, vars: Record<string, unknown> = { who: 'Ada' }, key = ADMIN): Promise<{ status: number; body: any }> {
  const res = await post(`${gw.url}${path}`, vars, { authorization: `Bearer ${key}` });
  return { status: res.status, body: await res.json() };
}

/** Polls until `check` holds, failing if it takes more than a second (the hot-reload promise). */
async function withinOneSecond(check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > 1000) throw new Error('not picked up within 1 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

const listing = async () => ((await (await fetch(`${gw.url}/v1/prompts`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as any);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tollgate-prompts-'));
  writeFileSync(join(dir, 'greet.md'), promptFile('1', 'Hello {{ who }} from v1'));
  gw = await startGateway(`prompts:\n  dir: "${dir}"\n`, { TOLLGATE_ADMIN_KEY: ADMIN }, {
    keys: {
      hasKeys: () => true,
      find: (hash) => (hash === sha(TEAM_KEY) ? { kind: 'team-key', teamId: 'team_marketing', keyId: 'key_m1', name: 'marketing' } : undefined),
    },
  });
});
afterAll(async () => {
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('versions', () => {
  it('an edit with a new version keeps the old one served by pinning; latest moves', async () => {
    expect((await answer('/v1/prompts/greet')).body.output).toBe('Hello Ada from v1');
    writeFileSync(join(dir, 'greet.md'), promptFile('2', 'Hi {{ who }}, this is v2'));
    await withinOneSecond(async () => (await answer('/v1/prompts/greet')).body.output === 'Hi Ada, this is v2');
    const pinned1 = await answer('/v1/prompts/greet/versions/1');
    expect(pinned1.body).toMatchObject({ output: 'Hello Ada from v1', prompt: { name: 'greet', version: '1' } });
    const pinned2 = await answer('/v1/prompts/greet/versions/2');
    expect(pinned2.body).toMatchObject({ output: 'Hi Ada, this is v2', prompt: { name: 'greet', version: '2' } });
    const l = (await listing()).data.find((p: any) => p.name === 'greet');
    expect(l).toMatchObject({ latest: '2', versions: ['1', '2'], description: 'greet v2' });

    // The usage record names the version that actually ran.
    await until(() => gw.records.filter((r) => r.promptName === 'greet').length >= 4);
    const versions = gw.records.filter((r) => r.promptName === 'greet').map((r) => r.promptVersion);
    expect(versions).toEqual(expect.arrayContaining(['1', '2']));
  });

  it('POST /admin/prompts publishes a version that is served and listed like a file one', async () => {
    const source = promptFile('3', 'Published v3 for {{ who }}').replace('---\n', '---\nname: greet\n');
    const denied = await post(`${gw.url}/admin/prompts`, { source }, { authorization: `Bearer ${TEAM_KEY}` });
    expect(denied.status).toBe(403);
    const res = await post(`${gw.url}/admin/prompts`, { source }, { authorization: `Bearer ${ADMIN}` });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'greet', version: '3', created: true });
    expect((await answer('/v1/prompts/greet')).body).toMatchObject({ output: 'Published v3 for Ada', prompt: { version: '3' } });
    expect((await answer('/v1/prompts/greet/versions/2')).body.output).toBe('Hi Ada, this is v2');
    expect((await listing()).data.find((p: any) => p.name === 'greet').versions).toEqual(['1', '2', '3']);

    // Same name@version with other content: refused (versions are immutable); same content: idempotent.
    const clash = await post(`${gw.url}/admin/prompts`, { source: source.replace('Published', 'Changed') }, { authorization: `Bearer ${ADMIN}` });
    expect(clash.status).toBe(409);
    const again = await post(`${gw.url}/admin/prompts`, { source }, { authorization: `Bearer ${ADMIN}` });
    expect(again.status).toBe(200);

    // The JSON form (fields + template) works too; an invalid one is a 400 naming the problem.
    const fields = await post(
      `${gw.url}/admin/prompts`,
      { name: 'shout', version: '1', model: 'mock/echo', input: { type: 'object', properties: { w: { type: 'string' } }, required: ['w'] }, template: '{{ w | upcase }}!' },
      { authorization: `Bearer ${ADMIN}` },
    );
    expect(fields.status).toBe(201);
    expect((await answer('/v1/prompts/shout', { w: 'hey' })).body.output).toBe('HEY!');
    const bad = await post(`${gw.url}/admin/prompts`, { name: 'bad', version: '1', model: 'mock/echo', template: '{{ undeclared }}' }, { authorization: `Bearer ${ADMIN}` });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/'undeclared'/);
  });
});

describe('hot reload', () => {
  it('add: a new file is served within a second', async () => {
    expect((await answer('/v1/prompts/farewell')).status).toBe(404);
    writeFileSync(join(dir, 'farewell.md'), promptFile('1', 'Bye {{ who }}'));
    const ms = await withinOneSecond(async () => (await answer('/v1/prompts/farewell')).status === 200);
    expect(ms).toBeLessThan(1000);
    expect((await answer('/v1/prompts/farewell')).body.output).toBe('Bye Ada');
  });

  it('edit in place (same version): the new template serves', async () => {
    writeFileSync(join(dir, 'farewell.md'), promptFile('1', 'Goodbye, {{ who }}!'));
    await withinOneSecond(async () => (await answer('/v1/prompts/farewell')).body.output === 'Goodbye, Ada!');
  });

  it('broken file: reported in GET /v1/prompts errors, the last good version keeps serving', async () => {
    writeFileSync(join(dir, 'farewell.md'), promptFile('2', 'Bye {{ who }} {{ unclosed'));
    await withinOneSecond(async () => (await listing()).errors.some((e: any) => e.source === 'farewell.md'));
    const err = (await listing()).errors.find((e: any) => e.source === 'farewell.md');
    expect(err.message).toMatch(/template: .*not closed/);
    const still = await answer('/v1/prompts/farewell');
    expect(still.body).toMatchObject({ output: 'Goodbye, Ada!', prompt: { version: '1' } });

    // A front-matter mistake is reported with the field.
    writeFileSync(join(dir, 'farewell.md'), promptFile('2', 'Bye {{ who }}').replace('model: mock/echo', 'model: mock/echo\ntemprature: 0.2'));
    await withinOneSecond(async () => (await listing()).errors.some((e: any) => /temprature/.test(e.message)));
    expect((await answer('/v1/prompts/farewell')).body.output).toBe('Goodbye, Ada!');

    // Fixed: the error goes away and the new version serves.
    writeFileSync(join(dir, 'farewell.md'), promptFile('2', 'Farewell {{ who }}'));
    await withinOneSecond(async () => (await answer('/v1/prompts/farewell')).body.output === 'Farewell Ada');
    expect((await listing()).errors).toEqual([]);
  });

  it('a broken new file is reported and serves nothing', async () => {
    writeFileSync(join(dir, 'oops.md'), 'no front matter here');
    await withinOneSecond(async () => (await listing()).errors.some((e: any) => e.source === 'oops.md'));
    expect((await answer('/v1/prompts/oops')).status).toBe(404);
    unlinkSync(join(dir, 'oops.md'));
    await withinOneSecond(async () => (await listing()).errors.length === 0);
  });

  it('delete: the prompt (all its file versions) is gone within a second', async () => {
    unlinkSync(join(dir, 'farewell.md'));
    await withinOneSecond(async () => (await answer('/v1/prompts/farewell')).status === 404);
    expect((await answer('/v1/prompts/farewell/versions/1')).status).toBe(404);
  });
});

describe('teams', () => {
  it("a prompt's teams restrict which keys may call it (403 otherwise); the listing shows only callable ones", async () => {
    writeFileSync(join(dir, 'internal.md'), promptFile('1', 'Internal {{ who }}', 'teams: [team_finance]\n'));
    writeFileSync(join(dir, 'campaign.md'), promptFile('1', 'Campaign {{ who }}', 'teams: [team_marketing, team_sales]\n'));
    await withinOneSecond(async () => (await answer('/v1/prompts/campaign')).status === 200);
    await withinOneSecond(async () => (await answer('/v1/prompts/internal')).status === 200); // admin may call all

    const denied = await answer('/v1/prompts/internal', { who: 'x' }, TEAM_KEY);
    expect(denied.status).toBe(403);
    expect(denied.body.error.type).toBe('permission_error');
    const allowed = await answer('/v1/prompts/campaign', { who: 'x' }, TEAM_KEY);
    expect(allowed.status).toBe(200);
    expect(allowed.body.output).toBe('Campaign x');
    await until(() => gw.records.some((r) => r.teamId === 'team_marketing'));
    expect(gw.records.find((r) => r.teamId === 'team_marketing')).toMatchObject({ kind: 'prompt', promptName: 'campaign', keyId: 'key_m1' });

    const res = await fetch(`${gw.url}/v1/prompts`, { headers: { authorization: `Bearer ${TEAM_KEY}` } });
    const names = ((await res.json()) as any).data.map((p: any) => p.name);
    expect(names).toContain('campaign');
    expect(names).not.toContain('internal');
  });
});
