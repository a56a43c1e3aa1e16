/**
 * Issue #10 item 8: an unauthenticated client that sends its headers (or its body) a byte at a
 * time held its connection forever. `server.headers_timeout_ms` / `server.request_timeout_ms`
 * bound receiving the request (408, connection closed); responses — long streams, slow
 * upstreams — are not bounded by them.
 */
import { connect, type Socket } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const HEADERS_MS = 400;
const REQUEST_MS = 1000;
let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway(`
server: { headers_timeout_ms: ${HEADERS_MS}, request_timeout_ms: ${REQUEST_MS} }
providers:
  mock: { type: mock, chunks: 12, chunk_delay_ms: 150 }
  slowmock: { type: mock, latency_ms: 1500 }
auth:
  keys: ["a-configured-key-123456"]
`);
});
afterAll(async () => {
  await gw?.close();
});

interface Trickle {
  /** ms from connecting to the server closing the connection. */
  closedAfter: Promise<number>;
  received: () => string;
  socket: Socket;
  stop(): void;
}

/** Opens a raw connection, writes `head`, then one byte of `drip` every `everyMs` until closed. */
function trickle(head: string, drip: string, everyMs: number): Trickle {
  const url = new URL(gw.url);
  const socket = connect(Number(url.port), url.hostname);
  const started = Date.now();
  let got = '';
  let i = 0;
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (got += d));
  socket.on('error', () => {});
  socket.on('connect', () => {
    socket.write(head);
    timer = setInterval(() => {
      if (!socket.destroyed && !socket.writableEnded) socket.write(drip[i++ % drip.length]!);
    }, everyMs);
  });
  const closedAfter = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    }),
  );
  return { closedAfter, received: () => got, socket, stop: () => (clearInterval(timer), socket.destroy()) };
}

const giveUp = (ms: number) => new Promise<number>((r) => setTimeout(() => r(Infinity), ms));

describe('slow clients are cut off', () => {
  it('headers sent a byte at a time: 408 and closed after headers_timeout_ms', async () => {
    const t = trickle('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n', 'x-slow: aaaaaaaaaa\r\n', 50);
    const after = await Promise.race([t.closedAfter, giveUp(5000)]);
    t.stop();
    expect(after).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(after).toBeLessThan(HEADERS_MS + 1500);
    expect(t.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a body sent a byte at a time (no key, headers complete): 408 and closed after request_timeout_ms', async () => {
    const head = 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    const t = trickle(head, '{"model":"mock/echo"', 50);
    const after = await Promise.race([t.closedAfter, giveUp(6000)]);
    t.stop();
    expect(after).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(after).toBeLessThan(REQUEST_MS + 2000);
    expect(t.received()).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('responses are not bounded by the request timeouts', () => {
  const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'a-configured-key-123456', maxRetries: 0 });

  it(`a stream longer than request_timeout_ms (${REQUEST_MS} ms) completes`, async () => {
    const started = Date.now();
    const stream = await client().chat.completions.create({ model: 'mock/lorem', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let chunks = 0;
    let finish: string | null = null;
    for await (const c of stream) {
      chunks++;
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect(Date.now() - started).toBeGreaterThan(REQUEST_MS + 200);
    expect(chunks).toBeGreaterThanOrEqual(12);
    expect(finish).toBe('stop');
  });

  it('an upstream slower than request_timeout_ms to its first byte still answers', async () => {
    const started = Date.now();
    const res = await client().chat.completions.create({ model: 'slowmock/echo', messages: [{ role: 'user', content: 'slow hello' }] });
    expect(Date.now() - started).toBeGreaterThan(REQUEST_MS + 200);
    expect(res.choices[0]?.message.content).toBe('slow hello');
  });
});

describe('config', () => {
  const load = (server: string) => buildSnapshot(parseConfigText(`server: ${server}\n`, {}), {});

  it('defaults: 30 s for headers, 5 min for the whole request', () => {
    const s = load('{}');
    expect([s.headersTimeoutMs, s.requestTimeoutMs]).toEqual([30_000, 300_000]);
  });

  it('refuses values that are not sensible integers, or headers longer than the request', () => {
    expect(() => load('{ headers_timeout_ms: 10 }')).toThrow(/server\.headers_timeout_ms/);
    expect(() => load('{ request_timeout_ms: 1.5 }')).toThrow(/server\.request_timeout_ms/);
    expect(() => load('{ request_timeout_ms: "soon" }')).toThrow(/server\.request_timeout_ms/);
    expect(() => load('{ headers_timeout_ms: 60000, request_timeout_ms: 30000 }')).toThrow(/must not exceed server\.request_timeout_ms/);
    expect(() => load('{ headers_timeout_ms: 1000, request_timeout_ms: 1000 }')).not.toThrow();
  });
});
