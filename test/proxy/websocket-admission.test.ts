/**
 * WebSocket upgrades through the proxy run the same admission and settlement as proxied HTTP
 * calls: a key's limits (rpm, max_concurrency) refuse an upgrade with the HTTP proxy's 429 and
 * its rate-limit headers, an open tunnel holds a concurrency slot until it closes, and every
 * upgrade — refused or tunnelled — leaves one usage record.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../src/metering/usage-record.js';
import { until } from '../helpers/gateway.js';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

let inst: Instance;
let ws: TestUpstream;
let tmp: ReturnType<typeof tempDir>;
const records: UsageRecord[] = [];
let concKey: string;
let rpmKey: string;
/** Upgrades the upstream was asked for. */
let upgrades = 0;

beforeAll(async () => {
  // A raw upgrade echo: 101, then every byte sent back upper-cased.
  ws = await startUpstream('ws');
  ws.server.on('upgrade', (req, socket) => {
    upgrades++;
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: ${req.headers.upgrade}\r\nconnection: Upgrade\r\n\r\n`);
    socket.on('data', (c: Buffer) => socket.write(c.toString().toUpperCase()));
  });
  tmp = tempDir();
  inst = await startInstance(`routes:\n  - { name: ws, match: { path: /ws }, upstreams: ["${ws.url}"] }\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/t.db` }, { sinks: [{ record: (r) => records.push(r) }] });
  const team = await adminCall(inst.url, 'POST', '/admin/teams', { name: 'rt' });
  concKey = (await adminCall(inst.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'one-at-a-time', limits: { max_concurrency: 1 } })).json.key;
  rpmKey = (await adminCall(inst.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'two-a-minute', limits: { rpm: 2 } })).json.key;
});
afterAll(async () => {
  await inst?.close(0);
  await ws?.close();
  tmp?.remove();
});

/** Opens an upgrade on a raw socket; resolves with the socket and the response head (and body) once it is in. */
function upgrade(key: string): Promise<{ sock: Socket; head: string }> {
  const sock = connect(Number(new URL(inst.url).port), '127.0.0.1');
  sock.write(`GET /ws/chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nAuthorization: Bearer ${key}\r\n\r\n`);
  return new Promise((resolve, reject) => {
    let got = '';
    const t = setTimeout(() => reject(new Error(`no answer: ${got}`)), 3000);
    sock.on('data', (d: Buffer) => {
      got += d.toString();
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /content-length: (\d+)/i.exec(got.slice(0, end))?.[1];
      if (length !== undefined && got.length < end + 4 + Number(length)) return;
      clearTimeout(t);
      sock.removeAllListeners('data');
      resolve({ sock, head: got });
    });
  });
}

const closed = (sock: Socket) => new Promise<void>((resolve) => (sock.destroyed ? resolve() : sock.once('close', () => resolve())));

describe('WebSocket upgrades: admission and settlement', () => {
  it('max_concurrency: an open tunnel holds the slot (a second upgrade is refused with a 429), closing it frees the slot and records it', async () => {
    const first = await upgrade(concKey);
    expect(first.head).toMatch(/^HTTP\/1\.1 101 /);
    first.sock.write('ping');
    await new Promise<void>((resolve) => first.sock.once('data', (d: Buffer) => (expect(d.toString()).toBe('PING'), resolve())));

    const busy = await upgrade(concKey);
    expect(busy.head).toMatch(/^HTTP\/1\.1 429 /);
    expect(busy.head).toMatch(/content-type: application\/json; charset=utf-8/i);
    expect(busy.head).toMatch(/x-request-id: req_/i);
    expect(JSON.parse(busy.head.slice(busy.head.indexOf('\r\n\r\n') + 4)).error).toMatchObject({ code: 'rate_limit_exceeded', message: expect.stringMatching(/max_concurrency/) });
    await closed(busy.sock);
    expect(upgrades).toBe(1); // the refused upgrade never reached the upstream
    await until(() => records.some((r) => r.status === 429));
    expect(records.find((r) => r.status === 429)).toMatchObject({ kind: 'proxy', route: 'ws', attempts: 0 });

    first.sock.destroy();
    await until(() => records.some((r) => r.status === 101));
    expect(records.find((r) => r.status === 101)).toMatchObject({ kind: 'proxy', route: 'ws', attempts: 1, bytesIn: 4, bytesOut: 4 });
    // The slot is free again.
    const again = await upgrade(concKey);
    expect(again.head).toMatch(/^HTTP\/1\.1 101 /);
    again.sock.destroy();
    await until(() => records.filter((r) => r.status === 101).length === 2);
  });

  it('rpm: the third upgrade in a minute gets the HTTP proxy’s 429 with its rate-limit headers', async () => {
    for (let i = 0; i < 2; i++) {
      const ok = await upgrade(rpmKey);
      expect(ok.head).toMatch(/^HTTP\/1\.1 101 /);
      ok.sock.destroy();
    }
    const refused = await upgrade(rpmKey);
    expect(refused.head).toMatch(/^HTTP\/1\.1 429 /);
    expect(refused.head).toMatch(/retry-after: \d+/i);
    expect(refused.head).toMatch(/x-ratelimit-limit-requests: 2/i);
    expect(refused.head).toMatch(/x-ratelimit-remaining-requests: 0/i);
    refused.sock.destroy();
    // The same refusal as a proxied HTTP call gets, from the same writer.
    const http = await fetch(`${inst.url}/ws/chat`, { headers: { authorization: `Bearer ${rpmKey}` } });
    expect(http.status).toBe(429);
    expect(http.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(http.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(http.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(((await http.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });
});
