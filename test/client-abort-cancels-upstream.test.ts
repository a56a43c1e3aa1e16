/**
 * A client that goes away takes the upstream request with it (docs/architecture.md §1: the engine's abort
 * signal reaches the upstream socket): the gateway must not keep a paid generation running for
 * nobody. The only timed assertion of the suite lives here.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from '../src/metering/tokens.js';
import { startGateway, until, type TestGateway } from './helpers/gateway.js';
import type { HttpMock } from './mocks/http-mock.js';
import { openaiStream, startOpenAIMock } from './mocks/openai.js';
import { createCheckingFetch } from './openapi/validate.js';

let upstream: HttpMock;
let gw: TestGateway;
let client: OpenAI;
const checker = createCheckingFetch();

beforeAll(async () => {
  // The mock upstream shares this process's event loop, so a gateway-side stall delays when the
  // *mock* notices the close, even though the socket was closed at once (checked with an
  // upstream in a child process). A cut stream is metered by a token estimate; the o200k tables
  // (src/metering/o200k.ts, ~100 ms to build) are built here first, as the gateway builds them at start.
  countTokens('warm up');
  upstream = await startOpenAIMock();
  gw = await startGateway(`
providers:
  openai: { type: openai, api_key: "sk-test-secret-123456", base_url: "${upstream.url}/v1" }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'tollgate-test', maxRetries: 0, fetch: checker.fetch });
});
afterEach(() => checker.assertClean());
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

describe('client disconnects', () => {
  // The one timed assertion. Client, gateway and mock share one process, so when the whole suite
  // runs in parallel on a small machine, CPU contention alone can push one run past 100 ms
  // (observed: 10–45 ms typical, one 126 ms / 233 ms outlier at load average 5 on 2 cores).
  // A retry absorbs that; a real regression (upstream left running) fails every attempt.
  it('mid-stream: the upstream connection closes within 100 ms of the client’s abort', { retry: 2 }, async () => {
    // 60 words, one every 50 ms: a 3-second stream the client abandons after its first chunk.
    const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    upstream.setHandler(() => openaiStream({ text }, { chunkDelayMs: 50 }));
    const ac = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'long story' }] },
      { signal: ac.signal },
    );
    const i = upstream.requests.length - 1;
    let chunks = 0;
    let abortedAt = 0;
    // The SDK's stream iterator ends quietly on an abort (openai-node Stream swallows AbortError).
    for await (const _ of stream) {
      chunks++;
      abortedAt = Date.now();
      ac.abort();
    }
    expect(chunks).toBe(1);
    const closedAt = await upstream.closed[i]!;
    expect(closedAt - abortedAt).toBeLessThan(100);

    // Metered as a client-closed request (499) with what was delivered before the abort.
    await until(() => gw.records.length > 0);
    const rec = gw.records.at(-1)!;
    expect(rec.status).toBe(499);
    expect(rec.outputTokens).toBeLessThan(60);
  });

  it('while waiting for a slow upstream (no byte yet): the upstream request is cancelled too', async () => {
    upstream.setHandler(() => ({ hang: true }));
    const ac = new AbortController();
    const before = upstream.requests.length;
    const pending = client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { signal: ac.signal });
    await until(() => upstream.requests.length > before);
    ac.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    // Resolves only when the gateway closed its upstream connection (else the test times out).
    await expect(upstream.closed[before]!).resolves.toEqual(expect.any(Number));
    await until(() => gw.records.at(-1)?.status === 499);
  });
});
