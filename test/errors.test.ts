/**
 * Bad input and failing upstreams (docs/contract.md §3 errors): each case gets its documented status and
 * OpenAI's envelope with all four keys (checked against OpenAI's `ErrorResponse` schema), no
 * provider secret anywhere in the body, and the gateway keeps serving: after every test a good
 * request must succeed.
 */
import { createServer } from 'node:net';
import OpenAI, { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from '../src/metering/tokens.js';
import { startGateway, until, type TestGateway } from './helpers/gateway.js';
import type { HttpMock } from './mocks/http-mock.js';
import { defaultOpenAIHandler, openaiError, openaiStream, startOpenAIMock } from './mocks/openai.js';
import { createCheckingFetch } from './openapi/validate.js';

const SECRET = 'sk-test-secret-123456';
const DEAD_SECRET = 'sk-dead-secret-654321';
let upstream: HttpMock;
let gw: TestGateway;
let client: OpenAI;
const checker = createCheckingFetch();

/** A loopback port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  upstream = await startOpenAIMock();
  gw = await startGateway(`
server: { body_limit_mb: 0.01 }
providers:
  openai: { type: openai, api_key: "${SECRET}", base_url: "${upstream.url}/v1" }
  slow:   { type: openai-compatible, api_key: "${SECRET}", base_url: "${upstream.url}/v1", timeout_ms: 150 }
  dead:   { type: openai-compatible, api_key: "${DEAD_SECRET}", base_url: "http://127.0.0.1:${await freePort()}/v1" }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'tollgate-test', maxRetries: 0, fetch: checker.fetch });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});
afterEach(async () => {
  upstream.setHandler(defaultOpenAIHandler);
  // The gateway keeps serving after whatever the test did.
  const ok = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'still alive' }] });
  expect(ok.choices[0]?.message.content).toBe('still alive');
  checker.assertClean();
});

/** POSTs raw text through the checking fetch; returns status, parsed body and raw text. */
async function post(body: string, path = '/v1/chat/completions') {
  const res = await checker.fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as { error: Record<string, unknown> } };
}

function expectEnvelope(r: { json: { error: Record<string, unknown> }; text: string }, type: string, code: string | null, param: string | null = null) {
  expect(Object.keys(r.json)).toEqual(['error']);
  expect(Object.keys(r.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(r.json.error).toMatchObject({ type, code, param });
  expect(r.json.error.message).toEqual(expect.any(String));
  expect(r.text).not.toContain(SECRET);
  expect(r.text).not.toContain(DEAD_SECRET);
}

const chat = (extra: Record<string, unknown>) => JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('bad input → 4xx in OpenAI’s envelope', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const r = await post('{"model": "openai/gpt-4o", "messages": [');
    expect(r.status).toBe(400);
    expectEnvelope(r, 'invalid_request_error', 'invalid_json');
  });

  it('missing model / missing messages → 400 naming the parameter', async () => {
    const noModel = await post(JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(noModel.status).toBe(400);
    expectEnvelope(noModel, 'invalid_request_error', 'missing_required_parameter', 'model');
    const noMessages = await post(JSON.stringify({ model: 'openai/gpt-4o' }));
    expect(noMessages.status).toBe(400);
    expectEnvelope(noMessages, 'invalid_request_error', 'missing_required_parameter', 'messages');
  });

  it.each([
    ['messages', { messages: 'hello' }],
    ['temperature', { temperature: 'hot' }],
    ['messages[0].role', { messages: [{ role: 'wizard', content: 'hi' }] }],
    ['stream', { stream: 'yes' }],
    ['max_tokens', { max_tokens: 1.5 }],
  ])('wrong type or value for %s → 400 with that param', async (param, extra) => {
    const r = await post(chat(extra));
    expect(r.status).toBe(400);
    expectEnvelope(r, 'invalid_request_error', 'invalid_value', param);
  });

  it('a body that is not an object → 400', async () => {
    const r = await post('[1,2]');
    expect(r.status).toBe(400);
    expectEnvelope(r, 'invalid_request_error', null);
  });

  it('unknown provider → 404 model_not_found', async () => {
    const r = await post(chat({ model: 'nowhere/gpt-4o' }));
    expect(r.status).toBe(404);
    expectEnvelope(r, 'invalid_request_error', 'model_not_found', 'model');
    expect(r.json.error.message).toContain('nowhere');
  });

  it('body over server.body_limit_mb (0.01 MB) → 413', async () => {
    const r = await post(chat({ messages: [{ role: 'user', content: 'x'.repeat(20_000) }] }));
    expect(r.status).toBe(413);
    expectEnvelope(r, 'invalid_request_error', 'request_too_large');
    expect(upstream.requests.some((q) => q.text.length > 20_000)).toBe(false);
  });
});

