/**
 * End to end: the `openai` SDK → the gateway's /v1/chat/completions → the Mistral adapter →
 * a loopback Mistral mock speaking the real wire format (test/mocks/mistral.ts).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import {
  mistralError,
  mistralMockHandler,
  mistralResponse,
  mistralStream,
  mistralStreamChunks,
  mistralUnauthorized,
  startMistralMock,
} from '../mocks/mistral.js';
import {
  IMAGE_HTTP_URL,
  JSON_SCHEMA_FORMAT,
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

const MODEL = 'mistral/mistral-large-latest';
const NINE = /^[a-zA-Z0-9]{9}$/;
const defaultHandler = mistralMockHandler(SECRETS.mistral);
let mock: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMistralMock(defaultHandler);
  ({ gw, client } = await gatewayFor(providerYaml('mistral', mock.url)));
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
beforeEach(() => mock.setHandler(defaultHandler));

const lastSent = () => mock.requests.at(-1)!;
const sse = (chunks: unknown[]): string[] => [...chunks.map((c) => `data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];

async function stillServes(): Promise<void> {
  mock.setHandler(defaultHandler);
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

describe('Mistral through the OpenAI surface: text', () => {
  it('non-stream: Bearer key, seed → random_seed, the echo comes back', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello mistral friend' },
      ],
      seed: 42,
      max_tokens: 30,
    });
    expect(res.choices[0]?.message.content).toBe('hello mistral friend');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    const sent = lastSent();
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRETS.mistral}`);
    expect(sent.body).toMatchObject({
      model: 'mistral-large-latest',
      random_seed: 42,
      max_tokens: 30,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello mistral friend' },
      ],
    });
    expect(sent.body.seed).toBeUndefined();
  });

  it('stream: assembles; stream_options is never sent upstream, yet the client gets its usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'one two three four five' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: any;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('one two three four five');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 5 });
    expect(lastSent().body.stream).toBe(true);
    expect(lastSent().body.stream_options).toBeUndefined();
  });
});

describe('Mistral: tool round trip', () => {
  it('tool_calls without `type` come back typed; the tool message carries the same 9-char id as the assistant call', async () => {
    mock.setHandler(() => mistralResponse({ toolCalls: [{ id: 'gSIMJiOkT', name: 'get_weather', arguments: { city: 'Paris' } }] }));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL] });
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call).toMatchObject({ id: 'gSIMJiOkT', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });

    mock.setHandler(() => mistralResponse({ text: 'It is 18°C in Paris.' }));
    messages.push(first.choices[0]!.message as OpenAI.ChatCompletionMessageParam);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '18°C' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL] });
    expect(second.choices[0]?.message.content).toBe('It is 18°C in Paris.');

    const sent = lastSent().body.messages;
    expect(sent).toHaveLength(3);
    expect(sent[1].role).toBe('assistant');
    expect(sent[1].tool_calls).toEqual([{ id: 'gSIMJiOkT', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
    expect(sent[2]).toMatchObject({ role: 'tool', tool_call_id: 'gSIMJiOkT', name: 'get_weather', content: '18°C' });
  });

  it('foreign ids (call_…) from an earlier OpenAI turn are rewritten to 9 chars, the same on the call and its result', async () => {
    mock.setHandler(() => mistralResponse({ text: 'done' }));
    await client.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_AbCdEfGhIjKlMnOpQrStUvWx', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_AbCdEfGhIjKlMnOpQrStUvWx', content: '-3°C' },
      ],
    });
    const sent = lastSent().body.messages;
    const id = sent[1].tool_calls[0].id;
    expect(id).toMatch(NINE);
    expect(sent[2].tool_call_id).toBe(id);
  });

  it('two parallel tool calls (sent whole on the finish chunk) assemble in the SDK; two tool messages go back', async () => {
    mock.setHandler(() =>
      mistralStream({
        toolCalls: [
          { id: 'AAAAAAAA1', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'BBBBBBBB2', name: 'get_time', arguments: { city: 'Rome' } },
        ],
      }),
    );
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and time in Rome?' }];
    const final = await client.chat.completions.stream({ model: MODEL, messages, tools: [WEATHER_TOOL, TIME_TOOL] }).finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = final.choices[0]!.message.tool_calls as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((c) => [c.id, c.type, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['AAAAAAAA1', 'function', 'get_weather', { city: 'Paris' }],
      ['BBBBBBBB2', 'function', 'get_time', { city: 'Rome' }],
    ]);

    mock.setHandler(() => mistralStream({ text: 'Paris 18°C, Rome 14:05.' }));
    messages.push({ role: 'assistant', content: null, tool_calls: calls });
    messages.push({ role: 'tool', tool_call_id: 'AAAAAAAA1', content: '18°C' });
    messages.push({ role: 'tool', tool_call_id: 'BBBBBBBB2', content: '14:05' });
    const answer = await client.chat.completions.stream({ model: MODEL, messages, tools: [WEATHER_TOOL, TIME_TOOL] }).finalChatCompletion();
    expect(answer.choices[0]?.message.content).toBe('Paris 18°C, Rome 14:05.');

    const sent = lastSent().body.messages;
    expect(sent.map((m: any) => [m.role, m.tool_call_id ?? m.tool_calls?.map((c: any) => c.id).join(',') ?? null])).toEqual([
      ['user', null],
      ['assistant', 'AAAAAAAA1,BBBBBBBB2'],
      ['tool', 'AAAAAAAA1'],
      ['tool', 'BBBBBBBB2'],
    ]);
  });
});

describe('Mistral: role order', () => {
  it('a user turn right after tool results gets an assistant turn between them (Mistral 400s "Unexpected role \'user\' after role \'tool\'")', async () => {
    mock.setHandler(() => mistralResponse({ text: 'ok' }));
    await client.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'gSIMJiOkT', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'gSIMJiOkT', content: '-3°C' },
        { role: 'user', content: 'Actually, what about Rome?' },
      ],
    });
    const roles: string[] = lastSent().body.messages.map((m: any) => m.role);
    for (let i = 1; i < roles.length; i++) if (roles[i] === 'user') expect(roles[i - 1]).not.toBe('tool');
    expect(roles[0]).toBe('user');
    expect(roles.at(-1)).toBe('user');
    expect(lastSent().body.messages.at(-1).content).toBe('Actually, what about Rome?');
    // Every assistant turn has content or tool calls (Mistral refuses one with neither).
    for (const m of lastSent().body.messages) if (m.role === 'assistant') expect(Boolean(m.content) || Boolean(m.tool_calls?.length)).toBe(true);
  });
});

describe('Mistral: images and JSON mode', () => {
  it('image_url parts go up with the URL as a bare string (data URL and http URL)', async () => {
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'low' } },
            { type: 'image_url', image_url: { url: IMAGE_HTTP_URL } },
          ],
        },
      ],
    });
    expect(lastSent().body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these' },
      { type: 'image_url', image_url: PNG_DATA_URL },
      { type: 'image_url', image_url: IMAGE_HTTP_URL },
    ]);
  });

  it('json_object and json_schema go up as Mistral response_format', async () => {
    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'a city' }], response_format: { type: 'json_object' } });
    expect(lastSent().body.response_format).toEqual({ type: 'json_object' });

    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'a city' }], response_format: JSON_SCHEMA_FORMAT });
    expect(lastSent().body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'city', schema: JSON_SCHEMA_FORMAT.json_schema.schema, strict: true },
    });
  });
});

describe('Mistral: usage and cost (mistral-large-latest: $2 in / $6 out per Mtok)', () => {
  const nanos = expectedNanos([
    [1500, 2],
    [400, 6],
  ]);
  const usage = { prompt_tokens: 1500, completion_tokens: 400 };

  it('hand-computed cost', () => expect(nanos).toBe(5_400_000));

  it('non-stream: tokens, usage.cost, header and record agree', async () => {
    mock.setHandler(() => mistralResponse({ text: 'priced', usage }));
    const { data, response } = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'price me' }] }).withResponse();
    expect(data.usage).toMatchObject({ prompt_tokens: 1500, completion_tokens: 400, total_tokens: 1900 });
    expect((data.usage as any).cost).toBeCloseTo(nanos / 1e9, 12);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ provider: 'mistral', model: 'mistral-large-latest', inputTokens: 1500, outputTokens: 400, costNanos: nanos, estimated: false });
  });

  it('stream: usage read off the finish chunk, priced, sent in the usage chunk', async () => {
    mock.setHandler(() => mistralStream({ text: 'priced stream', usage }));
    const { data: stream, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'price me' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let last: any;
    for await (const chunk of stream) if (chunk.usage) last = chunk.usage;
    expect(last).toMatchObject({ prompt_tokens: 1500, completion_tokens: 400 });
    expect(last.cost).toBeCloseTo(nanos / 1e9, 12);
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ inputTokens: 1500, outputTokens: 400, costNanos: nanos, estimated: false });
  });
});

describe('Mistral: malformed upstream payloads', () => {
  it('truncated JSON in an SSE frame → SSE error → APIError; then the gateway still serves', async () => {
    const chunks: unknown[] = mistralStreamChunks({ text: 'one two three four' });
    chunks[2] = '{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tw';
    mock.setHandler(() => ({ sse: sse(chunks) }));
    const { text, err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(text).toBe('one ');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/mistral/i);
    await stillServes();
  });

  it('unknown fields and frames are ignored', async () => {
    const chunks: any[] = mistralStreamChunks({ text: 'tolerant readers win' });
    chunks[1].brand_new = { x: 1 };
    chunks.splice(2, 0, { id: 'x', object: 'chat.completion.chunk', choices: [], p: 'abcdef' });
    mock.setHandler(() => ({ sse: sse(chunks) }));
    const final = await client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('tolerant readers win');
  });

  it('a stream cut before [DONE] and before a finish_reason → SSE error, not a silent end', async () => {
    mock.setHandler(() => mistralStream({ text: 'one two three four five six' }, { cutAfter: 3, chunkDelayMs: 5 }));
    const { text, err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(text).toBe('one two ');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    await stillServes();
  });

  it('an error object inside a 200 stream → SSE error → APIError', async () => {
    const chunks: unknown[] = mistralStreamChunks({ text: 'a b c' }).slice(0, 2);
    chunks.push({ object: 'error', message: 'Service unavailable, please retry', type: 'service_unavailable', code: '3505' });
    mock.setHandler(() => ({ sse: sse(chunks) }));
    const { err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/unavailable/i);
    await stillServes();
  });

  it('non-stream: a body that is not JSON → 502 OpenAI envelope', async () => {
    mock.setHandler(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '<html>upstream proxy</html>' }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.error).toMatchObject({ type: 'api_error', code: 'upstream_malformed' });
    await stillServes();
  });
});

describe('Mistral: upstream HTTP errors', () => {
  it('401 {"detail":"Unauthorized"} → 502, no secret in the message', async () => {
    mock.setHandler(() => mistralUnauthorized());
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/mistral/);
    expect(errorText(err)).not.toContain(SECRETS.mistral);
  });

  it('an upstream message that quotes the key is redacted', async () => {
    mock.setHandler(() => mistralError(401, `Invalid API key ${SECRETS.mistral}`, 'authentication_error'));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(errorText(err)).not.toContain(SECRETS.mistral);
  });

  it('an in-stream error quoting the key reaches the client without it', async () => {
    const chunks: unknown[] = mistralStreamChunks({ text: 'a b c' }).slice(0, 2);
    chunks.push({ object: 'error', message: `key ${SECRETS.mistral} is over quota`, type: 'invalid_request_error', code: '3505' });
    mock.setHandler(() => ({ sse: sse(chunks) }));
    const { err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/over quota/);
    expect(errorText(err)).not.toContain(SECRETS.mistral);
  });

  it('429 keeps retry-after', async () => {
    mock.setHandler(() => mistralError(429, 'Requests rate limit exceeded', 'rate_limited', '1300', { 'retry-after': '9' }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(429);
    expect(err.headers.get('retry-after')).toBe('9');
  });
});
