/**
 * Proves the OpenAI mock speaks the wire format: the official `openai` SDK talks to it, and
 * every body and chunk it receives validates against OpenAI's OpenAPI schemas.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCheckingFetch } from '../openapi/validate.js';
import type { HttpMock } from './http-mock.js';
import { defaultOpenAIHandler, openaiFixtureFrames, openaiStream, startOpenAIMock } from './openai.js';

let mock: HttpMock;
let client: OpenAI;
const checker = createCheckingFetch();

beforeAll(async () => {
  mock = await startOpenAIMock();
  client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-mock', maxRetries: 0, fetch: checker.fetch });
});
afterAll(() => mock.close());
afterEach(() => {
  mock.setHandler(defaultOpenAIHandler);
  checker.assertClean();
});

describe('OpenAI mock, driven by the openai SDK', () => {
  it('chat.completions.create: echoes the last user text with word-count usage', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello there world' }] });
    expect(res.choices[0]?.message.content).toBe('hello there world');
    expect(res.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    expect(mock.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-mock' } });
  });

  it('stream: deltas assemble the text; the usage chunk comes only with include_usage', async () => {
    for (const include of [true, false]) {
      const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, ...(include && { stream_options: { include_usage: true } }), messages: [{ role: 'user', content: 'one two three' }] });
      let text = '';
      let usage: unknown = null;
      for await (const c of stream) {
        text += c.choices[0]?.delta.content ?? '';
        if (c.usage) usage = c.usage;
      }
      expect(text).toBe('one two three');
      expect(usage === null).toBe(!include);
    }
    expect(checker.checked.CreateChatCompletionStreamResponse).toBeGreaterThan(8);
  });

  it('replays the recorded parallel tool-call stream; the SDK reassembles both calls', async () => {
    mock.setHandler(() => openaiStream({ frames: openaiFixtureFrames('openai-stream-parallel-tool-calls.sse') }));
    const final = await client.chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => c.type === 'function' && c.function.name)).toEqual(['GetWeatherArgs', 'get_stock_price']);
    expect(calls.map((c) => c.type === 'function' && JSON.parse(c.function.arguments))).toEqual([
      { city: 'Edinburgh', country: 'UK', units: 'c' },
      { ticker: 'AAPL', exchange: 'NASDAQ' },
    ]);
  });

  it('embeddings, legacy completions and the model list', async () => {
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a b', 'c'], encoding_format: 'float' });
    expect(emb.data.map((d) => d.embedding.length)).toEqual([4, 4]);
    expect(emb.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    const cmpl = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'say this' });
    expect(cmpl.choices[0]?.text).toBe('say this');
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-4o']);
    expect(checker.checked).toMatchObject({ CreateEmbeddingResponse: 1, CreateCompletionResponse: 1, ListModelsResponse: 1 });
  });

  it('401 in OpenAI’s envelope without a Bearer key', async () => {
    const res = await fetch(`${mock.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
  });
});
