/**
 * The console's sign-in (no browser): a key is exchanged for an HttpOnly, SameSite=Strict cookie
 * holding a random token (only its sha256 stored); that cookie, with `x-tollgate-ui: 1`, stands
 * in for the key on the admin and /v1 API and nowhere else; without a valid session every data
 * call the console makes is a 401; sign-out, expiry, a revoked team key and a changed admin key
 * each end a session; sessions are shared by instances on one database.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutSessionCookie } from '../../src/proxy/headers.js';
import { ADMIN_KEY, adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const YAML = 'providers:\n  mock: { type: mock }\nauth:\n  keys: [{ name: ci, key: "static-ci-key-0123456789" }]\nui:\n  session_hours: 2\n';
const UI = { 'x-tollgate-ui': '1' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Every GET the console's pages make for their data. */
export const DATA_CALLS = [
  '/admin/teams',
  '/admin/keys',
  '/admin/budgets',
  '/admin/usage?group_by=day&split_by=team',
  '/admin/usage/summary',
  '/admin/usage/records',
  '/v1/usage?group_by=model',
  '/v1/usage/summary',
  '/v1/usage/records',
  '/v1/team',
  '/v1/catalog',
  '/v1/prompts',
];

let a: Instance;
let b: Instance;
let tmp: ReturnType<typeof tempDir>;
let team: any;
let other: any;
let teamKey: any;
let otherKey: any;

