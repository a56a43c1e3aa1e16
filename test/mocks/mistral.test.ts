/**
 * Proves the Mistral mock speaks the real wire format: the official @mistralai/mistralai SDK
 * (which validates every response and chunk against Mistral's schemas) talks to it, and our own
 * adapter reads what it produces.
 */
import { Mistral } from '@mistralai/mistralai';
import { MistralError } from '@mistralai/mistralai/models/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../providers/adapter.js';
import { mistralAdapter } from '../../providers/mistral/index.js';
import type { ChatRequest, StreamEvent } from '../../providers/types.js';
import type { HttpMock } from './http-mock.js';
import {
  MISTRAL_MOCK_KEY,
  mistralError,
  mistralMockEmbedding,
  mistralResponse,
  mistralStream,
  mistralStreamFrames,
  mistralUnauthorized,
  defaultMistralHandler,
  startMistralMock,
} from './mistral.js';

let mock: HttpMock;
let client: Mistral;

beforeAll(async () => {
  mock = await startMistralMock();
  client = new Mistral({ apiKey: MISTRAL_MOCK_KEY, serverURL: mock.url, retryConfig: { strategy: 'none' } });
});
afterAll(() => mock.close());

const useDefault = () => mock.setHandler(defaultMistralHandler);

describe('Mistral mock, driven by the official SDK', () => {
  it('chat.complete: echoes the last user text with deterministic usage', async () => {
    useDefault();
    const res = await client.chat.complete({
      model: 'mistral-small-latest',
      messages: [
        { role: 'system', content: 'Be brief please' },
        { role: 'user', content: 'Say hello to the world' },
      ],
    });
    expect(res.choices[0]?.message?.content).toBe('Say hello to the world');
    expect(res.choices[0]?.finishReason).toBe('stop');
    expect(res.usage).toMatchObject({ promptTokens: 8, completionTokens: 5, totalTokens: 13 });
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${MISTRAL_MOCK_KEY}`);
  });

  it('chat.stream: text assembled from deltas, usage on the finish chunk, [DONE] ends it', async () => {
    useDefault();
    const stream = await client.chat.stream({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'one two three four' }] });
    let text = '';
    const finishes: Array<string | null> = [];
    let usageChunks = 0;
    for await (const event of stream) {
      const choice = event.data.choices[0];
      if (typeof choice?.delta.content === 'string') text += choice.delta.content;
      finishes.push(choice?.finishReason ?? null);
      if (event.data.usage) {
        usageChunks++;
        expect(choice?.finishReason).toBe('stop'); // usage rides on the finish chunk
        expect(event.data.usage).toMatchObject({ promptTokens: 4, completionTokens: 4 });
      }
    }
    expect(text).toBe('one two three four');
    expect(usageChunks).toBe(1);
    expect(finishes.filter(Boolean)).toEqual(['stop']);
  });

  it('a tool-call reply: whole call, 9-character id, string arguments (JSON and SSE)', async () => {
    mock.setHandler(() => mistralResponse({ toolCalls: [{ name: 'weather', arguments: { location: 'Paris' } }] }));
    const res = await client.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'weather?' }] });
    const call = res.choices[0]?.message?.toolCalls?.[0];
    expect(call?.id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(call?.function).toEqual({ name: 'weather', arguments: '{"location":"Paris"}' });
    expect(res.choices[0]?.finishReason).toBe('tool_calls');

    mock.setHandler(() => mistralStream({ toolCalls: [{ name: 'weather', arguments: { location: 'Paris' } }, { name: 'time', arguments: '{}' }] }));
    const stream = await client.chat.stream({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'weather?' }] });
    const calls: Array<{ name: string; args: unknown }> = [];
    for await (const event of stream) {
      for (const tc of event.data.choices[0]?.delta.toolCalls ?? []) calls.push({ name: tc.function.name, args: tc.function.arguments });
    }
    expect(calls).toEqual([
      { name: 'weather', args: '{"location":"Paris"}' },
      { name: 'time', args: '{}' },
    ]);
  });

  it('embeddings.create: deterministic vectors and usage', async () => {
    useDefault();
    const res = await client.embeddings.create({ model: 'mistral-embed', inputs: ['hello world', 'bye'] });
    expect(res.data.map((d) => d.embedding)).toEqual([mistralMockEmbedding('hello world'), mistralMockEmbedding('bye')]);
    expect(res.data[0]?.embedding).toHaveLength(8);
    expect(res.usage.promptTokens).toBe(3);
    const again = await client.embeddings.create({ model: 'mistral-embed', inputs: 'hello world' });
    expect(again.data[0]?.embedding).toEqual(res.data[0]?.embedding);
  });

  it('a wrong key gets 401 in Mistral\'s shape', async () => {
    useDefault();
    const bad = new Mistral({ apiKey: 'wrong-key', serverURL: mock.url, retryConfig: { strategy: 'none' } });
    const err = await bad.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MistralError);
    expect((err as MistralError).statusCode).toBe(401);
    expect((err as MistralError).body).toBe('{"detail":"Unauthorized"}');
  });
});

describe('Mistral mock, read by our adapter', () => {
  const cfg = (): ProviderConfig => ({ name: 'mistral', type: 'mistral', baseUrl: mock.url, apiKey: MISTRAL_MOCK_KEY, headers: {}, options: {} });
  const chat = (stream: boolean): ChatRequest => ({
    model: 'mistral-small-latest',
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'weather in Paris' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_FromOpenAI_123', name: 'weather', arguments: '{"location":"Paris"}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_FromOpenAI_123', content: 'sunny' }] },
      { role: 'user', content: [{ type: 'text', text: 'thanks, and now?' }] },
    ],
    stream,
  });

  async function send(stream: boolean) {
    const up = mistralAdapter.chat.buildRequest(chat(stream), cfg());
    return fetch(up.url, { method: up.method, headers: up.headers, body: up.body });
  }

  it('non-stream: the adapter request is accepted and the reply parses', async () => {
    useDefault();
    const res = await send(false);
    expect(res.status).toBe(200);
    const parsed = mistralAdapter.chat.parseResponse(await res.json(), chat(false));
    expect(parsed.content).toEqual([{ type: 'text', text: 'thanks, and now?' }]);
    // 10 = the request's words, with the assistant turn the adapter bridges tool → user with
    // (Mistral refuses a user turn right after a tool result: providers/mistral/request.ts).
    expect(parsed.usage).toEqual({ inputTokens: 10, outputTokens: 3 });
    const sent = mock.requests.at(-1)!.body;
    expect(sent.messages[1].tool_calls[0].id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(sent.messages[2].tool_call_id).toBe(sent.messages[1].tool_calls[0].id);
  });

  it('stream: the SSE frames map to start, text, finish, usage', async () => {
    mock.setHandler(() => mistralStream({ reasoning: 'think hard', text: 'four', usage: { prompt_tokens: 3, cached_tokens: 2 } }));
    const res = await send(true);
    const raw = await res.text();
    const frames = raw.split('\n\n').filter((f) => f.startsWith('data: ')).map((f) => ({ data: f.slice('data: '.length) }));
    const state = mistralAdapter.chat.stream.init(chat(true));
    const events: StreamEvent[] = [...frames.flatMap((f) => mistralAdapter.chat.stream.step(state, f)), ...mistralAdapter.chat.stream.end(state)];
    expect(events.map((e) => e.type)).toEqual(['start', 'reasoning-delta', 'reasoning-delta', 'text-delta', 'finish', 'usage']);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 3, outputTokens: 3, cachedInputTokens: 2 } });
  });

  it('errors in Mistral shapes map through parseError', async () => {
    mock.setHandler(() => mistralUnauthorized());
    let res = await send(false);
    expect(mistralAdapter.parseError({ status: res.status, body: await res.text(), headers: {} })).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
    mock.setHandler(() => mistralError(429, 'Rate limit exceeded', 'rate_limited', '1300', { 'retry-after': '2' }));
    res = await send(false);
    expect(
      mistralAdapter.parseError({ status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) }),
    ).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfter: 2 });
  });

  it('a stream cut mid-way (cutAfter) is reported by the adapter as cut short', async () => {
    // paced so the first frames reach the client before the socket is destroyed
    mock.setHandler(() => mistralStream({ text: 'a b c d e f' }, { cutAfter: 3, chunkDelayMs: 20 }));
    const up = mistralAdapter.chat.buildRequest(chat(true), cfg());
    const res = await fetch(up.url, { method: up.method, headers: up.headers, body: up.body });
    let raw = '';
    const decoder = new TextDecoder();
    try {
      for await (const bytes of res.body!) raw += decoder.decode(bytes as Uint8Array, { stream: true });
    } catch {
      // the socket was destroyed mid-body: that is what a cut looks like to the client
    }
    expect(raw).toContain('data: ');
    const frames = raw.split('\n\n').filter((f) => f.startsWith('data: ')).map((f) => ({ data: f.slice('data: '.length) }));
    expect(frames.length).toBeLessThanOrEqual(3);
    const state = mistralAdapter.chat.stream.init(chat(true));
    const events = [...frames.flatMap((f) => mistralAdapter.chat.stream.step(state, f)), ...mistralAdapter.chat.stream.end(state)];
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status: 502 } });
  });

  it('the stream frames end with data: [DONE]', () => {
    expect(mistralStreamFrames({ text: 'x' }).at(-1)).toBe('data: [DONE]\n\n');
  });
});
