import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

const KEY = 'tg_static_proxy_key_0123456789';
let gw: TestGateway | undefined;
let inst: Instance | undefined;
let up: TestUpstream | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await gw?.close();
  await inst?.close(0);
  await up?.close();
  tmp?.remove();
  gw = inst = up = tmp = undefined;
});

describe('proxy auth, limits and usage records', () => {
  it('auth required: no key or a wrong key is refused in the envelope; the key is stripped before forwarding; x-forwarded-* and header rewrites applied', async () => {
    up = await startUpstream('echo', (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', server: 'secret-build-1.2', 'x-upstream-only': 'drop-me' }).end('{"ok":true}');
    });
    gw = await startGateway(`
auth:
  keys: ["${KEY}"]
routes:
  - name: priv
    match: { path: /priv, methods: [GET, PUT] }
    upstreams: ["${up.url}"]
    request_headers: { set: { x-team-tier: gold }, remove: [x-debug] }
    response_headers: { set: { x-served-by: tollgate }, remove: [server, x-upstream-only] }
  - name: open
    match: { path: /open }
    upstreams: ["${up.url}"]
    auth: none
`);
    const none = await request(`${gw.url}/priv/a`);
    expect(none.statusCode).toBe(401);
    expect(((await none.body.json()) as any).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    const wrong = await request(`${gw.url}/priv/a`, { headers: { authorization: 'Bearer tg_wrong_key_000000000000' } });
    expect(wrong.statusCode).toBe(401);
    expect(await wrong.body.text()).not.toContain('tg_wrong_key');
    expect(up.seen).toHaveLength(0);

    const ok = await request(`${gw.url}/priv/a`, { headers: { authorization: `Bearer ${KEY}`, 'x-debug': '1', 'x-forwarded-for': '10.0.0.9', host: 'public.example' } });
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
    expect(ok.headers).toMatchObject({ 'x-served-by': 'tollgate', 'x-request-id': expect.stringMatching(/^req_/) });
    expect(ok.headers.server).toBeUndefined();
    expect(ok.headers['x-upstream-only']).toBeUndefined();
    const h = up.seen[0]!.headers;
    expect(h.authorization).toBeUndefined();
    expect(JSON.stringify(h)).not.toContain(KEY);
    expect(h).toMatchObject({ host: new URL(up.url).host, 'x-forwarded-for': '10.0.0.9, 127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'public.example', 'x-team-tier': 'gold' });
    expect(h['x-debug']).toBeUndefined();
    // A method outside match.methods is refused.
    const del = await request(`${gw.url}/priv/a`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } });
    expect(del.statusCode).toBe(405);
    await del.body.dump();
    // auth: none passes without a key, and forwards the client's own Authorization untouched.
    const open = await request(`${gw.url}/open/x`, { headers: { authorization: 'Bearer upstream-token' } });
    expect(open.statusCode).toBe(200);
    await open.body.dump();
    expect(up.seen.at(-1)!.headers.authorization).toBe('Bearer upstream-token');
  });

  it('usage records: kind proxy, route, status, bytes in/out, latency, team and key', async () => {
    up = await startUpstream('echo', async (req, res) => {
      let n = 0;
      for await (const c of req) n += (c as Buffer).length;
      res.writeHead(201, { 'content-type': 'text/plain' }).end('x'.repeat(n * 2));
    });
    gw = await startGateway(`
auth:
  keys: [{ key: "${KEY}", name: ci }]
routes:
  - { name: items, match: { path: /items }, upstreams: ["${up.url}"] }
`);
    const r = await request(`${gw.url}/items/new`, { method: 'POST', body: 'y'.repeat(1000), headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' } });
    expect(r.statusCode).toBe(201);
    expect(await r.body.text()).toHaveLength(2000);
    await until(() => gw!.records.length === 1);
    expect(gw.records[0]).toMatchObject({ kind: 'proxy', route: 'items', status: 201, bytesIn: 1000, bytesOut: 2000, keyId: 'ci', attempts: 1, provider: null, model: null, costNanos: 0 });
    expect(gw.records[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(gw.records[0]!.requestId).toBe(r.headers['x-request-id']);
  });

  it('team limits apply to proxied calls: rpm and max_concurrency give 429 naming the limit; the ledger reports usage by route', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    up = await startUpstream('svc', async (req, res) => {
      req.resume();
      if (req.url === '/svc/slow') await held;
      res.end('{"ok":true}');
    });
    tmp = tempDir();
    inst = await startInstance(
      `routes:\n  - { name: svc, match: { path: /svc }, upstreams: ["${up.url}"] }\n`,
      { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/t.db` },
    );
    const team = await adminCall(inst.url, 'POST', '/admin/teams', { name: 'web', limits: { rpm: 4 } });
    expect(team.status).toBe(201);
    const key = await adminCall(inst.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'k1', limits: { max_concurrency: 1 } });
    const auth = { authorization: `Bearer ${key.json.key}` };

    // Concurrency 1: while one call is in flight, a second is refused.
    const slow = request(`${inst.url}/svc/slow`, { headers: auth });
    await until(() => up!.seen.length === 1);
    const busy = await request(`${inst.url}/svc/fast`, { headers: auth });
    expect(busy.statusCode).toBe(429);
    expect(((await busy.body.json()) as any).error.message).toMatch(/concurrency/i);
    release();
    expect((await slow).statusCode).toBe(200);
    // rpm 4: the slow call and three more fill the minute (a refused request reserves nothing).
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await request(`${inst.url}/svc/fast`, { headers: auth });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) {
        expect(r.headers['retry-after']).toBeDefined();
        expect(((await r.body.json()) as any).error).toMatchObject({ code: 'rate_limit_exceeded', message: expect.stringMatching(/rpm|requests per minute/i) });
      } else await r.body.dump();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);

    const usage = await adminCall(inst.url, 'GET', '/admin/usage?group_by=route');
    expect(usage.status).toBe(200);
    const row = (usage.json.data as any[]).find((d) => d.route === 'svc');
    expect(row?.requests).toBeGreaterThanOrEqual(3);
  });
});
