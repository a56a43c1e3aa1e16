/**
 * End to end: the `openai` SDK → the gateway's /v1/chat/completions → the Gemini adapter →
 * a loopback Gemini mock speaking the real wire format (test/mocks/gemini.ts).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { geminiDefaultHandler, geminiError, geminiResponse, geminiStream, geminiStreamChunks, startGeminiMock } from '../mocks/gemini.js';
import {
  IMAGE_HTTP_URL,
  JSON_SCHEMA_FORMAT,
  PNG_BASE64,
  PNG_DATA_URL,
  SECRETS,
  TIME_TOOL,
  WEATHER_TOOL,
  errorText,
  expectedNanos,
  gatewayFor,
  providerYaml,
  recordOf,
  usdHeader,
} from './helpers.js';

const MODEL = 'gemini/gemini-2.5-flash';
let mock: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startGeminiMock();
  ({ gw, client } = await gatewayFor(providerYaml('gemini', mock.url)));
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
beforeEach(() => mock.setHandler(geminiDefaultHandler));

const lastSent = () => mock.requests.at(-1)!;
const sse = (chunks: unknown[]): string[] => chunks.map((c) => `data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`);

async function stillServes(): Promise<void> {
  mock.setHandler(geminiDefaultHandler);
  const res = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'still alive' }] });
  expect(res.choices[0]?.message.content).toBe('still alive');
}

async function drain(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{ text: string; err: any }> {
  let text = '';
  try {
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    return { text, err: undefined };
  } catch (err) {
    return { text, err };
  }
}

describe('Gemini through the OpenAI surface: text', () => {
  it('non-stream: :generateContent with the key in x-goog-api-key; the echo comes back', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello gemini friend' },
      ],
      max_tokens: 64,
      temperature: 0.5,
    });
    expect(res.choices[0]?.message.content).toBe('hello gemini friend');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    const sent = lastSent();
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(SECRETS.gemini);
    expect(sent.path).not.toContain('key=');
    expect(sent.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hello gemini friend' }] }],
      generationConfig: { maxOutputTokens: 64, temperature: 0.5 },
    });
  });

  it('stream: :streamGenerateContent?alt=sse (no [DONE] upstream) assembles, and the client still gets [DONE]-terminated chunks', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'the quick brown fox jumps' }] }),
    });
    const raw = await res.text();
    expect(lastSent().path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(raw.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const text = raw
      .split('\n\n')
      .filter((f) => f.startsWith('data: {'))
      .map((f) => JSON.parse(f.slice(6)).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toBe('the quick brown fox jumps');

    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'one two three four' }], stream: true });
    const { text: viaSdk, err } = await drain(stream);
    expect(err).toBeUndefined();
    expect(viaSdk).toBe('one two three four');
  });
});

describe('Gemini: tool round trip', () => {
  it('functionCall → tool_calls with a minted id; the result goes back as functionResponse with the function name', async () => {
    mock.setHandler(() => geminiResponse({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] }));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL] });
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.id).toMatch(/^call_0_/);
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(lastSent().body.tools).toEqual([
      { functionDeclarations: [{ name: 'get_weather', description: 'Current weather for a city', parametersJsonSchema: WEATHER_TOOL.function.parameters }] },
    ]);

    mock.setHandler(() => geminiResponse({ text: 'It is 18°C in Paris.' }));
    messages.push(first.choices[0]!.message as OpenAI.ChatCompletionMessageParam);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '{"temp_c":18}' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL] });
    expect(second.choices[0]?.message.content).toBe('It is 18°C in Paris.');

    const contents = lastSent().body.contents;
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp_c: 18 } } }] },
    ]);
  });

  it('two parallel functionCalls in one stream chunk → two SDK tool calls; both responses go back in one user turn', async () => {
    mock.setHandler(() =>
      geminiStream({
        functionCalls: [
          { name: 'get_weather', args: { city: 'Paris' }, thoughtSignature: 'sig-W' },
          { name: 'get_time', args: { city: 'Rome' } },
        ],
      }),
    );
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and time in Rome?' }];
    const final = await client.chat.completions.stream({ model: MODEL, messages, tools: [WEATHER_TOOL, TIME_TOOL] }).finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = final.choices[0]!.message.tool_calls as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', { city: 'Rome' }],
    ]);
    expect(calls[0]!.id).toMatch(/^call_0_/);
    expect(calls[1]!.id).toMatch(/^call_1_/);
    expect(calls[0]!.id).not.toBe(calls[1]!.id);

    mock.setHandler(() => geminiStream({ text: 'Paris 18°C, Rome 14:05.' }));
    messages.push({ role: 'assistant', content: null, tool_calls: calls });
    messages.push({ role: 'tool', tool_call_id: calls[1]!.id, content: '14:05' });
    messages.push({ role: 'tool', tool_call_id: calls[0]!.id, content: '18°C' });
    const answer = await client.chat.completions.stream({ model: MODEL, messages, tools: [WEATHER_TOOL, TIME_TOOL] }).finalChatCompletion();
    expect(answer.choices[0]?.message.content).toBe('Paris 18°C, Rome 14:05.');

    const contents = lastSent().body.contents;
    expect(contents).toHaveLength(3);
    expect(contents[1].role).toBe('model');
    expect(contents[1].parts.map((p: any) => p.functionCall.name)).toEqual(['get_weather', 'get_time']);
    // Names follow the ids, whatever order the results come back in.
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'get_time', response: { result: '14:05' } } },
        { functionResponse: { name: 'get_weather', response: { result: '18°C' } } },
      ],
    });
  });
  it('Gemini 3: a function call replayed through the OpenAI surface still carries a thought signature (Gemini 3 answers 400 without one)', async () => {
    const model = 'gemini/gemini-3-flash-preview';
    mock.setHandler(() => geminiResponse({ functionCalls: [{ name: 'get_weather', args: { city: 'Oslo' }, thoughtSignature: 'CtkBAdHtim9real' }] }));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL] });
    const call = first.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;

    mock.setHandler(() => geminiResponse({ text: 'Cold.' }));
    messages.push(first.choices[0]!.message as OpenAI.ChatCompletionMessageParam);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '-3°C' });
    await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL] });
    const modelTurn = lastSent().body.contents[1];
    expect(modelTurn.parts[0].functionCall.name).toBe('get_weather');
    expect(typeof modelTurn.parts[0].thoughtSignature).toBe('string');
    expect(modelTurn.parts[0].thoughtSignature.length).toBeGreaterThan(0);
  });
});

describe('Gemini: images and JSON mode', () => {
  it('a data URL becomes inlineData, an http URL fileData', async () => {
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image_url', image_url: { url: PNG_DATA_URL } },
            { type: 'image_url', image_url: { url: IMAGE_HTTP_URL } },
          ],
        },
      ],
    });
    expect(lastSent().body.contents[0].parts).toEqual([
      { text: 'Compare these' },
      { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
      { fileData: { mimeType: 'image/jpeg', fileUri: IMAGE_HTTP_URL } },
    ]);
  });

  it('json_object → responseMimeType; json_schema → responseMimeType + responseJsonSchema', async () => {
    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'a city' }], response_format: { type: 'json_object' } });
    expect(lastSent().body.generationConfig).toEqual({ responseMimeType: 'application/json' });

    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'a city' }], response_format: JSON_SCHEMA_FORMAT });
    expect(lastSent().body.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: JSON_SCHEMA_FORMAT.json_schema.schema });
  });
});

describe('Gemini: usage and cost (gemini-2.5-flash: $0.30 in / $2.50 out per Mtok, thoughts at the output price)', () => {
  // Output = candidates 200 + thoughts 300 (candidatesTokenCount excludes thoughts).
  const nanos = expectedNanos([
    [1000, 0.3],
    [200, 2.5],
    [300, 2.5],
  ]);
  const usage = { promptTokenCount: 1000, candidatesTokenCount: 200, thoughtsTokenCount: 300 };

  it('hand-computed cost', () => expect(nanos).toBe(1_550_000));

  it('non-stream: tokens, reasoning tokens, usage.cost, header and record agree', async () => {
    mock.setHandler(() => geminiResponse({ text: 'priced', thoughts: 'thinking it over', usage }));
    const { data, response } = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'price me' }] }).withResponse();
    expect(data.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, completion_tokens_details: { reasoning_tokens: 300 } });
    expect((data.usage as any).cost).toBeCloseTo(nanos / 1e9, 12);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-flash', inputTokens: 1000, outputTokens: 500, reasoningTokens: 300, costNanos: nanos, estimated: false });
  });

  it('stream: the last cumulative usageMetadata wins; the usage chunk carries the cost', async () => {
    mock.setHandler(() => geminiStream({ text: 'priced stream text', thoughts: 'hmm', usage }));
    const { data: stream, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'price me' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let last: any;
    for await (const chunk of stream) if (chunk.usage) last = chunk.usage;
    expect(last).toMatchObject({ prompt_tokens: 1000, completion_tokens: 500, completion_tokens_details: { reasoning_tokens: 300 } });
    expect(last.cost).toBeCloseTo(nanos / 1e9, 12);
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ inputTokens: 1000, outputTokens: 500, costNanos: nanos, estimated: false });
  });
});

describe('Gemini: malformed upstream payloads', () => {
  it('truncated JSON in an SSE frame → SSE error → APIError; then the gateway still serves', async () => {
    const chunks = geminiStreamChunks({ text: 'one two three four five six' });
    const frames = sse(chunks);
    frames[1] = 'data: {"candidates":[{"content":{"parts":[{"text":" thr\n\n';
    mock.setHandler(() => ({ sse: frames }));
    const { text, err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(text).toBe('one two');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/gemini/i);
    expect(err.message).toMatch(/not valid JSON/);
    await stillServes();
  });

  it('unknown fields and part kinds are ignored', async () => {
    const chunks = geminiStreamChunks({ text: 'tolerant readers win' }) as any[];
    chunks[0].brandNewField = { x: 1 };
    chunks[0].candidates[0].content.parts.unshift({ executableCode: { language: 'PYTHON', code: 'print(1)' } });
    chunks[0].candidates[0].groundingMetadata = { webSearchQueries: ['q'] };
    mock.setHandler(() => ({ sse: sse(chunks) }));
    const final = await client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('tolerant readers win');
  });

  it('stream of chunks with empty candidates and no finishReason → a clear SSE error (cut short), no crash', async () => {
    mock.setHandler(() => ({
      sse: sse([
        { candidates: [], usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, modelVersion: 'gemini-2.5-flash', responseId: 'r1' },
        { usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, modelVersion: 'gemini-2.5-flash', responseId: 'r1' },
      ]),
    }));
    const { text, err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(text).toBe('');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/gemini/i);
    expect(err.message).toMatch(/finishReason|cut short/);
    await stillServes();
  });

  it('non-stream: empty candidates with a blockReason → an empty answer finishing content_filter (documented adapter decision)', async () => {
    mock.setHandler(() => geminiResponse({ blockReason: 'SAFETY', usage: { promptTokenCount: 7 } }));
    const res = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    expect(res.choices[0]?.finish_reason).toBe('content_filter');
    expect(res.choices[0]?.message.content ?? '').toBe('');
    expect(res.usage?.prompt_tokens).toBe(7);
  });

  it('non-stream: empty candidates and no block reason → a clear 502, and the gateway keeps serving', async () => {
    mock.setHandler(() => ({ json: { candidates: [], usageMetadata: { promptTokenCount: 3 } } }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/no candidates/);
    await stillServes();
  });

  it('an error object inside a 200 stream → SSE error → APIError', async () => {
    const chunks = geminiStreamChunks({ text: 'a b c d e f' });
    mock.setHandler(() => ({
      sse: sse([chunks[0], { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }]),
    }));
    const { err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/overloaded/);
    await stillServes();
  });

  it('non-stream: a body that is not JSON → 502 OpenAI envelope', async () => {
    mock.setHandler(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"candidates":[{"content":' }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.error).toMatchObject({ type: 'api_error', code: 'upstream_malformed' });
    await stillServes();
  });
});

describe('Gemini: upstream HTTP errors', () => {
  it('400 API_KEY_INVALID → 502 (the gateway key, not the client), secret never shown', async () => {
    mock.setHandler(() => geminiError(400, 'INVALID_ARGUMENT', `API key not valid: ${SECRETS.gemini}. Please pass a valid API key.`, { reason: 'API_KEY_INVALID' }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/gemini/);
    expect(errorText(err)).not.toContain(SECRETS.gemini);
  });

  it('an in-stream error quoting the key reaches the client without it', async () => {
    const chunks = geminiStreamChunks({ text: 'a b c d e f' });
    mock.setHandler(() => ({ sse: sse([chunks[0], { error: { code: 400, message: `API key ${SECRETS.gemini} expired.`, status: 'INVALID_ARGUMENT' } }]) }));
    const { err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/expired/);
    expect(errorText(err)).not.toContain(SECRETS.gemini);
  });

  it('429 RESOURCE_EXHAUSTED with RetryInfo → 429 with retry-after', async () => {
    mock.setHandler(() => geminiError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', { retryDelay: '23s' }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(429);
    expect(err.headers.get('retry-after')).toBe('23');
  });

  it('503 UNAVAILABLE on a stream request → 503 before the stream starts', async () => {
    mock.setHandler(() => geminiError(503, 'UNAVAILABLE', 'The model is overloaded.'));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }).catch((e) => e);
    expect(err.status).toBe(503);
    await stillServes();
  });
});
