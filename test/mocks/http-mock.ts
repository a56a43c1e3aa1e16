/**
 * A scriptable upstream on loopback: a real node:http server that records every request and
 * answers what the test's handler says — a JSON body, raw bytes, or SSE frames written one at a
 * time (optionally paced, optionally cut mid-way). The provider mocks (openai.ts, anthropic.ts,
 * gemini.ts, mistral.ts) build wire-format replies on top of it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path with query string, as received. */
  path: string;
  headers: IncomingMessage['headers'];
  /** Raw body text. */
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: any;
}

export interface MockReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body (serialised with JSON.stringify). */
  json?: unknown;
  /** Raw body text. */
  body?: string;
  /** SSE: each string is written as-is, one write per entry (include the blank-line terminator). */
  sse?: string[];
  /** Binary frames, written like `sse` (one write per entry), for streams framed otherwise: set `content-type` in `headers`. */
  chunks?: Uint8Array[];
  /** Delay before the status line is sent. */
  delayMs?: number;
  /** Delay between SSE writes. */
  chunkDelayMs?: number;
  /** Destroy the socket after this many SSE writes (an upstream that dies mid-stream). */
  cutAfter?: number;
  /** Accept the request but never answer (for timeouts). */
  hang?: boolean;
}

export type MockHandler = (req: RecordedRequest) => MockReply | Promise<MockReply>;

export interface HttpMock {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: RecordedRequest[];
  setHandler(handler: MockHandler): void;
  /** Resolves when the server has seen the client side of request #i close (aborts included). */
  closed: Array<Promise<number>>;
  close(): Promise<void>;
}

export async function startHttpMock(handler: MockHandler, port = 0): Promise<HttpMock> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const closed: Array<Promise<number>> = [];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, text, body };
    requests.push(recorded);
    closed.push(new Promise((resolve) => res.on('close', () => resolve(Date.now()))));
    try {
      await respond(res, await current(recorded));
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `mock handler failed: ${(err as Error).message}` } }));
      }
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    closed,
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function respond(res: ServerResponse, reply: MockReply): Promise<void> {
  if (reply.hang) return; // never answer; the client's timeout or abort ends it
  if (reply.delayMs) await sleep(reply.delayMs);
  const status = reply.status ?? 200;
  const frames = reply.sse ?? reply.chunks;
  if (frames) {
    res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    let written = 0;
    for (const frame of frames) {
      if (res.destroyed) return;
      if (reply.cutAfter !== undefined && written >= reply.cutAfter) {
        res.socket?.destroy();
        return;
      }
      res.write(frame);
      written++;
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    }
    res.end();
    return;
  }
  if (reply.json !== undefined) {
    const text = JSON.stringify(reply.json);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...reply.headers });
    res.end(text);
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain', ...reply.headers });
  res.end(reply.body ?? '');
}
