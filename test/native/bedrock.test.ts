/**
 * The Bedrock dialect end to end: the `openai` SDK (and, last, `@anthropic-ai/sdk` on /v1/messages) → the gateway → the
 * Converse adapter, SigV4-signed → a loopback Bedrock mock that recomputes the signature with
 * its own copy of the secret (test/mocks/bedrock.ts, proven by AWS's SDK). Costs are computed
 * by hand from Bedrock's published prices for Claude Sonnet 4.5 ($3 in, $15 out, $0.30 cache
 * read, $3.75 cache write per Mtok), configured under `pricing:`.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import { BEDROCK_MOCK_CREDENTIALS, BEDROCK_MOCK_REGION, bedrockError, bedrockMockEmbedding, bedrockMockHandler, bedrockResponse, bedrockStream, startBedrockMock } from '../mocks/bedrock.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { WEATHER_TOOL, checkEveryResponse, drain, errorText, expectedNanos, gatewayFor, recordOf, usdHeader } from './helpers.js';

const UPSTREAM_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const MODEL = `bedrock/${UPSTREAM_MODEL}`;
const TITAN = 'amazon.titan-embed-text-v2:0';
const PRICES = '{ input_per_mtok_usd: 3, output_per_mtok_usd: 15, cached_input_per_mtok_usd: 0.3, cache_write_per_mtok_usd: 3.75, source: "aws.amazon.com/bedrock/pricing", as_of: 2026-12-01 }';
let mock: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startBedrockMock();
  const { accessKeyId, secretAccessKey } = BEDROCK_MOCK_CREDENTIALS;
  ({ gw, client } = await gatewayFor(`providers:
  bedrock: { type: bedrock, base_url: "${mock.url}", region: ${BEDROCK_MOCK_REGION}, access_key_id: ${accessKeyId}, secret_access_key: "${secretAccessKey}" }
pricing:
  "${MODEL}": ${PRICES}
  "bedrock/${TITAN}": { input_per_mtok_usd: 0.02, output_per_mtok_usd: 0, mode: embedding, source: "aws.amazon.com/bedrock/pricing", as_of: 2026-12-01 }
`));
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
checkEveryResponse();
beforeEach(() => mock.setHandler(bedrockMockHandler()));

const lastSent = () => mock.requests.at(-1)!;

describe('Bedrock: text', () => {
  it('answers through a SigV4-signed Converse call and bills the usage at the configured prices', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockResponse({ text: 'Bonjour !', usage: { inputTokens: 12, outputTokens: 4 } })));
    const { data, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'Hello' }], max_tokens: 50, stop: ['END'] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('Bonjour !');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 });
    const sent = lastSent();
    expect(sent.path).toBe(`/model/${encodeURIComponent(UPSTREAM_MODEL)}/converse`);
    expect(sent.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${BEDROCK_MOCK_CREDENTIALS.accessKeyId}/\\d{8}/${BEDROCK_MOCK_REGION}/bedrock/aws4_request`));
    expect(sent.body).toEqual({
      system: [{ text: 'Answer in French.' }],
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      inferenceConfig: { maxTokens: 50, stopSequences: ['END'] },
    });
    const expected = expectedNanos([
      [12, 3],
      [4, 15],
    ]);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(expected));
    expect((await recordOf(gw, response.headers.get('x-request-id'))).costNanos).toBe(expected);
  });

  it('prices cache reads and writes at their own rates', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockResponse({ text: 'cached', usage: { inputTokens: 100, outputTokens: 50, cacheReadInputTokens: 2000, cacheWriteInputTokens: 400 } })));
    const { data, response } = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'cache me' }] }).withResponse();
    expect(data.usage).toMatchObject({ prompt_tokens: 2500, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 2000 } });
    const expected = expectedNanos([
      [100, 3],
      [2000, 0.3],
      [400, 3.75],
      [50, 15],
    ]);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(expected));
  });
});

describe('Bedrock: tool round trip', () => {
  it('a toolUse becomes an OpenAI tool call; its result goes back as a toolResult in the next user turn', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockResponse({ toolUses: [{ id: 'tooluse_Paris1', name: 'get_weather', input: { city: 'Paris' } }], usage: { inputTokens: 30, outputTokens: 12 } })));
    const first = await client.chat.completions.create({ model: MODEL, tools: [WEATHER_TOOL], tool_choice: 'required', messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'tooluse_Paris1', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse((call as any).function.arguments)).toEqual({ city: 'Paris' });
    expect(lastSent().body.toolConfig).toMatchObject({ tools: [{ toolSpec: { name: 'get_weather' } }], toolChoice: { any: {} } });

    mock.setHandler(bedrockMockHandler(() => bedrockResponse({ text: 'It is 18°C in Paris.' })));
    const second = await client.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Weather in Paris?' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '18°C, sunny' }],
    });
    expect(second.choices[0]!.message.content).toBe('It is 18°C in Paris.');
    expect(lastSent().body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_Paris1', name: 'get_weather', input: { city: 'Paris' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_Paris1', content: [{ text: '18°C, sunny' }] } }] },
    ]);
  });
});

describe('Bedrock: errors and refusals', () => {
  it('ThrottlingException → 429; ModelNotReadyException → 503; neither leaks the AWS secret', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { 'retry-after': '2' })));
    const throttled = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    mock.setHandler(bedrockMockHandler(() => bedrockError(429, 'ModelNotReadyException', 'Model is not ready for inference.')));
    const notReady = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(notReady.status).toBe(503);
    for (const e of [throttled, notReady]) expect(errorText(e)).not.toContain(BEDROCK_MOCK_CREDENTIALS.secretAccessKey);
  });

  it('a configured AWS secret echoed in an upstream error is scrubbed before the client sees it', async () => {
    const { secretAccessKey } = BEDROCK_MOCK_CREDENTIALS;
    mock.setHandler(bedrockMockHandler(() => bedrockError(400, 'ValidationException', `bad request signed with ${secretAccessKey}`)));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(400);
    expect(errorText(err)).toContain('bad request signed with');
    expect(errorText(err)).not.toContain(secretAccessKey);
  });
});

describe('Bedrock: streams (ConverseStream, binary event stream)', () => {
  it('text arrives as OpenAI chunks with the usage chunk and the cost of the metadata event', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockStream({ text: 'one two three', usage: { inputTokens: 9, outputTokens: 3 } })));
    const { data: stream, response } = await client.chat.completions
      .create({ model: MODEL, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count' }] })
      .withResponse();
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('one two three');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 3 });
    expect(lastSent().path).toBe(`/model/${encodeURIComponent(UPSTREAM_MODEL)}/converse-stream`);
    const expected = expectedNanos([
      [9, 3],
      [3, 15],
    ]);
    expect((await recordOf(gw, response.headers.get('x-request-id'))).costNanos).toBe(expected);
  });

  it('a streamed tool call arrives whole, its input deltas joined', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockStream({ toolUses: [{ id: 'tooluse_S1', name: 'get_weather', input: { city: 'Oslo' } }] })));
    const stream = await client.chat.completions.create({ model: MODEL, stream: true, tools: [WEATHER_TOOL], messages: [{ role: 'user', content: 'Weather?' }] });
    let args = '';
    let id: string | undefined;
    let finish: string | null | undefined;
    for await (const c of stream) {
      const tc = c.choices[0]?.delta.tool_calls?.[0];
      id ??= tc?.id;
      args += tc?.function?.arguments ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect(id).toBe('tooluse_S1');
    expect(JSON.parse(args)).toEqual({ city: 'Oslo' });
    expect(finish).toBe('tool_calls');
  });

  it('a mid-stream throttlingException ends the stream with an error', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockStream({ text: 'a b c d' }, { exceptionAfter: { messages: 3, type: 'throttlingException', message: 'Too many tokens' } })));
    const stream = await client.chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: 'x' }] });
    const { text, err } = await drain(stream);
    expect(text).toBe('a b ');
    expect(errorText(err)).toMatch(/ThrottlingException: Too many tokens/);
  });
});

describe('Bedrock through the Anthropic SDK (/v1/messages)', () => {
  const claude = () => new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });

  it('text: system and max_tokens reach Converse; usage comes back in Anthropic\'s terms', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockResponse({ text: 'Hallo!', usage: { inputTokens: 11, outputTokens: 2, cacheReadInputTokens: 5 } })));
    const msg = await claude().messages.create({ model: MODEL, max_tokens: 64, system: 'German only.', messages: [{ role: 'user', content: 'Hello' }] });
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hallo!' })]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 11, output_tokens: 2, cache_read_input_tokens: 5 });
    expect(lastSent().body).toMatchObject({ system: [{ text: 'German only.' }], inferenceConfig: { maxTokens: 64 } });
  });

  it('tool round trip: tool_use from Converse toolUse, tool_result back as toolResult', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockResponse({ toolUses: [{ id: 'tooluse_A1', name: 'get_weather', input: { city: 'Rome' } }] })));
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
    const first = await claude().messages.create({ model: MODEL, max_tokens: 64, tools, messages: [{ role: 'user', content: 'Weather in Rome?' }] });
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([expect.objectContaining({ type: 'tool_use', id: 'tooluse_A1', name: 'get_weather', input: { city: 'Rome' } })]);
    mock.setHandler(bedrockMockHandler(() => bedrockResponse({ text: 'Warm.' })));
    await claude().messages.create({
      model: MODEL,
      max_tokens: 64,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tooluse_A1', content: '25°C' }] },
      ],
    });
    expect(lastSent().body.messages[2]).toEqual({ role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_A1', content: [{ text: '25°C' }] } }] });
  });

  it('stream: text deltas and the final usage', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockStream({ text: 'ciao a tutti', usage: { inputTokens: 6, outputTokens: 3 } })));
    const stream = claude().messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'ciao a tutti' })]);
    expect(final.usage).toMatchObject({ output_tokens: 3 });
  });
});


describe('Bedrock embeddings through the OpenAI SDK (/v1/embeddings → InvokeModel)', () => {
  it('Titan v2: one text, SigV4-signed InvokeModel, dimensions passed, its token count billed at $0.02/Mtok', async () => {
    const { data, response } = await client.embeddings.create({ model: `bedrock/${TITAN}`, input: 'the quick brown fox', dimensions: 4, encoding_format: 'float' }).withResponse();
    expect(data.data[0]!.embedding).toEqual(bedrockMockEmbedding('the quick brown fox', 4));
    expect(data.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    const sent = lastSent();
    expect(sent.path).toBe(`/model/${encodeURIComponent(TITAN)}/invoke`);
    expect(sent.body).toEqual({ inputText: 'the quick brown fox', dimensions: 4, normalize: true });
    expect(sent.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${BEDROCK_MOCK_CREDENTIALS.accessKeyId}/\\d{8}/${BEDROCK_MOCK_REGION}/bedrock/aws4_request`));
    // 4 tokens × $0.02/Mtok = 0.08 µ$ = 80 n$.
    const nanos = expectedNanos([[4, 0.02]]);
    expect(nanos).toBe(80);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    expect(await recordOf(gw, response.headers.get('x-request-id'))).toMatchObject({ provider: 'bedrock', model: TITAN, inputTokens: 4, costNanos: nanos, estimated: false });
  });

  it('Titan with several inputs is a 400 that says why, and nothing is sent', async () => {
    const before = mock.requests.length;
    const err = await client.embeddings.create({ model: `bedrock/${TITAN}`, input: ['a', 'b'], encoding_format: 'float' }).catch((e: any) => e);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/one text per request/);
    expect(mock.requests.length).toBe(before);
  });

  it('Cohere Embed on Bedrock: texts with input_type, vectors in order, tokens counted by the gateway (Bedrock names none)', async () => {
    const res = await client.embeddings.create({ model: 'bedrock/cohere.embed-english-v3', input: ['alpha beta', 'gamma'], encoding_format: 'float' });
    expect(res.data.map((d) => d.embedding)).toEqual([bedrockMockEmbedding('search_document:alpha beta'), bedrockMockEmbedding('search_document:gamma')]);
    expect(lastSent().body).toEqual({ texts: ['alpha beta', 'gamma'], input_type: 'search_document' });
    expect((res.usage as any).prompt_tokens).toBeGreaterThan(0);
  });
});