describe('more bad requests', () => {
  it('an unsupported content type → 415; text/plain → 400 (not an object); empty JSON body → 400', async () => {
    const plain = await checker.fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(plain.status).toBe(400);
    const plainText = await plain.text();
    expectEnvelope({ text: plainText, json: JSON.parse(plainText) }, 'invalid_request_error', null);
    const res = await checker.fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' });
    const text = await res.text();
    expect(res.status).toBe(415);
    expectEnvelope({ text, json: JSON.parse(text) }, 'invalid_request_error', 'unsupported_media_type');
    const empty = await post('');
    expect(empty.status).toBe(400);
    expectEnvelope(empty, 'invalid_request_error', null);
  });

  it('unknown /v1 route → 404 in the envelope', async () => {
    const res = await checker.fetch(`${gw.url}/v1/nothing-here`);
    const text = await res.text();
    expect(res.status).toBe(404);
    expectEnvelope({ text, json: JSON.parse(text) }, 'invalid_request_error', 'not_found');
  });

  it('embeddings: missing input → 400; upstream 500 → 502 naming the provider', async () => {
    const bad = await post(JSON.stringify({ model: 'openai/text-embedding-3-small' }), '/v1/embeddings');
    expect(bad.status).toBe(400);
    expectEnvelope(bad, 'invalid_request_error', 'missing_required_parameter', 'input');
    upstream.setHandler(() => openaiError(500, 'boom', 'server_error'));
    const failed = await post(JSON.stringify({ model: 'openai/text-embedding-3-small', input: 'x' }), '/v1/embeddings');
    expect(failed.status).toBe(502);
    expectEnvelope(failed, 'api_error', 'upstream_error');
    expect(failed.json.error.message).toContain('openai');
  });

  it('an unknown model on /v1/models/{id} → 404 model_not_found', async () => {
    const res = await checker.fetch(`${gw.url}/v1/models/nowhere/nothing`);
    const text = await res.text();
    expect(res.status).toBe(404);
    expectEnvelope({ text, json: JSON.parse(text) }, 'invalid_request_error', 'model_not_found', 'model');
  });

  it('a body with two top-level model keys → 400 duplicate_key, never forwarded', async () => {
    const before = upstream.requests.length;
    const r = await post('{"model":"openai/gpt-4-expensive","messages":[{"role":"user","content":"x"}],"model":"openai/gpt-4o-mini"}');
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('duplicate_key');
    expect(upstream.requests.length).toBe(before);
  });
});

