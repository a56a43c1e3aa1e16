/**
 * What only the Anthropic dialect does, end to end: the `openai` SDK → the gateway's
 * /v1/chat/completions → the Anthropic adapter → a loopback Anthropic mock speaking the real wire
 * format (test/mocks/anthropic.ts): thinking in a tool loop, tool-call ids Anthropic refuses,
 * cache and long-context pricing. What every provider does is in the conformance table
 * (conformance.test.ts).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { anthropicMessage, defaultAnthropicHandler, startAnthropicMock } from '../mocks/anthropic.js';
import { WEATHER_TOOL, checkEveryResponse, expectedNanos, gatewayFor, providerYaml, recordOf, usdHeader } from './helpers.js';

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
checkEveryResponse();
beforeEach(() => mock.setHandler(defaultAnthropicHandler));

const lastSent = () => mock.requests.at(-1)!;

describe('Anthropic: thinking in a tool loop', () => {
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

describe('Anthropic: cache pricing (claude-sonnet-4-5: $3 in / $15 out per Mtok)', () => {
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
