/**
 * Authentication once, per route group (src/server/auth-hook.ts), over real HTTP on a full
 * gateway: each group's answer to no key, a bad key, a team key, the admin key and a console
 * session; and a route that declares no group does not register.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { authByRouteGroup } from '../../src/server/auth-hook.js';

const TOKEN = 'scrape-token-Rk3Vw8Lp2Qz7Xn5M';
const UI = { 'x-tollgate-ui': '1' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let gw: Instance;
let upstream: Server;
let tmp: ReturnType<typeof tempDir>;
let teamKey: string;
let adminCookie: string;
let teamCookie: string;
/** The authorization header the proxy's upstream last received. */
let seenAuth: string | undefined;

async function signIn(key: string): Promise<string> {
  const res = await fetch(`${gw.url}/ui/api/session`, { method: 'POST', headers: { ...UI, 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
  expect(res.status).toBe(201);
  return /^(tollgate_session=[^;]*)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
}

const status = async (path: string, headers: Record<string, string> = {}) => (await fetch(gw.url + path, { headers })).status;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seenAuth = req.headers.authorization;
    res.end('upstream');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const up = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  tmp = tempDir();
  gw = await startInstance(
    `providers:\n  mock: { type: mock }\ndocs: { public: false }\nmetrics: { public: false, token: "${TOKEN}" }\n` +
      `routes:\n  - { match: { path: /keyed }, upstreams: ["${up}"] }\n  - { match: { path: /open }, upstreams: ["${up}"], auth: none }\n`,
    { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/a.db` },
  );
  const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'auth-hook' })).json;
  teamKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id })).json.key;
  adminCookie = await signIn(ADMIN_KEY);
  teamCookie = await signIn(teamKey);
});
afterAll(async () => {
  await gw?.close(1000);
  await new Promise((r) => upstream?.close(r));
  tmp?.remove();
});

describe('route groups over HTTP', () => {
  it('key (/v1): 401 without a key or with a bad one; a team key, the admin key and a console session pass', async () => {
    for (const path of ['/v1/models', '/v1/catalog', '/v1/capabilities', '/v1/prompts', '/v1/team']) {
      expect(await status(path), path).toBe(401);
      expect(await status(path, bearer('tg_not_a_key_000000000000')), path).toBe(401);
      expect(await status(path, bearer(teamKey)), path).toBe(200);
      expect(await status(path, { cookie: teamCookie, ...UI }), path).toBe(200);
      // A cookie alone (no console header) authenticates nothing.
      expect(await status(path, { cookie: teamCookie }), path).toBe(401);
    }
    expect(await status('/v1/models', bearer(ADMIN_KEY))).toBe(200);
    expect(await status('/v1/models', { 'x-api-key': teamKey })).toBe(200);
    expect(await status('/v1/usage', { cookie: adminCookie, ...UI })).toBe(200);
  });

  it('admin: 401 without a key or with a bad one, 403 for a team key or its session; the admin key or its session pass', async () => {
    for (const path of ['/admin/teams', '/admin/budgets', '/admin/requests', '/admin/usage/summary']) {
      expect(await status(path), path).toBe(401);
      expect(await status(path, bearer('tg_not_a_key_000000000000')), path).toBe(401);
      expect(await status(path, bearer(teamKey)), path).toBe(403);
      expect(await status(path, { cookie: teamCookie, ...UI }), path).toBe(403);
      expect(await status(path, bearer(ADMIN_KEY)), path).toBe(200);
      expect(await status(path, { cookie: adminCookie, ...UI }), path).toBe(200);
    }
    const publish = await fetch(`${gw.url}/admin/prompts`, { method: 'POST', headers: { ...bearer(teamKey), 'content-type': 'application/json' }, body: '{}' });
    expect(publish.status).toBe(403);
  });

  it('docs (docs.public: false): 401 without a key or with a bad one; any valid key passes', async () => {
    for (const path of ['/openapi.json', '/docs', '/docs/json']) {
      expect(await status(path), path).toBe(401);
      expect(await status(path, bearer('tg_not_a_key_000000000000')), path).toBe(401);
      expect(await status(path, bearer(teamKey)), path).toBe(200);
      expect(await status(path, bearer(ADMIN_KEY)), path).toBe(200);
    }
  });

  it('metrics (metrics.public: false): 401 without a key or with a bad one, 403 for a team key; the token or the admin key pass, in either key header', async () => {
    expect(await status('/metrics')).toBe(401);
    expect(await status('/metrics', bearer('tg_not_a_key_000000000000'))).toBe(401);
    expect(await status('/metrics', bearer(teamKey))).toBe(403);
    expect(await status('/metrics', bearer(TOKEN))).toBe(200);
    expect(await status('/metrics', bearer(ADMIN_KEY))).toBe(200);
    // The same admin check as the admin API: the admin key in x-api-key counts (it was a 401 here only).
    expect(await status('/admin/teams', { 'x-api-key': ADMIN_KEY })).toBe(200);
    expect(await status('/metrics', { 'x-api-key': ADMIN_KEY })).toBe(200);
  });

  it("proxy: a route's auth applies (401 / 200); an auth-none route is anonymous and its tollgate keys are not forwarded", async () => {
    expect(await status('/keyed/x')).toBe(401);
    expect(await status('/keyed/x', bearer('tg_not_a_key_000000000000'))).toBe(401);
    expect(await status('/keyed/x', bearer(teamKey))).toBe(200);
    expect(await status('/open/x')).toBe(200);
    expect(await status('/open/x', bearer(teamKey))).toBe(200);
    expect(seenAuth).toBeUndefined();
    expect(await status('/open/x', bearer('sk-upstream-own-credential'))).toBe(200);
    expect(seenAuth).toBe('Bearer sk-upstream-own-credential');
  });

  it('none: health checks and the console answer without a key, and a bad key changes nothing', async () => {
    for (const path of ['/healthz', '/readyz', '/ui/api/session']) {
      expect(await status(path), path).toBe(200);
      expect(await status(path, bearer('tg_not_a_key_000000000000')), path).toBe(200);
    }
  });
});

describe('declaring the group', () => {
  it('a route without a group does not register; a declared one gets its hook and req.principal', async () => {
    const app = Fastify();
    app.decorate('gateway', gw.gateway);
    authByRouteGroup(app);
    expect(() => app.get('/undeclared', async () => 'x')).toThrow(/declares no auth group/);
    app.get('/declared', { config: { auth: 'key' } }, async (req) => ({ kind: req.principal.kind, group: req.routeOptions.config.auth }));
    const denied = await app.inject({ url: '/declared' });
    expect(denied.statusCode).toBe(401);
    const ok = await app.inject({ url: '/declared', headers: bearer(ADMIN_KEY) });
    expect(ok.json()).toEqual({ kind: 'admin', group: 'key' });
    await app.close();
  });
});
