import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

let gw: TestGateway | undefined;
let ups: TestUpstream[] = [];
afterEach(async () => {
  await gw?.close();
  await Promise.all(ups.map((u) => u.close()));
  gw = undefined;
  ups = [];
});

async function call(method: string, path: string, body?: string) {
  const r = await request(`${gw!.url}${path}`, { method: method as 'GET', ...(body !== undefined && { body, headers: { 'content-type': 'application/json' } }) });
  const text = await r.body.text();
  return { status: r.statusCode, headers: r.headers, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

describe('proxy failover, ejection, retries and timeouts', () => {
  it('a killed upstream is ejected, the others serve every GET without a client-visible error, and it is readmitted once healthy', async () => {
    ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
    gw = await startGateway(`
routes:
  - name: pool
    match: { path: /pool }
    upstreams: [${ups.map((u) => `"${u.url}"`).join(', ')}]
    auth: none
    retries: { max: 2, backoff_ms: 5 }
    ejection: { consecutive_failures: 2, eject_ms: 60000 }
    health_check: { path: /health, interval_ms: 100, healthy_threshold: 2, unhealthy_threshold: 2 }
`);
    for (let i = 0; i < 6; i++) expect((await call('GET', '/pool/x')).status).toBe(200);
    await ups[1]!.kill();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call('GET', '/pool/x')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Ejected: the last requests went straight to a live upstream (one attempt each).
    expect(gw.records.slice(-10).every((r) => r.attempts === 1 && r.status === 200)).toBe(true);
    const bBefore = ups[1]!.seen.filter((s) => s.url === '/pool/x').length;
    // Readmitted when healthy: revived on the same port, two passing checks bring it back.
    const checksBefore = ups[1]!.seen.filter((s) => s.url === '/health').length;
    await ups[1]!.revive();
    await until(() => ups[1]!.seen.filter((s) => s.url === '/health').length >= checksBefore + 2, 3000);
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 9; i++) await call('GET', '/pool/x');
    expect(ups[1]!.seen.filter((s) => s.url === '/pool/x').length - bBefore).toBeGreaterThanOrEqual(2);
  });

  it('passive ejection: after one connection failure the dead upstream gets no more requests (no health checks configured)', async () => {
    ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
    gw = await startGateway(`
routes:
  - name: pool
    match: { path: /pool }
    upstreams: [${ups.map((u) => `"${u.url}"`).join(', ')}]
    auth: none
    ejection: { consecutive_failures: 1, eject_ms: 60000 }
`);
    await ups[1]!.kill();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call('GET', '/pool/x')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await until(() => gw!.records.length === 30);
    // Exactly one request met the dead upstream (and was retried on a live one); every other went straight through.
    expect(gw.records.map((r) => r.attempts).sort()).toEqual([...Array(29).fill(1), 2]);
    expect(ups[0]!.seen.length + ups[2]!.seen.length).toBe(30);
  });

  it('GET answered 503 is retried on another upstream; POST answered 503 is not retried', async () => {
    const flaky = await startUpstream('flaky', (req, res) => {
      req.resume();
      res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
    });
    const ok = await startUpstream('ok');
    ups = [flaky, ok];
    gw = await startGateway(`
routes:
  - name: r
    match: { path: /r }
    upstreams: ["${flaky.url}"]
    auth: none
    retries: { max: 2, backoff_ms: 1 }
  - name: r2
    match: { path: /r2 }
    upstreams: ["${flaky.url}", "${ok.url}"]
    auth: none
    retries: { max: 2, backoff_ms: 1 }
`);
    // POST: one attempt, the upstream's 503 passed through as it is.
    const post = await call('POST', '/r/items', '{"a":1}');
    expect(post.status).toBe(503);
    expect(post.text).toBe('busy');
    expect(flaky.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
    await until(() => gw!.records.length === 1);
    expect(gw.records[0]).toMatchObject({ kind: 'proxy', route: 'r', status: 503, attempts: 1 });
    // GET on the same single-upstream route: retried (1 + 2 attempts), then the 503 is passed through.
    expect((await call('GET', '/r/items')).status).toBe(503);
    expect(flaky.seen.filter((s) => s.method === 'GET')).toHaveLength(3);
    // GET with a healthy sibling: the client never sees the 503.
    for (let i = 0; i < 4; i++) {
      const g = await call('GET', '/r2/items');
      expect(g.status).toBe(200);
      expect(g.json.upstream).toBe('ok');
    }
    // A POST on the two-upstream route is still sent once, whichever upstream it lands on.
    const before = flaky.seen.length + ok.seen.length;
    await call('POST', '/r2/items', '{}');
    expect(flaky.seen.length + ok.seen.length - before).toBe(1);
  });

  it('a POST to a dead upstream is not retried elsewhere (502 in the JSON envelope)', async () => {
    const dead = await startUpstream('dead');
    const ok = await startUpstream('ok');
    ups = [dead, ok];
    await dead.kill();
    gw = await startGateway(`
routes:
  - name: p
    match: { path: /p }
    upstreams: ["${dead.url}", "${ok.url}"]
    auth: none
`);
    const results = [await call('POST', '/p', '{}'), await call('POST', '/p', '{}')];
    const failed = results.filter((r) => r.status !== 200);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.status).toBe(502);
    expect(failed[0]!.json.error).toMatchObject({ type: 'api_error', code: 'upstream_unreachable', param: null });
    expect(failed[0]!.json.error.message).toContain('route p');
    expect(ok.seen).toHaveLength(1);
  });

  it('an upstream slower than timeout_ms gives 504 in the JSON envelope, not retried', async () => {
    const slow = await startUpstream('slow', async (req, res) => {
      await new Promise((r) => setTimeout(r, 1500));
      res.end('late');
    });
    ups = [slow];
    gw = await startGateway(`
routes:
  - name: slow
    match: { path: /slow }
    upstreams: ["${slow.url}"]
    auth: none
    timeout_ms: 200
`);
    const t = performance.now();
    const r = await call('GET', '/slow');
    expect(performance.now() - t).toBeLessThan(1000);
    expect(r.status).toBe(504);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.headers['x-request-id']).toMatch(/^req_/);
    expect(r.json).toEqual({ error: { message: expect.stringContaining('200 ms'), type: 'api_error', param: null, code: 'upstream_timeout' } });
    expect(slow.seen).toHaveLength(1);
    await until(() => gw!.records.length === 1);
    expect(gw.records[0]).toMatchObject({ kind: 'proxy', route: 'slow', status: 504 });
  });
});
