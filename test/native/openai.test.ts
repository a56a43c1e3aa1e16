/**
 * What only OpenAI-format upstreams do behind the `/v1` OpenAI surface (docs/contract.md §3), end
 * to end: the `openai` SDK → the gateway → a loopback OpenAI-format upstream (test/mocks/openai.ts
 * via `base_url`): recorded tool-call streams, hosts that report no usage, and the other /v1
 * routes. What every provider does is in the conformance table (conformance.test.ts). Every body
 * and chunk the SDK receives is validated against OpenAI's OpenAPI schemas (test/openapi/validate.ts).
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { countTokens } from '../../src/metering/tokens.js';
import { defaultOpenAIHandler, openaiCompletionBody, openaiFixtureFrames, openaiStream, startOpenAIMock } from '../mocks/openai.js';
import { SECRETS, checkEveryResponse, checker, expectedNanos, gatewayFor, providerYaml, usdHeader } from './helpers.js';

let upstream: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  ({ gw, client } = await gatewayFor(
    `${providerYaml('openai', `${upstream.url}/v1`)}  nousage: { type: openai-compatible, api_key: "${SECRETS.openai}", base_url: "${upstream.url}/v1", stream_usage: false }\n`,
  ));
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});
checkEveryResponse();
afterEach(() => upstream.setHandler(defaultOpenAIHandler));

/** openai/gpt-4o in the catalog: $2.50 per million input tokens, $10 per million output tokens. */
const gpt4oCostUsd = (input: number, output: number) => expectedNanos([[input, 2.5], [output, 10]]) / 1e9;

const lastUpstream = () => upstream.requests.at(-1)!;

describe('POST /v1/chat/completions: recorded OpenAI tool-call streams', () => {
  it.each([
    ['openai-stream-parallel-tool-calls.sse', ['GetWeatherArgs', 'get_stock_price'], 149, 60],
    ['openai-stream-tool-call-usage.sse', ['get_weather'], 44, 16],
  ] as const)('streaming tool calls (%s): the SDK reassembles the argument fragments; usage priced', async (fixture, names, input, output) => {
    upstream.setHandler(() => openaiStream({ frames: openaiFixtureFrames(fixture) }));
    const runner = client.chat.completions.stream({
      model: 'openai/gpt-4o',
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
    });
    const final = await runner.finalChatCompletion();
    const calls = (final.choices[0]?.message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [c.function] : []));
    expect(calls.map((c) => c.name)).toEqual(names);
    // Each call's fragments reassemble into valid JSON equal to the upstream's concatenation.
    const upstreamArgs = new Map<number, string>();
    for (const f of openaiFixtureFrames(fixture)) {
      const data = f.slice(6).trim();
      if (data === '[DONE]') continue;
      for (const tc of JSON.parse(data).choices[0]?.delta.tool_calls ?? []) upstreamArgs.set(tc.index, (upstreamArgs.get(tc.index) ?? '') + (tc.function?.arguments ?? ''));
    }
    expect(calls.map((c) => c.arguments)).toEqual([...upstreamArgs.values()]);
    for (const c of calls) expect(() => JSON.parse(c.arguments)).not.toThrow();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage).toMatchObject({ prompt_tokens: input, completion_tokens: output, cost: gpt4oCostUsd(input, output) });
  });
});

describe('upstreams that report no usage (some OpenAI-compatible hosts): counted in o200k, marked estimated', () => {
  it('non-stream: usage filled in, estimated: true, priced', async () => {
    upstream.setHandler(() => {
      const { usage: _none, ...body } = openaiCompletionBody({ text: 'no usage here' });
      return { json: body };
    });
    const { data, response } = await client.chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'count me' }] }).withResponse();
    const u = data.usage as any;
    expect(u).toMatchObject({ completion_tokens: countTokens('no usage here'), estimated: true });
    expect(u.prompt_tokens).toBeGreaterThan(0);
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(u.cost).toBe(gpt4oCostUsd(u.prompt_tokens, u.completion_tokens));
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(expectedNanos([[u.prompt_tokens, 2.5], [u.completion_tokens, 10]])));
  });

  it('stream with include_usage: a usage chunk is still the last before [DONE]', async () => {
    upstream.setHandler(() => openaiStream({ text: 'five words in this stream' }, { includeUsage: false }));
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: countTokens('five words in this stream'), estimated: true });
    expect((last.usage as any).cost).toBe(gpt4oCostUsd(last.usage!.prompt_tokens, last.usage!.completion_tokens));
    expect(chunks.slice(0, -1).every((c) => c.usage == null)).toBe(true);
  });
});

describe('stream_usage: false (hosts that reject stream_options)', () => {
  it.each([true, false])('no stream_options reach the upstream (client include_usage %s); usage is estimated', async (include) => {
    const stream = await client.chat.completions.create({
      model: 'nousage/some-model',
      stream: true,
      ...(include && { stream_options: { include_usage: true } }),
      messages: [{ role: 'user', content: 'alpha beta' }],
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const sent = lastUpstream().body;
    expect(sent.stream).toBe(true);
    expect(sent).not.toHaveProperty('stream_options');
    expect(sent.model).toBe('some-model');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('alpha beta');
    if (include) expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: countTokens('alpha beta'), estimated: true });
    else expect(chunks.every((c) => c.usage == null)).toBe(true);
  });
});

describe('other /v1 routes', () => {
  it('POST /v1/embeddings: vectors, usage, cost header at text-embedding-3-small’s $0.02/M', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: ['one two three', 'four'], encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((d) => d.index)).toEqual([0, 1]);
    expect(data.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(lastUpstream()).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-small' } });
    expect(response.headers.get('x-tollgate-cost-usd')).toBe('0.00000008'); // 4 × 0.02 µ$ = 0.08 µ$ = 80 n$ (was rounded to 0)
    expect(checker.checked.CreateEmbeddingResponse).toBeGreaterThan(0);
  });

  it('GET /v1/models and /v1/models/{id}: configured providers’ catalogued models and the mock', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['openai/gpt-4o', 'openai/text-embedding-3-small', 'mock/echo']));
    const one = await client.models.retrieve('openai/gpt-4o');
    expect(one).toMatchObject({ id: 'openai/gpt-4o', object: 'model', owned_by: 'openai' });
    expect(checker.checked).toMatchObject({ ListModelsResponse: expect.any(Number), Model: expect.any(Number) });
  });

  it('POST /v1/completions passes through to the OpenAI upstream', async () => {
    const res = await client.completions.create({ model: 'openai/gpt-3.5-turbo-instruct', prompt: 'echo me' });
    expect(res.choices[0]?.text).toBe('echo me');
    expect((res.usage as any)?.cost).toBeTypeOf('number');
    expect(lastUpstream().path).toBe('/v1/completions');
  });

  it('the built-in mock/echo answers, stream and non-stream, in OpenAI’s shapes', async () => {
    const res = await client.chat.completions.create({ model: 'mock/echo', messages: [{ role: 'user', content: 'ping pong' }] });
    expect(res.choices[0]?.message.content).toBe('ping pong');
    const stream = await client.chat.completions.create({ model: 'mock/echo', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'ping pong' }] });
    let text = '';
    let usage: any;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      usage ??= c.usage;
    }
    expect(text).toBe('ping pong');
    expect(usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 2, cost: 0 });
    expect(checker.checked.CreateChatCompletionStreamResponse).toBeGreaterThan(0);
  });
});
