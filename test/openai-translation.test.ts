/**
 * `/v1/chat/completions` in front of non-OpenAI upstreams (the translation path): whatever the
 * upstream dialect, every body and chunk the openai SDK receives validates against OpenAI's
 * OpenAPI schemas, text / tool calls / reasoning / usage included. (Content and cost per provider
 * are covered in test/native/; this file is about the OpenAI wire shape.)
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { anthropicStream, defaultAnthropicHandler, startAnthropicMock } from './mocks/anthropic.js';
import { geminiDefaultHandler, geminiStream, startGeminiMock } from './mocks/gemini.js';
import type { HttpMock } from './mocks/http-mock.js';
import { MISTRAL_MOCK_KEY, defaultMistralHandler, mistralStream, startMistralMock } from './mocks/mistral.js';
import { createCheckingFetch } from './openapi/validate.js';

let mocks: Record<'anthropic' | 'gemini' | 'mistral', HttpMock>;
let gw: TestGateway;
let client: OpenAI;
const checker = createCheckingFetch();

beforeAll(async () => {
  mocks = { anthropic: await startAnthropicMock(), gemini: await startGeminiMock(), mistral: await startMistralMock() };
  gw = await startGateway(`
providers:
  anthropic: { type: anthropic, api_key: "sk-ant-test-secret-1", base_url: "${mocks.anthropic.url}" }
  gemini:    { type: gemini, api_key: "AIzaTestSecret000000000000000", base_url: "${mocks.gemini.url}" }
  mistral:   { type: mistral, api_key: "${MISTRAL_MOCK_KEY}", base_url: "${mocks.mistral.url}" }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'tollgate-test', maxRetries: 0, fetch: checker.fetch });
});
afterAll(async () => {
  await gw?.close();
  for (const m of Object.values(mocks ?? {})) await m.close();
});
afterEach(() => {
  mocks.anthropic.setHandler(defaultAnthropicHandler);
  mocks.gemini.setHandler(geminiDefaultHandler);
  mocks.mistral.setHandler(defaultMistralHandler);
  checker.assertClean();
});

const MODELS = ['anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'mistral/mistral-small-latest'] as const;
const weather = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

describe.each(MODELS)('%s behind /v1/chat/completions', (model) => {
  it('non-stream: a chat.completion OpenAI’s schema accepts, usage with cost', async () => {
    const res = await client.chat.completions.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'echo these words' }] });
    expect(res.choices[0]?.message.content).toBe('echo these words');
    expect((res.usage as any).cost).toBeTypeOf('number');
    expect(checker.checked.CreateChatCompletionResponse).toBeGreaterThan(0);
  });

  it('stream with include_usage: every chunk schema-valid, text assembled, usage chunk last', async () => {
    const stream = await client.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'one two three' }] });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: expect.any(Number), cost: expect.any(Number) });
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0]?.finish_reason)).toEqual(['stop']);
  });

  it('streamed tool call: schema-valid fragments the SDK reassembles', async () => {
    mocks.anthropic.setHandler(() => anthropicStream({ toolUses: [{ id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }] }));
    mocks.gemini.setHandler(() => geminiStream({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] }));
    mocks.mistral.setHandler(() => mistralStream({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }));
    const final = await client.chat.completions.stream({ model, tools: weather, messages: [{ role: 'user', content: 'weather in Paris?' }] }).finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });
});
