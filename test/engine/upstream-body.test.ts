/**
 * The transport's upstream body (src/engine/upstream-body.ts on undici's dispatch handler,
 * src/engine/transport.ts) against a real HTTP server: whole reads, chunked reads with
 * backpressure, a reader that stops early, a body cut by the upstream, repeated headers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallSignal } from '../../providers/adapter.js';
import { readText } from '../../src/engine/dispatch.js';
import type { ProviderRuntime } from '../../src/engine/runtime.js';
import { createDispatcher, send } from '../../src/engine/transport.js';

let server: Server | undefined;
afterEach(() => server?.close());

async function upstream(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1/x`;
}

function provider(timeoutMs = 5_000): ProviderRuntime {
  return { config: { name: 'p', type: 'openai', baseUrl: '', headers: {}, options: {} }, adapter: {}, dispatcher: createDispatcher(timeoutMs) } as unknown as ProviderRuntime;
}

const never: CallSignal = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} };

describe('upstream body', () => {
  it('reads a body whole, with the status, and repeated headers as an array', async () => {
    const url = await upstream((req, res) => {
      let got = '';
      req.on('data', (c) => (got += c));
      req.on('end', () => {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.setHeader('x-echo', got);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.write('{"a":');
        setTimeout(() => res.end('"é"}'), 5);
      });
    });
    const r = await send(provider(), { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"q":1}' }, never);
    expect(r.status).toBe(201);
    expect(r.headers['x-echo']).toBe('{"q":1}');
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(await readText(r.body)).toBe('{"a":"é"}');
  });

  it('reads chunk by chunk; a slow reader pauses the socket instead of buffering the whole upstream', async () => {
    let written = 0;
    let finished = false;
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const url = await upstream((_req, res) => {
      res.writeHead(200);
      const pump = () => {
        while (written < 8 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        finished = true;
        res.end();
      };
      pump();
    });
    const r = await send(provider(), { method: 'GET', url, headers: {} }, never);
    let read = 0;
    const it = r.body[Symbol.asyncIterator]();
    // Read 64 KB, then stall: the upstream must stop well short of its 8 MB.
    while (read < 64 * 1024) read += (await it.next()).value!.byteLength;
    await new Promise((r) => setTimeout(r, 300));
    expect(finished).toBe(false);
    expect(written).toBeLessThan(4 * 1024 * 1024);
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      read += n.value.byteLength;
    }
    expect(read).toBe(8 * 1024 * 1024);
  });

  it('a reader that stops early aborts the upstream request', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((r) => (closed = r));
    const url = await upstream((_req, res) => {
      res.writeHead(200);
      res.write('first');
      res.on('close', closed); // never ended by the upstream: only the abort closes it
    });
    const r = await send(provider(), { method: 'GET', url, headers: {} }, never);
    for await (const c of r.body) {
      expect(Buffer.from(c).toString()).toBe('first');
      break;
    }
    await upstreamClosed;
  });

  it('a body cut by the upstream fails its reader; a silent upstream times out', async () => {
    const url = await upstream((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      if (req.url!.includes('cut')) setTimeout(() => res.socket!.destroy(), 10);
    });
    const cut = await send(provider(), { method: 'GET', url: url.replace('/x', '/cut'), headers: {} }, never);
    await expect(readText(cut.body)).rejects.toThrow();
    const silent = await send(provider(300), { method: 'GET', url, headers: {} }, never);
    await expect(readText(silent.body)).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('a client abort ends the request before and after the status line', async () => {
    let listeners: Array<() => void> = [];
    const signal = { aborted: false, reason: undefined as unknown, addEventListener: (_: 'abort', f: () => void) => listeners.push(f), removeEventListener: (_: 'abort', f: () => void) => (listeners = listeners.filter((x) => x !== f)) };
    const abort = () => {
      signal.aborted = true;
      signal.reason = new DOMException('aborted', 'AbortError');
      for (const f of listeners) f();
    };
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((r) => (closed = r));
    const url = await upstream((_req, res) => {
      res.on('close', closed);
    });
    const before = send(provider(), { method: 'GET', url, headers: {} }, signal);
    setTimeout(abort, 50);
    await expect(before).rejects.toMatchObject({ status: 499 });
    await upstreamClosed;
    expect(listeners).toEqual([]);

    // After the status line: the body's reader fails, the upstream connection is closed.
    signal.aborted = false;
    let closedAgain!: () => void;
    const closedAfter = new Promise<void>((r) => (closedAgain = r));
    server!.removeAllListeners('request');
    server!.on('request', (_req, res: ServerResponse) => {
      res.on('close', closedAgain);
      res.writeHead(200).write('x');
    });
    const after = await send(provider(), { method: 'GET', url: url.replace('/x', '/headers'), headers: {} }, signal);
    expect(after.status).toBe(200);
    const reading = readText(after.body);
    abort();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    await closedAfter;
    expect(listeners).toEqual([]);
  });

  it('a 1xx before the answer is not the answer; a byte-order mark is not text; a body has one reader', async () => {
    const url = await upstream((req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      if (req.url!.includes('bom')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]));
      } else {
        res.writeHead(429, { 'retry-after': '3' });
        res.end('{"error":{"message":"slow down"}}');
      }
    });
    const limited = await send(provider(), { method: 'GET', url, headers: {} }, never);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(await readText(limited.body)).toBe('{"error":{"message":"slow down"}}');

    const bom = await send(provider(), { method: 'GET', url: url.replace('/x', '/bom'), headers: {} }, never);
    const text = await readText(bom.body);
    expect(JSON.parse(text)).toEqual({ ok: true });
    await expect(readText(bom.body)).rejects.toThrow('already being read');
    expect(() => bom.body[Symbol.asyncIterator]()).toThrow('already being read');
  });
});