describe('gateway keys (auth configured)', () => {
  let locked: TestGateway;
  beforeAll(async () => {
    locked = await startGateway(`
auth: { keys: ["tg-test-key-0123456789"] }
providers:
  openai: { type: openai, api_key: "${SECRET}", base_url: "${upstream.url}/v1" }
`);
  });
  afterAll(() => locked?.close());

  it.each([
    ['no key', undefined],
    ['a wrong key', 'Bearer tg-wrong-key-000000'],
  ])('%s → 401 invalid_api_key; the right key works', async (_what, authorization) => {
    const res = await checker.fetch(`${locked.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
      body: chat({}),
    });
    const text = await res.text();
    expect(res.status).toBe(401);
    expectEnvelope({ text, json: JSON.parse(text) }, 'authentication_error', 'invalid_api_key');
    const ok = new OpenAI({ baseURL: `${locked.url}/v1`, apiKey: 'tg-test-key-0123456789', maxRetries: 0, fetch: checker.fetch });
    expect((await ok.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'in' }] })).choices[0]?.message.content).toBe('in');
  });
});

describe('failing upstreams → 4xx/5xx naming the provider, never its key', () => {
  it('upstream 400 → 400 invalid_request_error with the upstream’s message, param and code', async () => {
    upstream.setHandler(() => openaiError(400, "Invalid 'messages[0].content': string too long.", 'invalid_request_error', 'string_above_max_length', 'messages[0].content'));
    const r = await post(chat({}));
    expect(r.status).toBe(400);
    expectEnvelope(r, 'invalid_request_error', 'string_above_max_length', 'messages[0].content');
    expect(r.json.error.message).toBe("openai: Invalid 'messages[0].content': string too long.");
  });

  it('upstream 401 that echoes the key → 502, the key redacted', async () => {
    upstream.setHandler(() => openaiError(401, `Incorrect API key provided: ${SECRET}. You can find your API key at https://platform.openai.com.`, 'invalid_request_error', 'invalid_api_key'));
    const r = await post(chat({}));
    expect(r.status).toBe(502);
    expectEnvelope(r, 'upstream_error', 'upstream_auth_failed');
    expect(r.json.error.message).toContain('openai');
  });

  it('upstream 429 → 429 rate_limit_exceeded with retry-after', async () => {
    upstream.setHandler(() => openaiError(429, 'Rate limit reached for gpt-4o.', 'requests', 'rate_limit_exceeded', null, { 'retry-after': '7' }));
    const res = await checker.fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chat({}) });
    const text = await res.text();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expectEnvelope({ text, json: JSON.parse(text) }, 'rate_limit_error', 'rate_limit_exceeded');
  });

  it.each([
    [500, 502, 'upstream_error'],
    [503, 503, 'upstream_unavailable'],
  ])('upstream %i → %i %s', async (from, to, code) => {
    upstream.setHandler(() => openaiError(from, 'The server had an error while processing your request.', 'server_error'));
    const r = await post(chat({}));
    expect(r.status).toBe(to);
    expectEnvelope(r, 'api_error', code);
    expect(r.json.error.message).toContain('openai');
  });

  it('upstream 500 with a non-JSON body → 502, body text quoted, no key', async () => {
    upstream.setHandler(() => ({ status: 500, body: `<html>upstream crashed (key ${SECRET})</html>` }));
    const r = await post(chat({}));
    expect(r.status).toBe(502);
    expectEnvelope(r, 'api_error', 'upstream_error');
  });

  it('upstream that never answers (timeout_ms 150) → 504 upstream_timeout', async () => {
    upstream.setHandler(() => ({ hang: true }));
    const r = await post(chat({ model: 'slow/gpt-4o' }));
    expect(r.status).toBe(504);
    expectEnvelope(r, 'api_error', 'upstream_timeout');
    expect(r.json.error.message).toContain('slow');
  });

  it('connection refused → 502 upstream_unreachable', async () => {
    const r = await post(chat({ model: 'dead/gpt-4o' }));
    expect(r.status).toBe(502);
    expectEnvelope(r, 'api_error', 'upstream_unreachable');
    expect(r.json.error.message).toContain('dead');
  });

  it('upstream error on a stream request, before the first byte → a JSON error, not a stream', async () => {
    upstream.setHandler(() => openaiError(503, 'Overloaded', 'server_error'));
    const r = await post(chat({ stream: true }));
    expect(r.status).toBe(503);
    expectEnvelope(r, 'api_error', 'upstream_unavailable');
  });

  it('upstream that stalls mid-stream (longer than timeout_ms) → an SSE error event, 504 naming the provider', async () => {
    upstream.setHandler(() => openaiStream({ text: 'slow words here' }, { chunkDelayMs: 3000 }));
    const stream = await client.chat.completions.create({ model: 'slow/gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let error: unknown;
    try {
      for await (const _ of stream);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toMatch(/slow.*in time/);
    await until(() => gw.records.at(-1)?.status === 504);
  });

  it('upstream stream cut mid-way → the client gets an SSE error event (the SDK throws), metered as delivered', async () => {
    upstream.setHandler(() => openaiStream({ text: 'one two three four five six', usage: { prompt_tokens: 5, completion_tokens: 6 } }, { cutAfter: 3, chunkDelayMs: 10 }));
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', stream: true, messages: [{ role: 'user', content: 'count' }] });
    let text = '';
    let error: unknown;
    try {
      for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    } catch (err) {
      error = err;
    }
    expect(text).toBe('one two '); // role chunk + two content chunks were written before the cut
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('openai');
    expect((error as APIError).message).not.toContain(SECRET);
    expect(checker.checked.ErrorResponse).toBeGreaterThan(0);
    await until(() => gw.records.at(-1)?.status === 502);
    // Metered with what was delivered, counted in o200k (the upstream's usage chunk never came).
    expect(gw.records.at(-1)).toMatchObject({ provider: 'openai', outputTokens: countTokens('one two '), estimated: true });
    expect(countTokens('one two ')).toBeGreaterThan(0);
  });
});