async function signIn(url: string, key: string, headers: Record<string, string> = UI) {
  const res = await fetch(`${url}/ui/api/session`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const token = /^tollgate_session=([^;]*)/.exec(setCookie)?.[1] ?? '';
  return { status: res.status, json: (await res.json()) as any, setCookie, cookie: `tollgate_session=${token}`, token };
}

const get = (url: string, path: string, headers: Record<string, string>) => fetch(url + path, { headers });

beforeAll(async () => {
  tmp = tempDir();
  const env = { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` };
  a = await startInstance(YAML, { ...env, TOLLGATE_INSTANCE_ID: 'a' });
  // b serves no console build (a fresh clone before `npm run build`).
  b = await startInstance(YAML, { ...env, TOLLGATE_INSTANCE_ID: 'b' }, { uiDir: `${tmp.dir}/no-ui-build` });
  team = (await adminCall(a.url, 'POST', '/admin/teams', { name: 'search' })).json;
  other = (await adminCall(a.url, 'POST', '/admin/teams', { name: 'billing' })).json;
  teamKey = (await adminCall(a.url, 'POST', '/admin/keys', { team_id: team.id, name: 'console' })).json;
  otherKey = (await adminCall(a.url, 'POST', '/admin/keys', { team_id: other.id, name: 'other' })).json;
});
afterAll(async () => {
  await a?.close(1000);
  await b?.close(1000);
  tmp?.remove();
});

describe('console sign-in', () => {
  it('exchanges the admin key for an HttpOnly, SameSite=Strict, expiring cookie; only the token’s sha256 is stored', async () => {
    const s = await signIn(a.url, ADMIN_KEY);
    expect(s.status).toBe(201);
    expect(s.json).toMatchObject({ signed_in: true, kind: 'admin', team_id: null });
    expect(await (await get(a.url, '/ui/api/session', { ...UI, cookie: s.cookie })).json()).toMatchObject({ signed_in: true, kind: 'admin' });
    expect(s.setCookie).toMatch(/^tollgate_session=[A-Za-z0-9_-]{43}; /);
    const attrs = s.setCookie.split(';').map((x) => x.trim());
    expect(attrs).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=7200']));
    expect(attrs).not.toContain('Secure');
    expect(Date.parse(s.json.expires_at) - Date.now()).toBeGreaterThan(7100_000);
    const rows = a.storage.sqlite.prepare('SELECT * FROM ui_sessions').all() as Record<string, unknown>[];
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(s.token);
    expect(dump).not.toContain(ADMIN_KEY);
    expect(rows.map((r) => r.token_hash)).toContain(sha(s.token));
    // The cookie (with the header) is the admin on the admin API and on /v1.
    expect((await get(a.url, '/admin/teams', { ...UI, cookie: s.cookie })).status).toBe(200);
    const chat = await fetch(`${a.url}/v1/chat/completions`, { method: 'POST', headers: { ...UI, cookie: s.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(chat.status).toBe(200);
  });

  it('is Secure behind https (x-forwarded-proto)', async () => {
    const s = await signIn(a.url, ADMIN_KEY, { ...UI, 'x-forwarded-proto': 'https' });
    expect(s.setCookie.split(';').map((x) => x.trim())).toContain('Secure');
  });

  it('refuses bad sign-ins in words: unknown key 401, a key without a team 403, no key 400, no console header 400', async () => {
    const wrong = await signIn(a.url, 'tg_' + 'x'.repeat(40));
    expect(wrong.status).toBe(401);
    expect(wrong.setCookie).toBe('');
    const stat = await signIn(a.url, 'static-ci-key-0123456789');
    expect(stat.status).toBe(403);
    expect(stat.json.error.message).toMatch(/admin key or a team key/);
    expect((await signIn(a.url, '')).status).toBe(400);
    expect((await signIn(a.url, 'k'.repeat(5000))).status).toBe(401);
    expect((await signIn(a.url, `${ADMIN_KEY}\nx`)).status).toBe(401);
    const noHeader = await signIn(a.url, ADMIN_KEY, {});
    expect(noHeader.status).toBe(400);
    expect(noHeader.json.error.param).toBe('x-tollgate-ui');
    const revoked = (await adminCall(a.url, 'POST', '/admin/keys', { team_id: team.id, name: 'gone' })).json;
    await adminCall(a.url, 'DELETE', `/admin/keys/${revoked.id}`);
    expect((await signIn(a.url, revoked.key)).status).toBe(401);
  });

  it('without a valid session every console data call is 401 (no cookie, a forged cookie, or a cookie without the console header)', async () => {
    const good = await signIn(a.url, ADMIN_KEY);
    for (const path of DATA_CALLS) {
      expect((await get(a.url, path, UI)).status, `${path} without a cookie`).toBe(401);
      expect((await get(a.url, path, { ...UI, cookie: 'tollgate_session=forged' })).status, `${path} with a forged cookie`).toBe(401);
      // CSRF: the cookie alone (what a cross-site request carries at most) authenticates nothing.
      expect((await get(a.url, path, { cookie: good.cookie })).status, `${path} without the console header`).toBe(401);
      expect((await get(a.url, path, { ...UI, cookie: good.cookie })).status, `${path} with the session`).not.toBe(401);
    }
    const post = await fetch(`${a.url}/admin/teams`, { method: 'POST', headers: { cookie: good.cookie, 'content-type': 'application/json' }, body: '{"name":"csrf"}' });
    expect(post.status).toBe(401);
    expect((await adminCall(a.url, 'GET', '/admin/teams')).json.data.map((t: any) => t.name)).not.toContain('csrf');
  });

  it('sign-out revokes the session: the old cookie replayed is 401, on every instance', async () => {
    const s = await signIn(a.url, ADMIN_KEY);
    expect((await get(b.url, '/admin/teams', { ...UI, cookie: s.cookie })).status).toBe(200); // shared through the database
    const out = await fetch(`${a.url}/ui/api/session`, { method: 'DELETE', headers: { ...UI, cookie: s.cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^tollgate_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/);
    for (const url of [a.url, b.url]) {
      const r = await get(url, '/admin/teams', { ...UI, cookie: s.cookie });
      expect(r.status).toBe(401);
      expect(((await r.json()) as any).error.message).toMatch(/session has ended/);
      expect(await (await get(url, '/ui/api/session', { ...UI, cookie: s.cookie })).json()).toEqual({ signed_in: false });
    }
  });

  it('outlives a restart: a session is in the database, not in a process', async () => {
    const s = await signIn(b.url, ADMIN_KEY);
    await b.close(1000);
    b = await startInstance(YAML, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db`, TOLLGATE_INSTANCE_ID: 'b' }, { uiDir: `${tmp.dir}/no-ui-build` });
    expect((await get(b.url, '/admin/teams', { ...UI, cookie: s.cookie })).status).toBe(200);
  });

  it('a session expires: past its expiry the cookie is refused', async () => {
    const s = await signIn(a.url, ADMIN_KEY);
    expect((await get(a.url, '/v1/usage', { ...UI, cookie: s.cookie })).status).toBe(200);
    a.storage.sqlite.prepare('UPDATE ui_sessions SET expires_at = ? WHERE token_hash = ?').run(Date.now() - 1, sha(s.token));
    expect((await get(a.url, '/v1/usage', { ...UI, cookie: s.cookie })).status).toBe(401);
  });

  it('a changed admin key ends the admin sessions opened with the old one', async () => {
    const s = await signIn(a.url, ADMIN_KEY);
    const before = a.gateway.snapshot;
    try {
      a.gateway.snapshot = Object.freeze({ ...before, adminKeyHash: sha('a-rotated-admin-key-000000') });
      expect((await get(a.url, '/admin/teams', { ...UI, cookie: s.cookie })).status).toBe(401);
    } finally {
      a.gateway.snapshot = before;
    }
    expect((await get(a.url, '/admin/teams', { ...UI, cookie: s.cookie })).status).toBe(200);
  });
});

