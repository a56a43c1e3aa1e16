import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

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
