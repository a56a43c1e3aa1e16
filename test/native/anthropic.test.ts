/**
 * End to end: the `openai` SDK → the gateway's /v1/chat/completions → the Anthropic adapter →
 * a loopback Anthropic mock speaking the real wire format (test/mocks/anthropic.ts). What the
 * mock RECEIVED is asserted as Anthropic wire shape; what the SDK got back as OpenAI's.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import {
  anthropicError,
  anthropicMessage,
  anthropicStream,
  anthropicStreamErrorFrame,
  anthropicStreamFrames,
  defaultAnthropicHandler,
  startAnthropicMock,
} from '../mocks/anthropic.js';
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

const MODEL = 'anthropic/claude-sonnet-4-5';
let mock: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startAnthropicMock();
  ({ gw, client } = await gatewayFor(providerYaml('anthropic', mock.url)));
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
beforeEach(() => mock.setHandler(defaultAnthropicHandler));

const lastSent = () => mock.requests.at(-1)!;

/** Good request right after a failure: the gateway keeps serving. */
async function stillServes(): Promise<void> {
  mock.setHandler(defaultAnthropicHandler);
  const res = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'still alive' }] });
  expect(res.choices[0]?.message.content).toBe('still alive');
}

describe('Anthropic through the OpenAI surface: text', () => {
  it('non-stream: the echo comes back as an OpenAI chat completion; the mock got a Messages body with the key', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello from openai sdk' },
      ],
      max_tokens: 50,
    });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'hello from openai sdk' });
    expect(res.choices[0]?.finish_reason).toBe('stop');
    const sent = lastSent();
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(SECRETS.anthropic);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello from openai sdk' }] }],
    });
    expect(JSON.stringify(sent.body.system)).toContain('Be brief.');
    expect(sent.body.stream).toBeUndefined();
  });

  it('stream: text deltas assemble to the answer, finish_reason stop', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'one two three four five' }],
      stream: true,
    });
    let text = '';
    const finishes: string[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      const f = chunk.choices[0]?.finish_reason;
      if (f) finishes.push(f);
    }
    expect(text).toBe('one two three four five');
    expect(finishes).toEqual(['stop']);
    expect(lastSent().body.stream).toBe(true);
  });
});

