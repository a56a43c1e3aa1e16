/**
 * The assembled adapter against the Anthropic mock upstream (test/mocks/anthropic.ts, itself
 * verified with the official SDK): build the request, send it over real HTTP, map the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import type { ChatRequest, StreamEvent, Usage } from '../types.js';
import type { HttpMock } from '../../test/mocks/http-mock.js';
import { anthropicApiKeyOf, anthropicError, anthropicStream, defaultAnthropicHandler, startAnthropicMock } from '../../test/mocks/anthropic.js';
import { sseFrames } from './__fixtures__/load.js';
import { anthropicAdapter } from './index.js';

let mock: HttpMock;
let cfg: ProviderConfig;
beforeAll(async () => {
  mock = await startAnthropicMock();
  cfg = { name: 'anthropic', type: 'anthropic', baseUrl: mock.url, apiKey: 'sk-ant-secret', headers: { 'anthropic-beta': 'test-beta' }, options: {} };
});
afterAll(() => mock.close());

const request = (stream: boolean): ChatRequest => ({
  model: 'claude-test-model',
  stream,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'say hello back' }] },
  ],
});

async function send(req: ChatRequest) {
  const up = anthropicAdapter.chat.buildRequest(req, cfg);
  const res = await fetch(up.url, { method: up.method, headers: up.headers, body: up.body ?? null });
  return { res, text: await res.text() };
}

describe('anthropicAdapter against the mock upstream', () => {
  it('endpoint: /v1/messages with x-api-key, anthropic-version and configured headers', () => {
    expect(anthropicAdapter.dialect).toBe('anthropic');
    expect(anthropicAdapter.endpoint({ ...cfg, baseUrl: 'https://api.anthropic.com/' }, 'chat', 'm', false)).toEqual({
      url: 'https://api.anthropic.com/v1/messages',
      headers: { 'x-api-key': 'sk-ant-secret', 'anthropic-version': '2023-06-01', 'content-type': 'application/json', 'anthropic-beta': 'test-beta' },
    });
    expect(() => anthropicAdapter.endpoint(cfg, 'embeddings', 'm', false)).toThrow(/no 'embeddings' endpoint/);
  });

  it('non-stream round trip: request accepted, echo parsed, usage from the body', async () => {
    mock.setHandler(defaultAnthropicHandler);
    const { res, text } = await send(request(false));
    expect(res.status).toBe(200);
    const seen = mock.requests.at(-1)!;
    expect(anthropicApiKeyOf(seen)).toBe('sk-ant-secret');
    expect(seen.headers['anthropic-beta']).toBe('test-beta');
    expect(seen.body).toMatchObject({ model: 'claude-test-model', max_tokens: 4096, system: [{ type: 'text', text: 'Be brief.' }] });
    const json = JSON.parse(text);
    const parsed = anthropicAdapter.chat.parseResponse(json, request(false));
    expect(parsed.content).toEqual([{ type: 'text', text: 'say hello back' }]);
    expect(parsed.finish).toMatchObject({ unified: 'stop', raw: 'end_turn' });
    expect(parsed.usage).toEqual({ inputTokens: 3, outputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0 });
    expect(anthropicAdapter.usageFromBody(json)).toEqual(parsed.usage);
  });

  it('stream round trip: mapped events, and the pass-through sniffer agrees on usage', async () => {
    mock.setHandler(() =>
      anthropicStream({ thinking: 'hmm', text: 'Calling.', toolUses: [{ name: 'f', input: { a: 1, b: 'two' } }], usage: { input_tokens: 12, cache_read_input_tokens: 100 } }),
    );
    const { text } = await send(request(true));
    expect(mock.requests.at(-1)!.body.stream).toBe(true);
    const frames = sseFrames(text);
    const state = anthropicAdapter.chat.stream.init(request(true));
    const events: StreamEvent[] = [...frames.flatMap((f) => anthropicAdapter.chat.stream.step(state, f)), ...anthropicAdapter.chat.stream.end(state)];
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text).join('')).toBe('Calling.');
    expect(events.find((e) => e.type === 'tool-call-start')).toMatchObject({ index: 0, name: 'f' });
    const args = events.filter((e) => e.type === 'tool-call-delta').map((e) => (e as { argumentsDelta: string }).argumentsDelta).join('');
    expect(JSON.parse(args)).toEqual({ a: 1, b: 'two' });
    const lastUsage = events.filter((e) => e.type === 'usage').at(-1);
    expect(lastUsage).toEqual({ type: 'usage', usage: { inputTokens: 112, outputTokens: 3, cachedInputTokens: 100, cacheWriteTokens: 0 } });
    const sniffed = frames.reduce<Usage | undefined>((u, f) => anthropicAdapter.sniffStreamUsage(f, u) ?? u, undefined);
    expect(sniffed).toEqual((lastUsage as { usage: Usage }).usage);
  });

  it('an upstream 429 maps through parseError with retry-after', async () => {
    mock.setHandler(() => anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '30' }));
    const { res, text } = await send(request(false));
    const error = anthropicAdapter.parseError({ status: res.status, body: text, headers: Object.fromEntries(res.headers) });
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfter: 30 });
  });

  it('a stream cut by the upstream mid-way ends with an error event', async () => {
    mock.setHandler(() => ({ ...anthropicStream({ text: 'one two three four' }), cutAfter: 4, chunkDelayMs: 5 }));
    const up = anthropicAdapter.chat.buildRequest(request(true), cfg);
    const res = await fetch(up.url, { method: 'POST', headers: up.headers, body: up.body ?? null });
    let text = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) text += decoder.decode(chunk, { stream: true });
    } catch {
      // the body rejects at the cut; the frames received before it are what matter
    }
    expect(text).toContain('message_start');
    const state = anthropicAdapter.chat.stream.init(request(true));
    sseFrames(text).forEach((f) => anthropicAdapter.chat.stream.step(state, f));
    expect(anthropicAdapter.chat.stream.end(state)).toEqual([
      { type: 'error', error: expect.objectContaining({ status: 502, message: expect.stringContaining('before message_stop') }) },
    ]);
  });
});
