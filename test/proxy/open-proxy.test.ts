import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

let gw: TestGateway;
let users: TestUpstream;
let admin: TestUpstream;
/** Never configured anywhere: any request reaching it is an open-proxy hole. */
let evil: TestUpstream;

beforeAll(async () => {
  [users, admin, evil] = await Promise.all([startUpstream('users'), startUpstream('admin'), startUpstream('evil')]);
  gw = await startGateway(`
routes:
  - { name: users, match: { path: /api/users }, upstreams: ["${users.url}"], auth: none }
  - { name: internal, match: { path: /internal, host: internal.local }, upstreams: ["${admin.url}"], auth: none }
`);
});
afterAll(async () => {
  await gw.close();
  await Promise.all([users, admin, evil].map((u) => u.close()));
});

/** Sends a raw request line (no client-side normalisation) and returns the status code. */
function raw(target: string, host = '127.0.0.1', extra = ''): Promise<{ status: number; body: string }> {
  const { port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), '127.0.0.1', () => s.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`));
    let data = '';
    s.on('data', (d: Buffer) => (data += d.toString()));
    s.on('end', () => {
      const head = data.slice(0, data.indexOf('\r\n\r\n'));
      let body = data.slice(head.length + 4);
      if (/transfer-encoding: chunked/i.test(head)) body = dechunk(body);
      resolve({ status: Number(data.slice(9, 12)), body });
    });
    s.on('error', reject);
  });
}

function dechunk(s: string): string {
  let out = '';
  for (;;) {
    const nl = s.indexOf('\r\n');
    const n = parseInt(s.slice(0, nl), 16);
    if (!n) return out;
    out += s.slice(nl + 2, nl + 2 + n);
    s = s.slice(nl + 4 + n);
  }
}

describe('only configured upstreams are contacted', () => {
  it('absolute-form request targets are refused (no open proxying)', async () => {
    for (const target of [`${evil.url}/api/users`, `${evil.url}/`, `http://127.0.0.1:${new URL(gw.url).port}/api/users/1`, `//127.0.0.1:${evil.port}/api/users`]) {
      const r = await raw(target);
      expect([400, 404]).toContain(r.status);
      expect(JSON.parse(r.body).error).toBeDefined();
    }
    expect(evil.seen).toHaveLength(0);
    expect(users.seen).toHaveLength(0);
  });

  it('a Host header naming another server only selects among configured routes; the upstream gets its own Host', async () => {
    const r = await raw('/api/users/1', `127.0.0.1:${evil.port}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).upstream).toBe('users');
    expect(users.seen.at(-1)!.headers.host).toBe(`127.0.0.1:${users.port}`);
    expect(users.seen.at(-1)!.headers['x-forwarded-host']).toBe(`127.0.0.1:${evil.port}`);
    // The host-matched route is reachable only with its host.
    expect((await raw('/internal/x')).status).toBe(404);
    expect((await raw('/internal/x', 'internal.local:80')).status).toBe(200);
    expect(evil.seen).toHaveLength(0);
  });

  it('path traversal out of a prefix is refused, in every spelling', async () => {
    const before = users.seen.length + admin.seen.length;
    for (const target of [
      '/api/users/../../admin',
      '/api/users/..',
      '/api/users/./1',
      '/api/users/%2e%2e/%2e%2e/admin',
      '/api/users/%2E%2e/admin',
      '/api/users/..%2f..%2fadmin',
      '/api/users/%252e%252e/admin',
      '/api/users/..\\..\\admin',
      '/api/users/a%00b',
    ]) {
      const r = await raw(target);
      expect(r.status, target).toBe(400);
      expect(JSON.parse(r.body).error).toMatchObject({ type: 'invalid_request_error', code: 'path_traversal_refused' });
    }
    expect(users.seen.length + admin.seen.length).toBe(before);
    // Dots inside a segment are ordinary names.
    expect((await raw('/api/users/john.doe..x')).status).toBe(200);
    // A prefix matches whole segments only.
    expect((await raw('/api/usersX')).status).toBe(404);
  });
});

describe('upgrade offers other than WebSocket', () => {
  it('an optional Upgrade: h2c offer is ignored and the request served as HTTP/1.1 (the proxy listens for upgrades)', async () => {
    const h = await raw('/healthz', '127.0.0.1', 'Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n');
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body)).toEqual({ status: 'ok' });
    const p = await raw('/api/users/7', '127.0.0.1', 'Upgrade: h2c\r\n');
    expect(p.status).toBe(200);
    expect(JSON.parse(p.body).upstream).toBe('users');
  });
});

describe('routes: config', () => {
  const build = (yaml: string) => buildSnapshot(parseConfigText(yaml, {}), {});
  it('unknown keys and bad values are errors naming their path', () => {
    expect(() => build('routes:\n  - { match: { path: /a, prefix: x }, upstreams: ["http://127.0.0.1:1"], retry: 3 }\n')).toThrow(/routes\.0\.match\.prefix: is not a known setting/);
    expect(() => build('routes:\n  - { match: { path: /a }, upstreams: ["http://127.0.0.1:1"], retry: 3 }\n')).toThrow(/routes\.0\.retry: is not a known setting/);
    expect(() => build('routes:\n  - { match: { path: /a }, upstreams: ["ftp://x"] }\n')).toThrow(/routes\.0\.upstreams\.0/);
    expect(() => build('routes:\n  - { match: { path: /a }, upstreams: [], strategy: random }\n')).toThrow(/routes\.0\.upstreams[\s\S]*routes\.0\.strategy/);
  });
  it('routes may not shadow the gateway itself, nor share a name', () => {
    expect(() => build('routes:\n  - { match: { path: /v1/chat }, upstreams: ["http://127.0.0.1:1"] }\n')).toThrow(/routes\.0\.match\.path: \/v1 belongs to the gateway/);
    expect(() => build('routes:\n  - { name: a, match: { path: /x }, upstreams: ["http://127.0.0.1:1"] }\n  - { name: a, match: { path: /y }, upstreams: ["http://127.0.0.1:1"] }\n')).toThrow(/routes\.1\.name/);
  });
  it('compiles into a route table, longest prefix first, with defaults', () => {
    const s = build('routes:\n  - { match: { path: /api/ }, upstreams: ["http://127.0.0.1:1/base/"] }\n  - { name: deep, match: { path: /api/users, methods: [get] }, upstreams: ["http://127.0.0.1:2"] }\n'.replace('[get]', '[GET]'));
    expect(s.routes.routes.map((r) => [r.name, r.prefix])).toEqual([['deep', '/api/users'], ['route-0', '/api']]);
    expect(s.routes.routes[1]).toMatchObject({ authRequired: true, strategy: 'round-robin', stripPrefix: false, retries: { max: 2, nonIdempotent: false } });
    expect(s.routes.routes[1]!.upstreams[0]).toMatchObject({ origin: 'http://127.0.0.1:1', basePath: '/base' });
    void Promise.all(s.routes.routes.map((r) => r.dispatcher.close()));
  });
});