describe('Anthropic: tool round trip', () => {
  it('tool_use → tool_calls; the tool result goes back as tool_result in a user turn with the same tool_use_id', async () => {
    mock.setHandler(() => anthropicMessage({ toolUses: [{ id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] }));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL] });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'toolu_01A', type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse((call as any).function.arguments)).toEqual({ city: 'Paris' });
    // The tool definition went up as an Anthropic tool.
    expect(lastSent().body.tools).toEqual([
      { name: 'get_weather', description: 'Current weather for a city', input_schema: WEATHER_TOOL.function.parameters },
    ]);

    mock.setHandler(() => anthropicMessage({ text: 'It is 18°C in Paris.' }));
    messages.push(first.choices[0]!.message as OpenAI.ChatCompletionMessageParam);
    messages.push({ role: 'tool', tool_call_id: 'toolu_01A', content: '18°C, sunny' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL] });
    expect(second.choices[0]?.message.content).toBe('It is 18°C in Paris.');

    const sent = lastSent().body.messages;
    expect(sent).toHaveLength(3);
    expect(sent[1]).toMatchObject({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] });
    expect(sent[2].role).toBe('user');
    expect(sent[2].content).toHaveLength(1);
    expect(sent[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_01A' });
    expect(JSON.stringify(sent[2].content[0].content)).toContain('18°C, sunny');
  });

  it('two parallel tool calls in one stream assemble in the SDK; both results go back in ONE user turn', async () => {
    mock.setHandler(() =>
      anthropicStream(
        {
          text: 'Checking both.',
          toolUses: [
            { id: 'toolu_W', name: 'get_weather', input: { city: 'Paris', unit: 'c' } },
            { id: 'toolu_T', name: 'get_time', input: { city: 'Rome' } },
          ],
        },
        { splitJson: 5 },
      ),
    );
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and time in Rome?' }];
    const final = await client.chat.completions
      .stream({ model: MODEL, messages, tools: [WEATHER_TOOL, TIME_TOOL] })
      .finalChatCompletion();
    const msg = final.choices[0]!.message;
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(msg.content).toBe('Checking both.');
    const calls = (msg.tool_calls ?? []) as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['toolu_W', 'get_weather', { city: 'Paris', unit: 'c' }],
      ['toolu_T', 'get_time', { city: 'Rome' }],
    ]);

    mock.setHandler(() => anthropicStream({ text: 'Paris 18°C, Rome 14:05.' }));
    messages.push({ role: 'assistant', content: msg.content, tool_calls: calls });
    messages.push({ role: 'tool', tool_call_id: 'toolu_W', content: '18°C' });
    messages.push({ role: 'tool', tool_call_id: 'toolu_T', content: '14:05' });
    const answer = await client.chat.completions.stream({ model: MODEL, messages, tools: [WEATHER_TOOL, TIME_TOOL] }).finalChatCompletion();
    expect(answer.choices[0]?.message.content).toBe('Paris 18°C, Rome 14:05.');

    const sent = lastSent().body.messages;
    expect(sent).toHaveLength(3);
    expect(sent[1].content.map((b: any) => [b.type, b.id ?? b.text])).toEqual([
      ['text', 'Checking both.'],
      ['tool_use', 'toolu_W'],
      ['tool_use', 'toolu_T'],
    ]);
    expect(sent[2].role).toBe('user');
    expect(sent[2].content.map((b: any) => [b.type, b.tool_use_id])).toEqual([
      ['tool_result', 'toolu_W'],
      ['tool_result', 'toolu_T'],
    ]);
  });
  it('reasoning_effort + tools: the tool-loop continuation is a request Anthropic accepts (thinking blocks cannot come back through the OpenAI surface)', async () => {
    mock.setHandler(() => anthropicMessage({ thinking: 'Need the weather tool.', toolUses: [{ id: 'toolu_R', name: 'get_weather', input: { city: 'Oslo' } }] }));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL], reasoning_effort: 'low' });
    expect(lastSent().body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect((first.choices[0]!.message as any).reasoning_content).toBe('Need the weather tool.');

    mock.setHandler(() => anthropicMessage({ text: 'Cold.' }));
    messages.push(first.choices[0]!.message as OpenAI.ChatCompletionMessageParam);
    messages.push({ role: 'tool', tool_call_id: 'toolu_R', content: '-3°C' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [WEATHER_TOOL], reasoning_effort: 'low' });
    expect(second.choices[0]?.message.content).toBe('Cold.');
    // Anthropic: "When `thinking` is enabled, a final `assistant` message must start with a
    // thinking block (preceding the lastmost set of `tool_use` and `tool_result` blocks)".
    const body = lastSent().body;
    const assistant = body.messages[1];
    expect(assistant.content.some((b: any) => b.type === 'tool_use')).toBe(true);
    if (body.thinking?.type === 'enabled') expect(['thinking', 'redacted_thinking']).toContain(assistant.content[0].type);
    expect(body.max_tokens).toBeGreaterThan(0);
  });
});

describe('Anthropic: history from other providers', () => {
  it('tool-call ids Anthropic refuses (Kimi/Ollama-style "functions.get_weather:0") are rewritten to its pattern, call and result alike', async () => {
    mock.setHandler(() => anthropicMessage({ text: 'Cold.' }));
    await client.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'functions.get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'functions.get_weather:1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ] },
        { role: 'tool', tool_call_id: 'functions.get_weather:0', content: '-3°C' },
        { role: 'tool', tool_call_id: 'functions.get_weather:1', content: '14°C' },
      ],
    });
    const [, assistant, results] = lastSent().body.messages;
    const ids = assistant.content.map((b: any) => b.id);
    // Anthropic: "tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'" (400).
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(new Set(ids).size).toBe(2);
    expect(results.content.map((b: any) => b.tool_use_id)).toEqual(ids);
  });
});

