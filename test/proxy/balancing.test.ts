import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

let gw: TestGateway | undefined;
let ups: TestUpstream[] = [];
afterEach(async () => {
  await gw?.close();
  await Promise.all(ups.map((u) => u.close()));
  gw = undefined;
  ups = [];
});

async function get(path: string, headers: Record<string, string> = {}) {
  const r = await request(`${gw!.url}${path}`, { headers });
  const body = await r.body.text();
  return { status: r.statusCode, headers: r.headers, body, json: body.startsWith('{') ? JSON.parse(body) : undefined };
}

describe('proxy load balancing across real loopback upstreams', () => {
  it('round-robin spreads requests evenly, strips the prefix and keeps the upstream base path', async () => {
    ups = await Promise.all(['a', 'b', 'c'].map((n) => startUpstream(n)));
    gw = await startGateway(`
routes:
  - name: users
    match: { path: /api/users }
    strip_prefix: true
    upstreams: [${ups.map((u) => `"${u.url}/base"`).join(', ')}]
    auth: none
`);
    for (let i = 0; i < 30; i++) expect((await get(`/api/users/${i}?q=1`)).status).toBe(200);
    expect(ups.map((u) => u.seen.length)).toEqual([10, 10, 10]);
    expect(ups[0]!.seen[0]!.url).toMatch(/^\/base\/\d+\?q=1$/);
  });

  it('weighted 3:1 sends three quarters to the heavy upstream, interleaved', async () => {
    ups = await Promise.all(['heavy', 'light'].map((n) => startUpstream(n)));
    gw = await startGateway(`
routes:
  - name: w
    match: { path: /w }
    upstreams: [{ url: "${ups[0]!.url}", weight: 3 }, { url: "${ups[1]!.url}", weight: 1 }]
    strategy: weighted
    auth: none
`);
    const order: string[] = [];
    for (let i = 0; i < 40; i++) order.push((await get('/w/x')).json.upstream);
    expect(ups.map((u) => u.seen.length)).toEqual([30, 10]);
    // Smooth weighting: never more than three heavy in a row.
    expect(order.join(',')).not.toContain('heavy,heavy,heavy,heavy');
  });

  it('least-connections avoids the upstream that is busy with a slow request', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const handler = async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, self: TestUpstream) => {
      if (req.url === '/lc/slow') await held;
      res.end(JSON.stringify({ upstream: self.name }));
    };
    ups = await Promise.all(['a', 'b'].map((n) => startUpstream(n, handler)));
    gw = await startGateway(`
routes:
  - name: lc
    match: { path: /lc }
    upstreams: ["${ups[0]!.url}", "${ups[1]!.url}"]
    strategy: least-connections
    auth: none
`);
    const slow = get('/lc/slow');
    while (ups[0]!.seen.length + ups[1]!.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    const busy = ups[0]!.seen.length ? 'a' : 'b';
    const served = new Set<string>();
    for (let i = 0; i < 10; i++) served.add((await get('/lc/fast')).json.upstream);
    expect([...served]).toEqual([busy === 'a' ? 'b' : 'a']);
    release();
    expect((await slow).json.upstream).toBe(busy);
  });
});
