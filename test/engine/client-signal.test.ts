/**
 * The per-request abort signal (src/engine/client-connection.ts): a lighter object than an
 * AbortController's, with the same behaviour for what the engine and undici use.
 */
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { abortOnClientClose } from '../../src/engine/client-connection.js';
import type { CallSignal } from '../../providers/adapter.js';

/** A server whose handler gets the signal of each request; resolves with the signal once the exchange is over. */
async function exchange(handle: (res: ServerResponse, signal: CallSignal) => void, clientGoesAway: boolean): Promise<CallSignal> {
  let got!: CallSignal;
  let closed!: () => void;
  const done = new Promise<void>((r) => (closed = r));
  const server = createServer((_req, res) => {
    got = abortOnClientClose(res);
    res.once('close', () => setImmediate(closed));
    handle(res, got);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const req = request({ port, host: '127.0.0.1', method: 'GET', path: '/' }, (res) => res.resume());
  req.on('error', () => {});
  req.end();
  if (clientGoesAway) setTimeout(() => req.destroy(), 30);
  await done;
  server.close();
  return got;
}

describe('the client signal', () => {
  it('aborts when the client goes away before the answer finished, calling each listener once, with an AbortError reason', async () => {
    const calls: string[] = [];
    const signal = await exchange((_res, s) => {
      s.addEventListener('abort', () => calls.push('a'));
      const b = () => calls.push('b');
      s.addEventListener('abort', b);
      s.removeEventListener('abort', b);
      s.addEventListener('abort', () => calls.push('c'), { once: true });
    }, true);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect((signal.reason as DOMException).name).toBe('AbortError');
    expect(calls).toEqual(['a', 'c']);
    // Like an AbortSignal's: a listener added once aborted is never called.
    signal.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual(['a', 'c']);
  });

  it('does not abort when the answer finished', async () => {
    const calls: string[] = [];
    const signal = await exchange((res, s) => {
      s.addEventListener('abort', () => calls.push('a'));
      res.end('ok');
    }, false);
    expect(signal.aborted).toBe(false);
    expect(calls).toEqual([]);
  });

  it('a listener that throws does not keep the others from running', async () => {
    const calls: string[] = [];
    const thrown: unknown[] = [];
    const onUncaught = (e: unknown) => thrown.push(e);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      await exchange((_res, s) => {
        s.addEventListener('abort', () => {
          throw new Error('listener failed');
        });
        s.addEventListener('abort', () => calls.push('after'));
      }, true);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const l of listeners) process.on('uncaughtException', l);
    }
    expect(calls).toEqual(['after']);
    expect((thrown[0] as Error).message).toBe('listener failed');
  });

  it('undici takes it as a request signal: an abort ends the upstream request at once', async () => {
    let upstreamClosed!: () => void;
    const closedUpstream = new Promise<void>((r) => (upstreamClosed = r));
    // An upstream that never answers: only the abort can end the request.
    const upstream = createServer((req) => req.socket.once('close', upstreamClosed));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    const agent = new Agent();
    let failure: unknown;
    const signal = await exchange((res, s) => {
      agent.request({ origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET', signal: s as unknown as AbortSignal }).then(
        () => res.end('unexpected'),
        (err) => (failure = err),
      );
    }, true);
    await closedUpstream;
    expect(signal.aborted).toBe(true);
    expect((failure as Error).name).toBe('AbortError');
    upstream.close();
    await agent.close();
  });
});