describe('Anthropic: images and JSON mode', () => {
  it('a data URL becomes a base64 source, an http URL a url source', async () => {
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
    const content = lastSent().body.messages[0].content;
    expect(content).toEqual([
      { type: 'text', text: 'Compare these' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } },
      { type: 'image', source: { type: 'url', url: IMAGE_HTTP_URL } },
    ]);
  });

  it('json_schema → output_config.format; json_object → a JSON-only system instruction (Anthropic has no JSON mode)', async () => {
    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'a city' }], response_format: JSON_SCHEMA_FORMAT });
    expect(lastSent().body.output_config).toEqual({ format: { type: 'json_schema', schema: JSON_SCHEMA_FORMAT.json_schema.schema } });

    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'a city' }], response_format: { type: 'json_object' } });
    expect(lastSent().body.output_config).toBeUndefined();
    expect(JSON.stringify(lastSent().body.system)).toMatch(/JSON/);
  });
});

describe('Anthropic: usage and cost (claude-sonnet-4-5: $3 in / $15 out per Mtok)', () => {
  // 1200 × $3/M + 340 × $15/M = 3600 + 5100 µ$
  const nanos = expectedNanos([
    [1200, 3],
    [340, 15],
  ]);

  it('the catalog entry carries the published prices', () => {
    expect(nanos).toBe(8_700_000);
  });

  it('non-stream: usage tokens, usage.cost, x-tollgate-cost-usd and the usage record all agree', async () => {
    mock.setHandler(() => anthropicMessage({ text: 'priced', usage: { input_tokens: 1200, output_tokens: 340 } }));
    const { data, response } = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'price me' }] }).withResponse();
    expect(data.usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 340, total_tokens: 1540 });
    expect((data.usage as any).cost).toBeCloseTo(nanos / 1e9, 12);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 1200, outputTokens: 340, costNanos: nanos, estimated: false });
  });

  it('stream with include_usage: the usage chunk carries the cumulative message_delta counts and the cost', async () => {
    mock.setHandler(() => anthropicStream({ text: 'priced stream', usage: { input_tokens: 1200, output_tokens: 340 } }));
    const { data: stream, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'price me' }], stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let usage: any;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 340 });
    expect(usage.cost).toBeCloseTo(nanos / 1e9, 12);
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ inputTokens: 1200, outputTokens: 340, costNanos: nanos, estimated: false });
  });

  it('cache reads and writes are priced at their own rates ($0.30 read, $3.75 write)', async () => {
    mock.setHandler(() =>
      anthropicMessage({ text: 'cached', usage: { input_tokens: 100, cache_read_input_tokens: 2000, cache_creation_input_tokens: 400, output_tokens: 50 } }),
    );
    const { data, response } = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'cache me' }] }).withResponse();
    // OpenAI's prompt_tokens is the whole prompt: fresh + cache read + cache write.
    expect(data.usage).toMatchObject({ prompt_tokens: 2500, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 2000 } });
    const expected = expectedNanos([
      [100, 3],
      [2000, 0.3],
      [400, 3.75],
      [50, 15],
    ]);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(expected));
    expect((await recordOf(gw, response.headers.get('x-request-id'))).costNanos).toBe(expected);
  });
});

describe('Anthropic: long-context pricing', () => {
  it('a prompt above 200k tokens is priced at the long-context rates ($6 in / $22.50 out) for every token', async () => {
    mock.setHandler(() => anthropicMessage({ text: 'long', usage: { input_tokens: 250_000, output_tokens: 1000 } }));
    const { response } = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'big' }] }).withResponse();
    const expected = expectedNanos([
      [250_000, 6],
      [1000, 22.5],
    ]);
    expect(expected).toBe(1_522_500_000);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(expected));
    expect((await recordOf(gw, response.headers.get('x-request-id'))).costNanos).toBe(expected);
  });
});

