/**
 * End to end: `@anthropic-ai/sdk` → the gateway's `POST /v1/messages` → any provider:
 * - an OpenAI-format provider (a loopback server answering OpenAI JSON/SSE, here),
 * - Gemini (test/mocks/gemini.ts),
 * - `anthropic/…`: the pass-through path (client bytes forwarded, only `model` changed).
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import { startGateway } from '../helpers/gateway.js';
import { anthropicError, anthropicMessage, anthropicStream, anthropicStreamErrorFrame, anthropicStreamFrames, defaultAnthropicHandler, startAnthropicMock } from '../mocks/anthropic.js';
import { geminiDefaultHandler, geminiError, geminiResponse, geminiStream, startGeminiMock } from '../mocks/gemini.js';
import { startHttpMock, type HttpMock, type MockHandler, type MockReply } from '../mocks/http-mock.js';
import { SECRETS, expectedNanos, recordOf, usdHeader } from './helpers.js';

// ---- a minimal OpenAI-format upstream (true Chat Completions JSON / SSE shapes) ----

const OAI_KEY = 'sk-oai-test-secret-000000000';

interface OaiSpec {
  text?: string;
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

function oaiCompletion(spec: OaiSpec): MockReply {
  const usage = spec.usage ?? { prompt_tokens: 9, completion_tokens: 3 };
  return {
    json: {
      id: 'chatcmpl-mock1',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: spec.text ?? null,
            refusal: null,
            ...(spec.toolCalls && { tool_calls: spec.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }),
          },
          logprobs: null,
          finish_reason: spec.toolCalls ? 'tool_calls' : 'stop',
        },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

/** SSE as OpenAI streams it: role chunk, content deltas, tool-call fragments, finish, usage chunk, [DONE]. */
function oaiStream(spec: OaiSpec): MockReply {
  const usage = spec.usage ?? { prompt_tokens: 9, completion_tokens: 3 };
  const head = { id: 'chatcmpl-mock2', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_1' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const out: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const w of spec.text?.match(/\S+\s*/g) ?? []) out.push(chunk({ content: w }));
  (spec.toolCalls ?? []).forEach((c, index) => {
    out.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (let i = 0; i < c.arguments.length; i += 6) out.push(chunk({ tool_calls: [{ index, function: { arguments: c.arguments.slice(i, i + 6) } }] }));
  });
  out.push(chunk({}, spec.toolCalls ? 'tool_calls' : 'stop'));
  out.push({ ...head, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
  return { sse: [...out.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'] };
}

function lastUserText(body: any): string {
  const last = [...(body?.messages ?? [])].reverse().find((m: any) => m.role === 'user');
  if (!last) return '';
  return typeof last.content === 'string' ? last.content : last.content.filter((p: any) => p.type === 'text').map((p: any) => p.text).join(' ');
}

const oaiEcho: MockHandler = (req) => {
  const text = lastUserText(req.body) || '(nothing)';
  return req.body?.stream ? oaiStream({ text }) : oaiCompletion({ text });
};

// ---- one gateway, three upstreams ----

let oai: HttpMock;
let gem: HttpMock;
let ant: HttpMock;
let gw: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  [oai, gem, ant] = await Promise.all([startHttpMock(oaiEcho), startGeminiMock(), startAnthropicMock()]);
  gw = await startGateway(
    [
      'providers:',
      // type openai (not a bare compatible host) so the catalog prices gpt-4o-mini.
      `  openai:    { type: openai, api_key: "${OAI_KEY}", base_url: "${oai.url}/v1" }`,
      `  gemini:    { type: gemini, api_key: "${SECRETS.gemini}", base_url: "${gem.url}" }`,
      `  anthropic: { type: anthropic, api_key: "${SECRETS.anthropic}", base_url: "${ant.url}" }`,
      '',
    ].join('\n'),
  );
  client = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([oai?.close(), gem?.close(), ant?.close()]);
});
beforeEach(() => {
  oai.setHandler(oaiEcho);
  gem.setHandler(geminiDefaultHandler);
  ant.setHandler(defaultAnthropicHandler);
});

const WEATHER = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};
const TIME = { name: 'get_time', description: 'Local time', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };

describe('/v1/messages → OpenAI-format provider', () => {
  const MODEL = 'openai/gpt-4o-mini';

  it('text: an Anthropic message comes back; upstream got an OpenAI body with the system prompt first', async () => {
    const msg = await client.messages.create({ model: MODEL, max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'hello from claude sdk' }] });
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.content).toEqual([{ type: 'text', text: 'hello from claude sdk' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.model).toBe(MODEL);
    expect(msg.usage).toMatchObject({ input_tokens: 9, output_tokens: 3 });
    const sent = oai.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${OAI_KEY}`);
    expect(sent.body).toMatchObject({
      model: 'gpt-4o-mini',
      max_completion_tokens: 100,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello from claude sdk' },
      ],
    });
  });

  it('stream: messages.stream().finalMessage() assembles text; the upstream was asked for usage', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'one two three four' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const msg = await stream.finalMessage();
    expect(msg.content).toEqual([{ type: 'text', text: 'one two three four' }]);
    expect(deltas.join('')).toBe('one two three four');
    expect(deltas.length).toBeGreaterThan(1);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 9, output_tokens: 3 });
    expect(oai.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('tool use: tool_calls → a tool_use block with parsed input; tool_result → a role:tool message with the same id → final answer', async () => {
    oai.setHandler(() => oaiCompletion({ toolCalls: [{ id: 'call_abc123', name: 'get_weather', arguments: '{"city":"Paris"}' }] }));
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 200, tools: [WEATHER], messages });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(use).toMatchObject({ type: 'tool_use', id: 'call_abc123', name: 'get_weather', input: { city: 'Paris' } });
    expect(oai.requests.at(-1)!.body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: WEATHER.input_schema } },
    ]);

    oai.setHandler(() => oaiCompletion({ text: 'It is 18°C in Paris.' }));
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18°C, sunny' }] });
    const second = await client.messages.create({ model: MODEL, max_tokens: 200, tools: [WEATHER], messages });
    expect(second.content).toEqual([{ type: 'text', text: 'It is 18°C in Paris.' }]);

    const sent = oai.requests.at(-1)!.body.messages;
    expect(sent).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_abc123', content: '18°C, sunny' },
    ]);
  });

  it('stream tool use: two parallel calls, fragmented arguments → two tool_use blocks with parsed input', async () => {
    oai.setHandler(() =>
      oaiStream({
        text: 'Checking.',
        toolCalls: [
          { id: 'call_W', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
          { id: 'call_T', name: 'get_time', arguments: '{"city":"Rome"}' },
        ],
      }),
    );
    const msg = await client.messages.stream({ model: MODEL, max_tokens: 200, tools: [WEATHER, TIME], messages: [{ role: 'user', content: 'both?' }] }).finalMessage();
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_W', name: 'get_weather', input: { city: 'Paris', unit: 'c' } },
      { type: 'tool_use', id: 'call_T', name: 'get_time', input: { city: 'Rome' } },
    ]);
  });

  it('usage and cost: gpt-4o-mini at $0.15 in / $0.60 out per Mtok, header and record agree', async () => {
    oai.setHandler(() => oaiCompletion({ text: 'ok', usage: { prompt_tokens: 1200, completion_tokens: 300 } }));
    const { data, response } = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(data.usage).toMatchObject({ input_tokens: 1200, output_tokens: 300 });
    const nanos = expectedNanos([[1200, 0.15], [300, 0.6]]);
    expect(nanos).toBe(360_000);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 300, costNanos: nanos });
  });

  it('an upstream 500 → Anthropic error envelope with 502, the SDK throws APIError', async () => {
    oai.setHandler(() => ({ status: 500, json: { error: { message: 'boom', type: 'server_error', param: null, code: null } } }));
    const err = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.status).toBe(502);
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(JSON.stringify(err.error)).not.toContain(OAI_KEY);
  });

  it('upstream 429 → Anthropic rate_limit_error with retry-after; upstream 400 → invalid_request_error 400', async () => {
    oai.setHandler(() => ({ status: 429, headers: { 'retry-after': '13' }, json: { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } } }));
    const e1 = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(e1).toBeInstanceOf(Anthropic.RateLimitError);
    expect(e1.headers.get('retry-after')).toBe('13');
    expect(e1.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });

    oai.setHandler(() => ({ status: 400, json: { error: { message: "Invalid value for 'temperature'", type: 'invalid_request_error', param: 'temperature', code: null } } }));
    const e2 = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(e2).toBeInstanceOf(Anthropic.BadRequestError);
    expect(e2.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(e2.error.error.message).toMatch(/temperature/);
  });

  it('a request the surface refuses (max_tokens missing) → 400 in Anthropic shape naming the field, nothing sent upstream', async () => {
    const before = oai.requests.length;
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'x' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(body.error.message).toMatch(/max_tokens/);
    expect(oai.requests.length).toBe(before);
  });

  it('a truncated upstream SSE frame → an `event: error` the SDK throws; the gateway keeps serving', async () => {
    const good = oaiStream({ text: 'one two three' }).sse!;
    oai.setHandler(() => ({ sse: [good[0]!, good[1]!, 'data: {"id":"chatcmpl-x","choices":[{"index":0,"delta":{"content":"tw\n\n'] }));
    const err = await client.messages
      .stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String(err.message)).toMatch(/openai/);
    oai.setHandler(oaiEcho);
    const ok = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'alive' }] });
    expect(ok.content).toEqual([{ type: 'text', text: 'alive' }]);
  });
});

describe('/v1/messages → OpenAI-format provider: host quirks', () => {
  const MODEL = 'openai/gpt-4o-mini';
  const head = { id: 'chatcmpl-q', object: 'chat.completion.chunk', created: 1, model: 'm' };
  const frames = (chunks: unknown[]) => [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];

  it('vLLM-style: a tool call whole in its first delta, finish_reason "stop" → a tool_use block and stop_reason tool_use', async () => {
    oai.setHandler(() => ({
      sse: frames([
        { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }] },
        { ...head, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'chatcmpl-tool-1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Lima"}' } }] }, finish_reason: null }] },
        { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } },
      ]),
    }));
    const msg = await client.messages.stream({ model: MODEL, max_tokens: 50, tools: [WEATHER], messages: [{ role: 'user', content: 'Lima?' }] }).finalMessage();
    expect(msg.content).toEqual([{ type: 'tool_use', id: 'chatcmpl-tool-1', name: 'get_weather', input: { city: 'Lima' } }]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage).toMatchObject({ input_tokens: 5, output_tokens: 7 });
  });

  it('an OpenAI `{"error":…}` chunk mid-stream → the SDK throws an APIError naming the provider', async () => {
    oai.setHandler(() => ({
      sse: frames([
        { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: 'par' }, finish_reason: null }] },
        { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } },
      ]),
    }));
    const err = await client.messages.stream({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'x' }] }).finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String(err.message)).toMatch(/openai/);
  });

  it('a stream cut before [DONE] and before any finish → an error, not a silently short message', async () => {
    oai.setHandler(() => ({ ...oaiStream({ text: 'one two three four five six' }), cutAfter: 3, chunkDelayMs: 5 }));
    const err = await client.messages.stream({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'x' }] }).finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String(err.message)).toMatch(/openai/);
  });

  it('images: a base64 source and a url source become OpenAI image_url parts', async () => {
    await client.messages.create({
      model: MODEL,
      max_tokens: 20,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          ],
        },
      ],
    });
    expect(oai.requests.at(-1)!.body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
    ]);
  });
});

describe('/v1/messages → Gemini', () => {
  const MODEL = 'gemini/gemini-2.5-flash';

  it('text: Gemini body upstream (system → systemInstruction, max_tokens → maxOutputTokens)', async () => {
    const msg = await client.messages.create({ model: MODEL, max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'hello gemini via claude' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'hello gemini via claude' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(gem.requests.at(-1)!.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hello gemini via claude' }] }],
      generationConfig: { maxOutputTokens: 64 },
    });
  });

  it('stream: finalMessage() assembles; usage and cost come from usageMetadata', async () => {
    gem.setHandler(() => geminiStream({ text: 'alpha beta gamma delta', usage: { promptTokenCount: 1000, candidatesTokenCount: 200, thoughtsTokenCount: 300 }, thoughts: 'hmm' }));
    const stream = client.messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
    const msg = await stream.finalMessage();
    const text = msg.content.filter((b): b is Anthropic.TextBlock => b.type === 'text').map((b) => b.text).join('');
    expect(text).toBe('alpha beta gamma delta');
    expect(msg.usage).toMatchObject({ input_tokens: 1000, output_tokens: 500 });
    const requestId = (await stream.withResponse()).response.headers.get('x-request-id');
    const rec = await recordOf(gw, requestId);
    expect(rec.costNanos).toBe(expectedNanos([[1000, 0.3], [500, 2.5]]));
  });

  it('tool use: functionCall → tool_use; tool_result → functionResponse named after the tool → final answer', async () => {
    gem.setHandler(() => geminiResponse({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] }));
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 200, tools: [WEATHER], messages });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(use).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    expect(use.id).toMatch(/^[a-zA-Z0-9_-]+$/); // Anthropic's tool_use id pattern

    gem.setHandler(() => geminiResponse({ text: 'It is 18°C in Paris.' }));
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: '18°C' }] }] });
    const second = await client.messages.create({ model: MODEL, max_tokens: 200, tools: [WEATHER], messages });
    expect(second.content).toEqual([{ type: 'text', text: 'It is 18°C in Paris.' }]);
    expect(gem.requests.at(-1)!.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: '18°C' } } }] },
    ]);
  });

  it('thinking + tool loop: the SDK replays the (unsigned) thinking block and tool_use; Gemini gets thoughts without signature, the call with one', async () => {
    const model = 'gemini/gemini-3-flash-preview';
    gem.setHandler(() => geminiStream({ thoughts: 'I should call the tool.', functionCalls: [{ name: 'get_weather', args: { city: 'Oslo' }, thoughtSignature: 'CtkBreal' }] }));
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await client.messages
      .stream({ model, max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2048 }, tools: [WEATHER], messages })
      .finalMessage();
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    expect(gem.requests.at(-1)!.body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 2048, includeThoughts: true });

    gem.setHandler(() => geminiResponse({ text: 'Cold.' }));
    const use = first.content[1] as Anthropic.ToolUseBlock;
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '-3°C' }] });
    const second = await client.messages.create({ model, max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2048 }, tools: [WEATHER], messages });
    expect(second.content).toEqual([{ type: 'text', text: 'Cold.' }]);
    const modelTurn = gem.requests.at(-1)!.body.contents[1];
    expect(modelTurn.parts[0]).toEqual({ text: 'I should call the tool.', thought: true });
    expect(modelTurn.parts[1].functionCall).toEqual({ name: 'get_weather', args: { city: 'Oslo' } });
    expect(modelTurn.parts[1].thoughtSignature).toBeTruthy();
  });

  it('stream tool use: two parallel functionCalls → two tool_use blocks', async () => {
    gem.setHandler(() => geminiStream({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }, { name: 'get_time', args: { city: 'Rome' } }] }));
    const msg = await client.messages.stream({ model: MODEL, max_tokens: 200, tools: [WEATHER, TIME], messages: [{ role: 'user', content: 'both?' }] }).finalMessage();
    expect(msg.stop_reason).toBe('tool_use');
    const uses = msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(uses.map((u) => [u.name, u.input])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', { city: 'Rome' }],
    ]);
    expect(new Set(uses.map((u) => u.id)).size).toBe(2);
  });

  it('Gemini 400 API_KEY_INVALID → 502 in Anthropic error shape, no key', async () => {
    gem.setHandler(() => geminiError(400, 'INVALID_ARGUMENT', `API key not valid ${SECRETS.gemini}`, { reason: 'API_KEY_INVALID' }));
    const err = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.status).toBe(502);
    expect(JSON.stringify(err.error)).not.toContain(SECRETS.gemini);
  });
});

describe('/v1/messages → anthropic/… (pass-through)', () => {
  const MODEL = 'anthropic/claude-sonnet-4-5';

  it('the upstream receives the client body byte for byte, only `model` changed', async () => {
    const raw = `{"model":"${MODEL}",  "max_tokens": 77, "metadata":{"user_id":"u-1"},"some_future_field":{"keep":[1,2,3]},"messages":[{"role":"user","content":"pass me through"}]}`;
    const res = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'x', 'anthropic-version': '2023-06-01' }, body: raw });
    expect(res.status).toBe(200);
    const sent = ant.requests.at(-1)!;
    expect(sent.text).toBe(raw.replace(`"${MODEL}"`, '"claude-sonnet-4-5"'));
    expect(sent.headers['x-api-key']).toBe(SECRETS.anthropic);
    const body = (await res.json()) as any;
    expect(body.content).toEqual([{ type: 'text', text: 'pass me through' }]);
  });

  it('the client\'s anthropic-beta header reaches Anthropic (beta body fields are refused without it); its auth headers do not', async () => {
    await client.beta.messages.create({
      model: MODEL,
      max_tokens: 20,
      betas: ['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07'],
      messages: [{ role: 'user', content: 'beta please' }],
    });
    const sent = ant.requests.at(-1)!;
    expect(sent.path.split('?')[0]).toBe('/v1/messages');
    expect(sent.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,context-1m-2025-08-07');
    expect(sent.headers['x-api-key']).toBe(SECRETS.anthropic);
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('no anthropic-beta from the client → none upstream', async () => {
    await client.messages.create({ model: MODEL, max_tokens: 20, messages: [{ role: 'user', content: 'plain' }] });
    expect(ant.requests.at(-1)!.headers['anthropic-beta']).toBeUndefined();
  });

  it('SDK body: deep-equal to what the client sent except `model`; cost header from upstream usage ($3/$15)', async () => {
    ant.setHandler(() => anthropicMessage({ text: 'priced', usage: { input_tokens: 1200, output_tokens: 340 } }));
    const params = {
      model: MODEL,
      max_tokens: 50,
      system: [{ type: 'text' as const, text: 'sys', cache_control: { type: 'ephemeral' as const } }],
      tools: [WEATHER],
      messages: [{ role: 'user' as const, content: 'price me' }],
    };
    const { data, response } = await client.messages.create(params).withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'priced' }]);
    expect(ant.requests.at(-1)!.body).toEqual({ ...params, model: 'claude-sonnet-4-5' });
    const nanos = expectedNanos([[1200, 3], [340, 15]]);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    expect((await recordOf(gw, response.headers.get('x-request-id'))).costNanos).toBe(nanos);
  });

  it('stream: events piped; finalMessage() assembles text and a tool_use; usage recorded', async () => {
    ant.setHandler(() => anthropicStream({ text: 'Let me check.', toolUses: [{ id: 'toolu_P', name: 'get_weather', input: { city: 'Paris' } }], usage: { input_tokens: 50, output_tokens: 20 } }));
    const stream = client.messages.stream({ model: MODEL, max_tokens: 100, tools: [WEATHER], messages: [{ role: 'user', content: 'x' }] });
    const msg = await stream.finalMessage();
    expect(msg.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_P', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(ant.requests.at(-1)!.body.stream).toBe(true);
    const rec = await recordOf(gw, (await stream.withResponse()).response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ inputTokens: 50, outputTokens: 20, costNanos: expectedNanos([[50, 3], [20, 15]]) });
  });

  it('an upstream `event: error` (overloaded) mid-stream reaches the SDK as an error', async () => {
    const frames = anthropicStreamFrames({ text: 'a b c' });
    ant.setHandler(() => ({ sse: [...frames.slice(0, 3), anthropicStreamErrorFrame()] }));
    const err = await client.messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String(err.message)).toMatch(/overloaded/i);
  });

  it('a pass-through stream cut before message_stop ends with an error event, not silently', async () => {
    ant.setHandler(() => ({ ...anthropicStream({ text: 'one two three four five six' }), cutAfter: 4, chunkDelayMs: 5 }));
    const err = await client.messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String(err.message)).toMatch(/anthropic/);
  });

  it('529 → 503 in Anthropic error shape; 429 keeps retry-after', async () => {
    ant.setHandler(() => anthropicError(529, 'overloaded_error', 'Overloaded'));
    const e1 = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(e1.status).toBe(503);
    expect(e1.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });

    ant.setHandler(() => anthropicError(429, 'rate_limit_error', 'slow down', { 'retry-after': '11' }));
    const e2 = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(e2.status).toBe(429);
    expect(e2.headers.get('retry-after')).toBe('11');
  });
});
