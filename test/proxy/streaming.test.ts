import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startUpstream, type TestUpstream } from './upstreams.js';

const MB = 1024 * 1024;
const SIZE = 50 * MB;
const CHUNK = 64 * 1024;

let child: ChildProcess;
let gwUrl = '';
let sink: TestUpstream;
let source: TestUpstream;
let sse: TestUpstream;
let ws: TestUpstream;
let releaseSse: (() => void)[] = [];

/** Deterministic bytes, generated on the fly (nothing held in memory on either end). */
function* chunks(total: number) {
  const buf = Buffer.alloc(CHUNK);
  for (let sent = 0, i = 0; sent < total; sent += CHUNK, i++) {
    buf.fill(i % 251);
    yield Buffer.from(buf.subarray(0, Math.min(CHUNK, total - sent)));
  }
}
const expectedHash = (() => {
  const h = createHash('sha256');
  for (const c of chunks(SIZE)) h.update(c);
  return h.digest('hex');
})();

/**
 * "Streams, does not buffer" measured deterministically: the far side sees the first bytes while
 * the near side has produced only part of the body. A buffering gateway forwards nothing before
 * the whole 50 MB arrived. (RSS sampling was flaky: V8 frees Buffers' external memory lazily.)
 */
let uploadProduced = 0;
let producedWhenSinkSawFirstByte = -1;
let sourceWritten = 0;
beforeAll(async () => {
  sink = await startUpstream('sink', async (req, res) => {
    const h = createHash('sha256');
    let n = 0;
    for await (const c of req) {
      if (n === 0) producedWhenSinkSawFirstByte = uploadProduced;
      h.update(c as Buffer);
      n += (c as Buffer).length;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: n, sha256: h.digest('hex'), te: req.headers['transfer-encoding'] ?? null }));
  });
  source = await startUpstream('source', async (req, res) => {
    const size = SIZE;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
    sourceWritten = 0;
    for (const c of chunks(size)) {
      sourceWritten += c.length;
      if (!res.write(c)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  });
  sse = await startUpstream('sse', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let i = 1; i <= 3; i++) {
      res.write(`data: {"n":${i}}\n\n`);
      // The next event is written only after the client saw this one through the gateway.
      if (i < 3) await new Promise<void>((r) => releaseSse.push(r));
    }
    res.end('data: [DONE]\n\n');
  });
  // A raw upgrade echo: 101, then every byte sent back upper-cased.
  ws = await startUpstream('ws');
  ws.server.on('upgrade', (req, socket) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: ${req.headers.upgrade}\r\nconnection: Upgrade\r\nx-saw-auth: ${req.headers.authorization ?? 'none'}\r\n\r\n`);
    socket.on('data', (c: Buffer) => socket.write(c.toString().toUpperCase()));
  });
  const yaml = `
auth:
  keys: ["tg_stream_key_0123456789"]
routes:
  - { name: up, match: { path: /up }, upstreams: ["${sink.url}"], auth: none }
  - { name: down, match: { path: /down }, upstreams: ["${source.url}"], auth: none }
  - { name: sse, match: { path: /sse }, upstreams: ["${sse.url}"], auth: none }
  - { name: ws, match: { path: /ws }, upstreams: ["${ws.url}"], auth: required }
`;
  const script = fileURLToPath(new URL('./gateway-child.ts', import.meta.url));
  child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, TOLLGATE_TEST_YAML: yaml }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`gateway child exited (${code})`)));
  });
  ({ url: gwUrl } = JSON.parse(line) as { url: string });
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await Promise.all([sink, source, sse, ws].map((u) => u?.close()));
});

describe('proxy streams bodies both ways', () => {
  it('a 50 MB chunked upload streams through: the upstream gets bytes before the client has sent them all (no body limit on proxy routes)', async () => {
    uploadProduced = 0;
    producedWhenSinkSawFirstByte = -1;
    function* counted() {
      for (const c of chunks(SIZE)) {
        uploadProduced += c.length;
        yield c;
      }
    }
    const r = await request(`${gwUrl}/up/file`, { method: 'POST', body: Readable.from(counted()), headers: { 'content-type': 'application/octet-stream' } });
    const json = (await r.body.json()) as { bytes: number; sha256: string; te: string | null };
    expect(r.statusCode).toBe(200);
    expect(json).toEqual({ bytes: SIZE, sha256: expectedHash, te: 'chunked' });
    // Buffering the body would show the sink its first byte only after all 50 MB were produced.
    expect(producedWhenSinkSawFirstByte).toBeGreaterThan(0);
    expect(producedWhenSinkSawFirstByte).toBeLessThan(SIZE / 2);
  });

  it('a 50 MB download streams through byte for byte: the client gets bytes before the upstream has written them all', async () => {
    const r = await request(`${gwUrl}/down/file`);
    const h = createHash('sha256');
    let n = 0;
    let writtenAtFirstByte = -1;
    for await (const c of r.body) {
      if (n === 0) writtenAtFirstByte = sourceWritten;
      h.update(c as Buffer);
      n += (c as Buffer).length;
    }
    expect({ status: r.statusCode, length: r.headers['content-length'], n, sha: h.digest('hex') }).toEqual({ status: 200, length: String(SIZE), n: SIZE, sha: expectedHash });
    expect(writtenAtFirstByte).toBeGreaterThan(0);
    expect(writtenAtFirstByte).toBeLessThan(SIZE / 2);
  });

  it('SSE passes through event by event: each one reaches the client before the upstream writes the next', async () => {
    const r = await request(`${gwUrl}/sse/stream`, { headers: { accept: 'text/event-stream' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/event-stream');
    const seen: string[] = [];
    let text = '';
    for await (const c of r.body) {
      text += (c as Buffer).toString();
      let i: number;
      while ((i = text.indexOf('\n\n')) !== -1) {
        seen.push(text.slice(0, i));
        text = text.slice(i + 2);
        // Deadlocks (test timeout) if the gateway held the event back.
        releaseSse.shift()?.();
      }
    }
    expect(seen).toEqual(['data: {"n":1}', 'data: {"n":2}', 'data: {"n":3}', 'data: [DONE]']);
  });

  it('a WebSocket upgrade is passed through (key checked and stripped), bytes flow both ways', async () => {
    const refused = await new Promise<number>((resolve) => {
      const req = httpRequest(`${gwUrl}/ws/chat`, { headers: { connection: 'Upgrade', upgrade: 'websocket' } });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => resolve(101));
      req.end();
    });
    expect(refused).toBe(401);
    const { port } = new URL(gwUrl);
    const sock = connect(Number(port), '127.0.0.1');
    sock.write('GET /ws/chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nAuthorization: Bearer tg_stream_key_0123456789\r\n\r\n');
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\r\n\r\n') && !got.includes('PING')) sock.write('ping');
    });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no echo: ${got}`)), 3000);
      sock.on('data', () => got.includes('PING') && (clearTimeout(t), resolve()));
    });
    sock.destroy();
    expect(got).toMatch(/^HTTP\/1\.1 101 /);
    expect(got.toLowerCase()).toContain('x-saw-auth: none');
  });
});