describe('Anthropic: malformed upstream payloads', () => {
  it('truncated JSON in an SSE event → an SSE error the SDK throws as APIError; then the gateway still serves', async () => {
    const frames = anthropicStreamFrames({ text: 'one two three' });
    const cut = frames.findIndex((f) => f.includes('text_delta'));
    frames[cut] = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n';
    mock.setHandler(() => ({ sse: frames }));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/anthropic/i);
    expect(err.message).toMatch(/malformed|invalid JSON/i);
    await stillServes();
  });

  it('unknown event types are ignored: the answer still arrives', async () => {
    const frames = anthropicStreamFrames({ text: 'unknown events are fine' });
    frames.splice(2, 0, 'event: brand_new_event\ndata: {"type":"brand_new_event","foo":1}\n\n');
    frames.splice(frames.length - 1, 0, 'event: ping\ndata: {"type":"ping"}\n\n');
    mock.setHandler(() => ({ sse: frames }));
    const final = await client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('unknown events are fine');
  });

  it('an `event: error` (overloaded) after HTTP 200 → SSE error → APIError; no crash', async () => {
    const frames = anthropicStreamFrames({ text: 'partial answer here' });
    const at = frames.findIndex((f) => f.includes('text_delta')) + 1;
    mock.setHandler(() => ({ sse: [...frames.slice(0, at), anthropicStreamErrorFrame('overloaded_error', 'Overloaded')] }));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    const err = await (async () => {
      for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    })().catch((e) => e);
    expect(text).toBe('partial ');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/overloaded/i);
    await stillServes();
  });

  it('a stream cut before message_stop → SSE error → APIError, not a silently short answer', async () => {
    mock.setHandler(() => ({ ...anthropicStream({ text: 'one two three four five six' }), cutAfter: 5, chunkDelayMs: 5 }));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/anthropic/);
    await stillServes();
  });

  it('non-stream: a body that is not JSON → 502 in the OpenAI envelope', async () => {
    mock.setHandler(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"msg_1","content":[{"type":"te' }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.error).toMatchObject({ type: 'api_error', code: 'upstream_malformed' });
    expect(err.message).toMatch(/anthropic/);
    await stillServes();
  });

  it('non-stream: JSON of the wrong shape → 502, not a crash', async () => {
    mock.setHandler(() => ({ json: { hello: 'world' } }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.error).toHaveProperty('type');
    await stillServes();
  });
});

describe('Anthropic: upstream HTTP errors', () => {
  it('529 overloaded → 503', async () => {
    mock.setHandler(() => anthropicError(529, 'overloaded_error', 'Overloaded'));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/anthropic/);
  });

  it('529 on a stream request → 503 before any byte (status line not yet sent)', async () => {
    mock.setHandler(() => anthropicError(529, 'overloaded_error', 'Overloaded'));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }).catch((e) => e);
    expect(err.status).toBe(503);
  });

  it('429 keeps retry-after', async () => {
    mock.setHandler(() => anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '17' }));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(429);
    expect(err.headers.get('retry-after')).toBe('17');
    expect(err.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
  });

  it('401 whose message echoes the key → 502 without the secret', async () => {
    mock.setHandler(() => anthropicError(401, 'authentication_error', `invalid x-api-key: ${SECRETS.anthropic}`));
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err.status).toBe(502);
    expect(errorText(err)).not.toContain(SECRETS.anthropic);
    expect(errorText(err)).not.toContain('test-secret');
  });

  it('a stream error event quoting the key does not leak it', async () => {
    const frames = anthropicStreamFrames({ text: 'a b' });
    mock.setHandler(() => ({ sse: [frames[0]!, anthropicStreamErrorFrame('api_error', `internal failure for key ${SECRETS.anthropic}`)] }));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(errorText(err)).not.toContain(SECRETS.anthropic);
    await stillServes();
  });
});
