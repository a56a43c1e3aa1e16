import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

const STATIC_KEY = 'tg_static_cache_key_0123456789';
let gw: TestGateway | undefined;
let up: TestUpstream | undefined;
afterEach(async () => {
  await gw?.close();
  await up?.close();
  gw = undefined;
  up = undefined;
});

/** Upstream whose answer depends on the path: `/nostore`, `/maxage1`, `/vary`, else cacheable. */
async function cachingUpstream(): Promise<TestUpstream> {
  let n = 0;
  return startUpstream('origin', (req, res) => {
    n++;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.url?.startsWith('/c/nostore')) headers['cache-control'] = 'no-store';
    if (req.url?.startsWith('/c/maxage1')) headers['cache-control'] = 'max-age=1';
    if (req.url?.startsWith('/c/vary')) headers.vary = 'Accept-Language';
    res.writeHead(200, headers).end(JSON.stringify({ n, lang: req.headers['accept-language'] ?? null }));
  });
}

const yaml = (url: string, extra = '') => `
${extra}
routes:
  - name: c
    match: { path: /c }
    upstreams: ["${url}"]
    auth: none
    cache: { ttl_s: 30 }
`;

async function get(path: string, headers: Record<string, string> = {}) {
  const r = await request(`${gw!.url}${path}`, { headers });
  return { status: r.statusCode, cache: r.headers['x-tollgate-cache'], age: r.headers.age, json: (await r.body.json()) as { n: number; lang: string | null } };
}

async function cacheBehaviour() {
  // miss, then hit with the same body; the upstream saw one request.
  const a = await get('/c/items?page=1');
  const b = await get('/c/items?page=1');
  expect([a.cache, b.cache]).toEqual(['miss', 'hit']);
  expect(b.json).toEqual(a.json);
  expect(b.age).toBe('0');
  // Another query string is another entry.
  expect((await get('/c/items?page=2')).cache).toBe('miss');
  // no-store: never kept.
  const s1 = await get('/c/nostore');
  const s2 = await get('/c/nostore');
  expect([s1.cache, s2.cache]).toEqual(['miss', 'miss']);
  expect(s2.json.n).toBeGreaterThan(s1.json.n);
  // Vary: one entry per Accept-Language value.
  const fr = await get('/c/vary', { 'accept-language': 'fr' });
  const de = await get('/c/vary', { 'accept-language': 'de' });
  const fr2 = await get('/c/vary', { 'accept-language': 'fr' });
  expect([fr.cache, de.cache, fr2.cache]).toEqual(['miss', 'miss', 'hit']);
  expect([fr2.json.lang, de.json.lang]).toEqual(['fr', 'de']);
  // max-age=1 shortens the route's 30 s.
  await get('/c/maxage1');
  expect((await get('/c/maxage1')).cache).toBe('hit');
  await new Promise((r) => setTimeout(r, 1100));
  expect((await get('/c/maxage1')).cache).toBe('miss');
  // The client asking for a fresh answer skips the lookup.
  expect((await get('/c/items?page=1', { 'cache-control': 'no-cache' })).cache).toBe('miss');
  // POST is never cached, and carries no cache header.
  const p = await request(`${gw!.url}/c/items?page=1`, { method: 'POST', body: '{}' });
  await p.body.dump();
  expect(p.headers['x-tollgate-cache']).toBeUndefined();
}

describe('proxy GET cache', () => {
  it('in memory: hit/miss, no-store, max-age, Vary, usage records marked cached', async () => {
    up = await cachingUpstream();
    gw = await startGateway(yaml(up.url));
    await cacheBehaviour();
    await until(() => gw!.records.length >= 13);
    const hits = gw.records.filter((r) => r.cached);
    expect(hits.length).toBe(3);
    expect(hits[0]).toMatchObject({ kind: 'proxy', route: 'c', status: 200, attempts: 0 });
    expect(hits[0]!.bytesOut).toBeGreaterThan(0);
  });

  let redis: TestRedis | undefined;
  afterAll(() => redis?.stop());

  it('in Redis when configured: a second gateway instance hits what the first stored', async () => {
    redis = await startRedis();
    up = await cachingUpstream();
    const extra = `redis: { url: "${redis.url}" }`;
    gw = await startGateway(yaml(up.url, extra));
    const other = await startGateway(yaml(up.url, extra));
    try {
      const a = await get('/c/shared');
      const r = await request(`${other.url}/c/shared`);
      expect([a.cache, r.headers['x-tollgate-cache']]).toEqual(['miss', 'hit']);
      expect(await r.body.json()).toEqual(a.json);
      expect(up.seen).toHaveLength(1);
      await cacheBehaviour();
    } finally {
      await other.close();
    }
  });
});

