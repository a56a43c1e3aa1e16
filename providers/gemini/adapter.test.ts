/**
 * The adapter end to end against the Gemini mock upstream (test/mocks/gemini.ts, itself proven
 * with Google's SDK): the request it builds is what the upstream accepts, and the bytes that come
 * back — JSON, SSE, errors — map to the internal form. The test plays the engine's part
 * (fetch + SSE framing); nothing of the adapter is mocked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import type { HttpMock } from '../../test/mocks/http-mock.js';
import { geminiDefaultHandler, geminiError, geminiStream, mockEmbedding, startGeminiMock } from '../../test/mocks/gemini.js';
import { baseRequest, runStream, splitSse } from './fixtures.test-helper.js';
import { geminiAdapter } from './index.js';

let mock: HttpMock;
let cfg: ProviderConfig;

beforeAll(async () => {
  mock = await startGeminiMock();
  cfg = { name: 'gemini', type: 'gemini', baseUrl: mock.url, apiKey: 'AIzaTestKey0000000000000000000000000000', headers: {}, options: {} };
});
afterAll(() => mock.close());
beforeEach(() => mock.setHandler(geminiDefaultHandler));

async function send(up: { method: string; url: string; headers: Record<string, string>; body?: string }) {
  const res = await fetch(up.url, { method: up.method, headers: up.headers, body: up.body ?? null });
  return { status: res.status, text: await res.text(), headers: Object.fromEntries(res.headers) };
}

describe('geminiAdapter against the Gemini mock', () => {
  it('dialect is gemini', () => {
    expect(geminiAdapter.dialect).toBe('gemini');
  });

  it('unary chat: request accepted, response parsed with usage', async () => {
    const req = baseRequest({ messages: [{ role: 'system', content: [{ type: 'text', text: 'sys' }] }, { role: 'user', content: [{ type: 'text', text: 'hello there gemini' }] }] });
    const res = await send(geminiAdapter.chat.buildRequest(req, cfg));
    expect(res.status).toBe(200);
    const json = JSON.parse(res.text);
    const out = geminiAdapter.chat.parseResponse(json, req);
    expect(out.content).toEqual([{ type: 'text', text: 'hello there gemini' }]);
    expect(out.finish).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(out.usage).toEqual({ inputTokens: 3, outputTokens: 3 });
    expect(geminiAdapter.usageFromBody(json)).toEqual(out.usage);
    const seen = mock.requests.at(-1)!;
    expect(seen.headers['x-goog-api-key']).toBe(cfg.apiKey);
    expect(seen.body.systemInstruction).toEqual({ parts: [{ text: 'sys' }] });
  });

  it('streaming chat over real SSE bytes (CRLF): deltas, finish, usage, clean end', async () => {
    mock.setHandler(() => geminiStream({ text: 'one two three four', usage: { promptTokenCount: 5 } }, { crlf: true }));
    const req = baseRequest({ stream: true });
    const up = geminiAdapter.chat.buildRequest(req, cfg);
    expect(up.url.endsWith(':streamGenerateContent?alt=sse')).toBe(true);
    const res = await send(up);
    const frames = splitSse(res.text);
    const events = runStream(geminiAdapter.chat.stream, req, frames);
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as any).text).join('')).toBe('one two three four');
    expect(events.filter((e) => e.type === 'finish')).toEqual([{ type: 'finish', finish: { unified: 'stop', raw: 'STOP' } }]);
    expect(events.filter((e) => e.type === 'usage').at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 5, outputTokens: 4 } });
    expect(events.at(-1)!.type).toBe('usage'); // no trailing error: the stream ended normally
    let sniffed;
    for (const f of frames) sniffed = geminiAdapter.sniffStreamUsage(f, sniffed) ?? sniffed;
    expect(sniffed).toEqual({ inputTokens: 5, outputTokens: 4 });
  });

  it('a tool-call stream finishes as tool_calls', async () => {
    mock.setHandler(() => geminiStream({ functionCalls: [{ name: 'now', args: {} }] }));
    const req = baseRequest({ stream: true, tools: [{ name: 'now', parameters: { type: 'object', properties: {} } }] });
    const res = await send(geminiAdapter.chat.buildRequest(req, cfg));
    const events = runStream(geminiAdapter.chat.stream, req, splitSse(res.text));
    expect(events.find((e) => e.type === 'tool-call-start')).toMatchObject({ index: 0, name: 'now' });
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', finish: { unified: 'tool_calls', raw: 'STOP' } });
  });

  it('the gateway key rejected upstream → 502 upstream_auth_failed (not the client’s fault)', async () => {
    const res = await send(geminiAdapter.chat.buildRequest(baseRequest(), { ...cfg, apiKey: undefined }));
    expect(res.status).toBe(400);
    expect(geminiAdapter.parseError({ status: res.status, body: res.text, headers: res.headers })).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
  });

  it('a 429 with retry-after header and RetryInfo', async () => {
    mock.setHandler(() => geminiError(429, 'RESOURCE_EXHAUSTED', 'quota', { retryDelay: '37s', headers: { 'retry-after': '5' } }));
    const res = await send(geminiAdapter.chat.buildRequest(baseRequest(), cfg));
    expect(geminiAdapter.parseError({ status: res.status, body: res.text, headers: res.headers })).toMatchObject({ status: 429, retryAfter: 5 });
  });

  it('embeddings through batchEmbedContents', async () => {
    const req = { model: 'text-embedding-004', input: ['a b', 'c'], dimensions: 4 };
    const res = await send(geminiAdapter.embeddings!.buildRequest(req, cfg));
    expect(res.status).toBe(200);
    expect(geminiAdapter.embeddings!.parseResponse(JSON.parse(res.text), req)).toEqual({
      model: 'text-embedding-004',
      embeddings: [mockEmbedding('a b', 4), mockEmbedding('c', 4)],
      usage: { inputTokens: 0 },
    });
  });
});
