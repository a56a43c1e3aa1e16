/**
 * Model routing and resilience (docs/contract.md §2 `models:`): strategies, fallback triggers, retries
 * honouring retry-after, cooldowns with half-open probing, streaming fallback only before the
 * first byte, per-request overrides, and the exact-match response cache.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, until, type TestGateway } from './helpers/gateway.js';
import type { HttpMock } from './mocks/http-mock.js';
import { defaultOpenAIHandler, openaiError, openaiStream, startOpenAIMock } from './mocks/openai.js';
import { createCheckingFetch } from './openapi/validate.js';

const checker = createCheckingFetch();

let a: HttpMock;
let b: HttpMock;
let gw: TestGateway;
let client: OpenAI;

const ask = (model: string, extra: Record<string, unknown> = {}) =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content: 'route me' }], ...extra }).withResponse();

beforeAll(async () => {
  a = await startOpenAIMock();
  b = await startOpenAIMock();
  gw = await startGateway(`
providers:
  a: { type: openai-compatible, api_key: "sk-a-123456789", base_url: "${a.url}/v1", max_retries: 1 }
  b: { type: openai-compatible, api_key: "sk-b-123456789", base_url: "${b.url}/v1" }
  fa: { type: openai-compatible, api_key: "sk-a-123456789", base_url: "${a.url}/v1" }
  fb: { type: openai-compatible, api_key: "sk-b-123456789", base_url: "${b.url}/v1" }
  m1: { type: mock }
  m2: { type: mock }
  small: { type: openai, api_key: "sk-s-123456789", base_url: "${a.url}/v1" }
  big: { type: openai, api_key: "sk-g-123456789", base_url: "${b.url}/v1" }
models:
  outage: { targets: [a/gpt-4o, b/gpt-4o], strategy: fallback }
  cooled: { targets: [a/gpt-4o, b/gpt-4o], strategy: fallback, cooldown: { failures: 2, window_s: 30, cooldown_s: 0.5 } }
  rr: { targets: [m1/echo, m2/echo], strategy: round-robin }
  weighted: { targets: [{ model: m1/echo, weight: 3 }, { model: m2/echo, weight: 1 }], strategy: weighted }
  fastest: { targets: [fa/gpt-4o, fb/gpt-4o], strategy: least-latency }
  cheap: { targets: [big/gpt-4o, small/gpt-4o-mini], strategy: cheapest }
  window: { targets: [small/gpt-3.5-turbo, big/gpt-4o], strategy: fallback }
  cached: { targets: [b/gpt-4o], cache: { ttl_s: 60 } }
pricing:
  "b/gpt-4o": { input_per_mtok_usd: 2.5, output_per_mtok_usd: 10 }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'tollgate-test', maxRetries: 0, fetch: checker.fetch });
});
afterAll(async () => {
  await gw?.close();
  await a?.close();
  await b?.close();
});
afterEach(() => {
  a.setHandler(defaultOpenAIHandler);
  b.setHandler(defaultOpenAIHandler);
  checker.assertClean();
});

const count = (m: HttpMock) => m.requests.length;

describe('fallback', () => {
  it('outage: the first target refuses connections or fails with 5xx → the next target answers', async () => {
    a.setHandler(() => openaiError(503, 'overloaded', 'server_error'));
    const before = { a: count(a), b: count(b) };
    const { data, response } = await ask('outage');
    expect(data.choices[0]!.message.content).toBe('route me');
    expect(response.headers.get('x-tollgate-provider')).toBe('b');
    // a is tried twice (max_retries 1), then b once
    expect(response.headers.get('x-tollgate-attempts')).toBe('3');
    expect(count(a) - before.a).toBe(2);
    expect(count(b) - before.b).toBe(1);
    await until(() => gw.records.some((r) => r.attempts === 3 && r.provider === 'b'));
  });

  it('a 400 the request caused is not a fallback trigger', async () => {
    a.setHandler(() => openaiError(400, 'bad temperature', 'invalid_request_error', null, 'temperature'));
    const before = count(b);
    const err = await ask('outage').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(400);
    expect(count(b)).toBe(before);
  });

  it('429 with retry-after: the retry waits the stated delay', async () => {
    let n = 0;
    a.setHandler((req) => (n++ === 0 ? openaiError(429, 'slow down', 'rate_limit_error', 'rate_limit_exceeded', null, { 'retry-after': '1' }) : defaultOpenAIHandler(req)));
    const t0 = Date.now();
    const { response } = await ask('outage');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(response.headers.get('x-tollgate-provider')).toBe('a');
    expect(response.headers.get('x-tollgate-attempts')).toBe('2');
  });

  it('context window exceeded → a target with a larger window', async () => {
    a.setHandler(() => openaiError(400, "This model's maximum context length is 16385 tokens.", 'invalid_request_error', 'context_length_exceeded', 'messages'));
    const { response } = await ask('window');
    expect(response.headers.get('x-tollgate-provider')).toBe('big');
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o');
  });
});

describe('cooldown (circuit breaker)', () => {
  it('a target failing repeatedly is skipped, then probed once and readmitted when healthy', async () => {
    a.setHandler(() => openaiError(500, 'boom', 'server_error'));
    for (let i = 0; i < 2; i++) expect((await ask('cooled')).response.headers.get('x-tollgate-provider')).toBe('b');
    // two failures in the window: a is cooling — the next requests go straight to b
    const aBefore = count(a);
    for (let i = 0; i < 3; i++) expect((await ask('cooled')).response.headers.get('x-tollgate-attempts')).toBe('1');
    expect(count(a)).toBe(aBefore);
    // after the cooldown a gets exactly one probe; it fails → cooled again
    await new Promise((r) => setTimeout(r, 600));
    await ask('cooled');
    expect(count(a)).toBe(aBefore + 2); // the probe and its retry (max_retries 1)
    await ask('cooled');
    expect(count(a)).toBe(aBefore + 2);
    // healthy again: the next probe succeeds and a serves from then on
    a.setHandler(defaultOpenAIHandler);
    await new Promise((r) => setTimeout(r, 600));
    expect((await ask('cooled')).response.headers.get('x-tollgate-provider')).toBe('a');
    expect((await ask('cooled')).response.headers.get('x-tollgate-provider')).toBe('a');
  });
});

describe('streams', () => {
  it('fall back before the first byte', async () => {
    a.setHandler(() => openaiError(502, 'bad gateway', 'server_error'));
    const { data: stream, response } = await client.chat.completions.create({ model: 'outage', stream: true, messages: [{ role: 'user', content: 'stream me' }] }).withResponse();
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    expect(text).toBe('stream me');
    expect(response.headers.get('x-tollgate-provider')).toBe('b');
  });

  it('never after: a stream cut after its first bytes ends with an error, no other target is called', async () => {
    // paced, so the first frames really leave before the connection is cut
    a.setHandler(() => ({ ...openaiStream({ text: 'one two three four five six' }), chunkDelayMs: 10, cutAfter: 3 }));
    const before = count(b);
    const stream = await client.chat.completions.create({ model: 'outage', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    const err = await (async () => {
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect(text.length).toBeGreaterThan(0);
    expect(count(b)).toBe(before);
  });
});

describe('strategies spread over 1,000 requests', () => {
  async function spread(model: string, n: number): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
      await r.arrayBuffer();
      const p = r.headers.get('x-tollgate-provider')!;
      counts[p] = (counts[p] ?? 0) + 1;
    }
    return counts;
  }

  it('round-robin: within 5% of an even split', async () => {
    const c = await spread('rr', 1000);
    expect(Math.abs(c.m1! - 500)).toBeLessThanOrEqual(50);
    expect(Math.abs(c.m2! - 500)).toBeLessThanOrEqual(50);
  });

  it('weighted 3:1: within 5% of 750/250', async () => {
    const c = await spread('weighted', 1000);
    expect(Math.abs(c.m1! - 750)).toBeLessThanOrEqual(50);
    expect(Math.abs(c.m2! - 250)).toBeLessThanOrEqual(50);
  });
});

describe('least-latency and cheapest', () => {
  it('least-latency moves to the faster target, and back when it slows down', async () => {
    a.setHandler((req) => ({ ...defaultOpenAIHandler(req), delayMs: 60 }) as never);
    // fa/fb: the same mocks as a/b under other names, so earlier tests' cooldowns of a/… do not apply
    const pick = async () => ((await ask('fastest')).response.headers.get('x-tollgate-provider') ?? '').slice(1);
    for (let i = 0; i < 4; i++) await pick(); // both measured
    const picks: string[] = [];
    for (let i = 0; i < 5; i++) picks.push((await pick())!);
    expect(picks.every((p) => p === 'b')).toBe(true);
    // b slows down far more: the window moves the traffic back to a
    a.setHandler(defaultOpenAIHandler);
    b.setHandler((req) => ({ ...defaultOpenAIHandler(req), delayMs: 150 }) as never);
    const later: string[] = [];
    for (let i = 0; i < 25; i++) later.push((await pick())!);
    expect(later.slice(-5).every((p) => p === 'a')).toBe(true);
  });

  it('cheapest picks the lowest catalog price (gpt-4o-mini over gpt-4o)', async () => {
    const { response } = await ask('cheap');
    expect(response.headers.get('x-tollgate-provider')).toBe('small');
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
  });
});

describe('per-request overrides', () => {
  it('x-tollgate-fallbacks adds targets after the route’s own', async () => {
    a.setHandler(() => openaiError(503, 'down', 'server_error'));
    const r = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tollgate-fallbacks': 'b/gpt-4o-mini' },
      body: JSON.stringify({ model: 'a/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-tollgate-provider')).toBe('b');
    expect(r.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
  });

  it('x-tollgate-timeout-ms bounds the wait for the first byte (504), and is validated', async () => {
    a.setHandler((req) => ({ ...defaultOpenAIHandler(req), delayMs: 2000 }) as never);
    const t0 = Date.now();
    const r = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tollgate-timeout-ms': '200' },
      body: JSON.stringify({ model: 'a/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(r.status).toBe(504);
    expect(((await r.json()) as any).error.code).toBe('upstream_timeout');
    expect(Date.now() - t0).toBeLessThan(1900);
    const bad = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tollgate-timeout-ms': 'soon' },
      body: JSON.stringify({ model: 'a/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.param).toBe('x-tollgate-timeout-ms');
  });

  it('x-tollgate-timeout-ms bounds the first byte only: a stream longer than it completes', async () => {
    a.setHandler(() => ({ ...openaiStream({ text: 'a b c d e f g h' }, { includeUsage: true }), chunkDelayMs: 60 }));
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tollgate-timeout-ms': '200' },
      body: JSON.stringify({ model: 'a/gpt-4o', stream: true, messages: [{ role: 'user', content: 'one two three' }] }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('data: [DONE]');
    expect(text).not.toContain('event: error');
  });
});

describe('response cache', () => {
  it('a hit returns the same answer with x-tollgate-cache: hit, no upstream call, and costs nothing — in the body too', async () => {
    const body = JSON.stringify({ model: 'cached', messages: [{ role: 'user', content: 'cache me please' }] });
    const post = () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const first = await post();
    const firstJson = (await first.json()) as any;
    expect(first.headers.get('x-tollgate-cache')).toBe('miss');
    expect(firstJson.usage.cost).toBeGreaterThan(0);
    expect(firstJson.usage.cached).toBeUndefined();
    const calls = count(b);
    const second = await post();
    expect(second.headers.get('x-tollgate-cache')).toBe('hit');
    const secondJson = (await second.json()) as any;
    // the same answer and token counts; the body's cost is the header's: nothing
    expect(secondJson.choices).toEqual(firstJson.choices);
    expect(secondJson.usage).toEqual({ ...firstJson.usage, cost: 0, cached: true });
    expect(second.headers.get('x-tollgate-cost-usd')).toBe('0.000000');
    expect(count(b)).toBe(calls);
    const hit = gw.records.find((r) => r.requestId === second.headers.get('x-request-id'));
    expect(hit).toMatchObject({ cached: true, costNanos: 0 });
    // a different request misses; a request-level TTL of 0 turns the alias cache off
    const other = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tollgate-cache-ttl': '0' }, body });
    expect(other.headers.get('x-tollgate-cache')).toBeNull();
    expect(count(b)).toBe(calls + 1);
  });

  it('the openai SDK reads a hit as free: usage.cost 0, usage.cached true, the upstream asked once', async () => {
    const params = { model: 'cached', messages: [{ role: 'user' as const, content: 'an SDK cache check' }] };
    const calls = count(b);
    const miss = await client.chat.completions.create(params).withResponse();
    const hit = await client.chat.completions.create(params).withResponse();
    expect(count(b)).toBe(calls + 1);
    expect((b.requests.at(-1)!.body as any).messages).toEqual(params.messages);
    expect(miss.response.headers.get('x-tollgate-cache')).toBe('miss');
    expect(hit.response.headers.get('x-tollgate-cache')).toBe('hit');
    expect(hit.data.choices[0]!.message.content).toBe(miss.data.choices[0]!.message.content);
    const missUsage = miss.data.usage as any;
    const hitUsage = hit.data.usage as any;
    expect(missUsage.cost).toBeGreaterThan(0);
    expect(Number(miss.response.headers.get('x-tollgate-cost-usd'))).toBe(missUsage.cost);
    expect(hitUsage).toMatchObject({ prompt_tokens: missUsage.prompt_tokens, completion_tokens: missUsage.completion_tokens, cost: 0, cached: true });
  });

  it('the same JSON on /v1/chat/completions and /v1/messages are two entries: each client gets its own API\'s shape', async () => {
    const params = { model: 'cached', max_tokens: 50, messages: [{ role: 'user' as const, content: 'one body, two surfaces' }] };
    const calls = count(b);
    const chat = await client.chat.completions.create(params).withResponse();
    expect(chat.response.headers.get('x-tollgate-cache')).toBe('miss');
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'tollgate-test', maxRetries: 0 });
    const msg = await anthropic.messages.create(params).withResponse();
    expect(msg.response.headers.get('x-tollgate-cache')).toBe('miss');
    expect(msg.data).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'one body, two surfaces' }] });
    expect(count(b)).toBe(calls + 2);
    const again = await anthropic.messages.create(params).withResponse();
    expect(again.response.headers.get('x-tollgate-cache')).toBe('hit');
    expect(again.data).toMatchObject({ type: 'message', content: msg.data.content, usage: { ...msg.data.usage, cached: true } });
    expect(count(b)).toBe(calls + 2);
  });

  it('streams are never served from the cache', async () => {
    const calls = count(b);
    const stream = await client.chat.completions.create({ model: 'cached', stream: true, messages: [{ role: 'user', content: 'cache me please' }] });
    for await (const _ of stream);
    expect(count(b)).toBe(calls + 1);
  });
});