describe('proxy GET cache is per team unless the route says shared', () => {
  let redis: TestRedis | undefined;
  let inst: Instance | undefined;
  let tmp: ReturnType<typeof tempDir> | undefined;
  afterEach(async () => {
    await inst?.close(0);
    tmp?.remove();
    inst = tmp = undefined;
  });
  afterAll(() => redis?.stop());

  const routes = (url: string) => `
auth:
  keys: [{ key: "${STATIC_KEY}", name: ops }]
routes:
  - name: per-team
    match: { path: /t }
    upstreams: ["${url}"]
    cache: { ttl_s: 30 }
  - name: public
    match: { path: /pub }
    upstreams: ["${url}"]
    cache: { ttl_s: 30, shared: true }
`;

  async function teamsAndKeys() {
    const keyOf = async (name: string) => {
      const team = await adminCall(inst!.url, 'POST', '/admin/teams', { name });
      return (await adminCall(inst!.url, 'POST', '/admin/keys', { team_id: team.json.id, name: `${name}-key` })).json.key as string;
    };
    return { a: await keyOf('alpha'), b: await keyOf('beta') };
  }

  const as = async (key: string, path: string) => {
    const r = await request(`${inst!.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect(r.statusCode).toBe(200);
    return { cache: r.headers['x-tollgate-cache'], body: (await r.body.json()) as { n: number } };
  };

  async function perTeamBehaviour(up: TestUpstream) {
    const { a, b } = await teamsAndKeys();
    // Team A fills the cache, and hits its own entry.
    const a1 = await as(a, '/t/account');
    const a2 = await as(a, '/t/account');
    expect([a1.cache, a2.cache]).toEqual(['miss', 'hit']);
    expect(a2.body).toEqual(a1.body);
    // Team B asks the same URL: never team A's cached body, the upstream is asked again.
    const b1 = await as(b, '/t/account');
    expect(b1.cache).toBe('miss');
    expect(b1.body.n).not.toBe(a1.body.n);
    expect(up.seen.filter((s) => s.url === '/t/account')).toHaveLength(2);
    // …and then B hits B's entry, A still A's.
    expect(await as(b, '/t/account')).toEqual({ cache: 'hit', body: b1.body });
    expect(await as(a, '/t/account')).toEqual({ cache: 'hit', body: a1.body });
    // A static key without a team has entries of its own too.
    const s1 = await as(STATIC_KEY, '/t/account');
    expect(s1.cache).toBe('miss');
    expect([a1.body.n, b1.body.n]).not.toContain(s1.body.n);
    expect(up.seen.filter((s) => s.url === '/t/account')).toHaveLength(3);
    // A route with `cache: { shared: true }`: one entry for every caller.
    const p1 = await as(a, '/pub/list');
    const p2 = await as(b, '/pub/list');
    expect([p1.cache, p2.cache]).toEqual(['miss', 'hit']);
    expect(p2.body).toEqual(p1.body);
    expect(up.seen.filter((s) => s.url === '/pub/list')).toHaveLength(1);
    // The tollgate keys never reached the upstream (the reason the shared entry was a leak).
    expect(JSON.stringify(up.seen.map((s) => s.headers))).not.toMatch(/tg_/);
  }

  it('in memory: team B never receives team A’s cached body', async () => {
    up = await cachingUpstream();
    tmp = tempDir();
    inst = await startInstance(routes(up.url), { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
    await perTeamBehaviour(up);
  });

  it('in Redis: team B never receives team A’s cached body', async () => {
    redis = await startRedis();
    up = await cachingUpstream();
    tmp = tempDir();
    inst = await startInstance(routes(up.url), { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db`, TOLLGATE_REDIS_URL: redis.url });
    await perTeamBehaviour(up);
  });
});