describe('a team key’s session', () => {
  it('is that team’s key on /v1, 403 on the admin API and for any other team', async () => {
    const s = await signIn(a.url, teamKey.key);
    expect(s.status).toBe(201);
    expect(s.json).toMatchObject({ kind: 'team-key', team_id: team.id, team_name: 'search', key_prefix: teamKey.prefix });
    expect(JSON.stringify(s.json)).not.toContain(teamKey.key);
    const h = { ...UI, cookie: s.cookie };
    for (const path of ['/admin/teams', '/admin/keys', '/admin/usage', '/admin/budgets', '/admin/usage/records']) expect((await get(a.url, path, h)).status, path).toBe(403);
    for (const path of [`/v1/usage?team_id=${other.id}`, `/v1/usage/records?team_id=${other.id}`, `/v1/usage/summary?team_id=${other.id}`]) expect((await get(a.url, path, h)).status, path).toBe(403);
    const own = (await (await get(a.url, '/v1/team', h)).json()) as any;
    expect(own).toMatchObject({ id: team.id, name: 'search' });
    // Calls made with the session are metered under its key and team.
    await fetch(`${a.url}/v1/chat/completions`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'from the console' }] }) });
    await fetch(`${a.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${otherKey.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'other team' }] }) });
    const records = (await (await get(a.url, '/v1/usage/records', h)).json()) as any;
    expect(records.data.length).toBeGreaterThan(0);
    expect(records.data.every((r: any) => r.team_id === team.id)).toBe(true);
    expect(records.data[0]).toMatchObject({ key_id: teamKey.id, key_prefix: teamKey.prefix });
  });

  it('ends at once when its key is revoked (on every instance)', async () => {
    const k = (await adminCall(a.url, 'POST', '/admin/keys', { team_id: team.id, name: 'soon-revoked' })).json;
    const s = await signIn(a.url, k.key);
    const h = { ...UI, cookie: s.cookie };
    expect((await get(b.url, '/v1/team', h)).status).toBe(200);
    expect((await adminCall(b.url, 'DELETE', `/admin/keys/${k.id}`)).status).toBe(200);
    expect((await get(a.url, '/v1/team', h)).status).toBe(401);
    expect((await get(b.url, '/v1/usage', h)).status).toBe(401);
  });
});

describe('console switches', () => {
  it('ui.enabled false: /ui is a 404 and no session can be opened', async () => {
    const before = a.gateway.snapshot;
    try {
      a.gateway.snapshot = Object.freeze({ ...before, ui: { ...before.ui, enabled: false } });
      expect((await fetch(`${a.url}/ui`)).status).toBe(404);
      expect((await signIn(a.url, ADMIN_KEY)).status).toBe(404);
    } finally {
      a.gateway.snapshot = before;
    }
  });

  it('without a build, /ui says how to build it (503), with the console’s security headers', async () => {
    const res = await fetch(`${b.url}/ui/teams`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/not built.*npm run build/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect((await fetch(`${b.url}/ui/assets/index-x.js`)).status).toBe(404);
    expect((await fetch(`${b.url}/ui/api/nothing`)).status).toBe(404);
  });

  it('a proxied request never carries the session cookie upstream', () => {
    expect(withoutSessionCookie('a=1; tollgate_session=abc; b=2')).toBe('a=1; b=2');
    expect(withoutSessionCookie('tollgate_session=abc')).toBe('');
    expect(withoutSessionCookie('theme=dark')).toBe('theme=dark');
  });
});
