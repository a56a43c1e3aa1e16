/**
 * Issue #10 item 7: on a REST-proxy route with `auth: none`, a tollgate key the client sent
 * anyway (Authorization: Bearer tg_…/a configured key/the admin key, or x-api-key) was forwarded
 * to the upstream. It is stripped; the upstream's own credentials in those headers are not.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../helpers/gateway.js';
import { assertNoSecretRun } from '../helpers/secrets.js';
import { SECRETS, echoHeaders, secretValues, startSecretsFixture, type SecretsFixture } from './fixture.js';

let f: SecretsFixture;

beforeAll(async () => {
  f = await startSecretsFixture();
  // The upstream answers with the headers it received (what an echo service or a debug page does).
  f.answer((req) => ({ status: 200, json: { received: JSON.parse(echoHeaders(req)) } }));
});
afterAll(async () => {
  await f?.close();
});

const TEAM_KEY = 'tg_Zq8wX2nL5vR7tK9mB4cJ6hF1dS3a';

async function proxied(headers: Record<string, string>): Promise<{ status: number; text: string; sent: Record<string, unknown> }> {
  const before = f.upstream.requests.length;
  const res = await fetch(`${f.gw.url}/open/items`, { headers });
  const text = await res.text();
  expect(f.upstream.requests.length).toBe(before + 1);
  return { status: res.status, text, sent: f.upstream.requests[before]!.headers };
}

describe('auth: none proxy routes', () => {
  it.each([
    ['a team key as Bearer', { authorization: `Bearer ${TEAM_KEY}` }],
    ['a configured key as Bearer', { authorization: `Bearer ${SECRETS.STATIC_KEY}` }],
    ['the admin key as Bearer', { authorization: `bearer ${SECRETS.TOLLGATE_ADMIN_KEY}` }],
    ['a team key as x-api-key', { 'x-api-key': TEAM_KEY }],
    ['a configured key as x-api-key', { 'x-api-key': SECRETS.STATIC_KEY }],
  ])('%s is not forwarded upstream', async (_what, headers) => {
    const { status, text, sent } = await proxied(headers);
    expect(status).toBe(200);
    expect(sent.authorization).toBeUndefined();
    expect(sent['x-api-key']).toBeUndefined();
    // The route's own upstream credential is still added.
    expect(sent['x-upstream-token']).toBe(SECRETS.ROUTE_TOKEN);
    assertNoSecretRun(text, [TEAM_KEY, SECRETS.STATIC_KEY, SECRETS.TOLLGATE_ADMIN_KEY], 'proxied response');
  });

  it('both headers at once: both tollgate keys are stripped', async () => {
    const { sent } = await proxied({ authorization: `Bearer ${SECRETS.STATIC_KEY}`, 'x-api-key': TEAM_KEY });
    expect(sent.authorization).toBeUndefined();
    expect(sent['x-api-key']).toBeUndefined();
  });

  it('the upstream’s own credentials in the same headers pass through untouched', async () => {
    const { sent } = await proxied({ authorization: 'Bearer upstream-own-token-123', 'x-api-key': 'upstream-api-key-456' });
    expect(sent.authorization).toBe('Bearer upstream-own-token-123');
    expect(sent['x-api-key']).toBe('upstream-api-key-456');
    const basic = await proxied({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': TEAM_KEY });
    expect(basic.sent.authorization).toBe('Basic dXNlcjpwYXNz');
    expect(basic.sent['x-api-key']).toBeUndefined();
  });

  it('no captured log line holds any part of a configured secret', () => {
    assertNoSecretRun(f.logs.text(), secretValues, 'log');
  });
});

describe('auth: none WebSocket upgrades', () => {
  it('the tollgate key is stripped from the upgrade request; the upstream’s own header stays', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const upstream = createServer((_req, res) => res.end());
    upstream.on('upgrade', (req, socket) => {
      seen.push(req.headers);
      socket.end('HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\r\n');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    const gw = await startGateway(
      `auth: { keys: ["\${STATIC_KEY}"] }\nroutes:\n  - { match: { path: /ws }, upstreams: ["http://127.0.0.1:${port}"], auth: none }\n`,
      { STATIC_KEY: SECRETS.STATIC_KEY },
      { watchPrompts: false },
    );
    try {
      const upgrade = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest(`${gw.url}/ws/chat`, { headers: { connection: 'Upgrade', upgrade: 'websocket', ...headers } });
          req.on('upgrade', (_res, socket) => {
            socket.destroy();
            resolve(101);
          });
          req.on('response', (res) => resolve(res.statusCode ?? 0));
          req.on('error', reject);
          req.end();
        });
      expect(await upgrade({ authorization: `Bearer ${SECRETS.STATIC_KEY}`, 'x-api-key': TEAM_KEY })).toBe(101);
      expect(seen[0]!.authorization).toBeUndefined();
      expect(seen[0]!['x-api-key']).toBeUndefined();
      expect(await upgrade({ authorization: 'Bearer upstream-own-token-123' })).toBe(101);
      expect(seen[1]!.authorization).toBe('Bearer upstream-own-token-123');
    } finally {
      await gw.close();
      await new Promise((r) => upstream.close(r));
    }
  });
});
