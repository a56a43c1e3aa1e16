/**
 * What only the Cohere dialect does, end to end (the shared scenarios run in conformance.test.ts):
 * the `@anthropic-ai/sdk` on /v1/messages and the `openai` SDK on /v1/chat/completions → the
 * gateway → the Cohere v2 adapter → a loopback Cohere mock (test/mocks/cohere.ts, proven by
 * `cohere-ai`). Costs are computed by hand from the catalog's Cohere prices: command-a-03-2025
 * $2.50 in / $10 out per Mtok.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until, type TestGateway } from '../helpers/gateway.js';
import { cohereMockEmbedding, cohereMockHandler, cohereResponse, cohereStream, startCohereMock } from '../mocks/cohere.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { PNG_BASE64, SECRETS, checkEveryResponse, expectedNanos, gatewayFor, providerYaml, recordOf, usdHeader } from './helpers.js';

const MODEL = 'cohere/command-a-03-2025';
let mock: HttpMock;
let gw: TestGateway;
let client: OpenAI;
const handler = cohereMockHandler(SECRETS.cohere);

beforeAll(async () => {
  mock = await startCohereMock(handler);
  ({ gw, client } = await gatewayFor(providerYaml('cohere', mock.url)));
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
checkEveryResponse();
beforeEach(() => mock.setHandler(handler));

const lastSent = () => mock.requests.at(-1)!;
const claude = () => new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });

describe('Cohere through the OpenAI SDK: what only Cohere does', () => {
  it('documents, safety_mode and citation_options sent as extra body fields reach Cohere verbatim', async () => {
    const documents = [{ id: 'doc-1', data: { title: 'Tall penguins', snippet: 'Emperor penguins are the tallest.' } }];
    await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Which penguins are tallest?' }],
      // @ts-expect-error Cohere's own fields, sent as extra body properties
      documents,
      safety_mode: 'STRICT',
      citation_options: { mode: 'FAST' },
    });
    expect(lastSent().body).toMatchObject({ documents, safety_mode: 'STRICT', citation_options: { mode: 'FAST' } });
  });

  it('a 422 from Cohere is the client\'s 400 with Cohere\'s words; a 498 invalid token is the gateway\'s 502', async () => {
    mock.setHandler(() => ({ status: 422, json: { id: 'x', message: "invalid request: unknown field: parameter 'foo' is not a valid field" } }));
    const bad = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e: any) => e);
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/Cohere answered 422: invalid request/);
    mock.setHandler(() => ({ status: 498, json: { id: 'x', message: `blocked api token ${SECRETS.cohere}` } }));
    const blocked = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e: any) => e);
    expect(blocked.status).toBe(502);
    expect(blocked.error).toMatchObject({ code: 'upstream_auth_failed' });
    expect(JSON.stringify(blocked.error)).not.toContain(SECRETS.cohere);
  });

  it('reasoning_effort becomes a thinking budget; thinking content comes back as reasoning', async () => {
    mock.setHandler(() => cohereResponse({ thinking: 'Let me add.', text: '4', usage: { input_tokens: 10, output_tokens: 30 } }));
    const res = await client.chat.completions.create({ model: MODEL, reasoning_effort: 'medium', messages: [{ role: 'user', content: '2+2?' }] });
    expect(res.choices[0]!.message.content).toBe('4');
    expect(lastSent().body.thinking).toEqual({ type: 'enabled', token_budget: 8192 });
  });
});

describe('Cohere through the Anthropic SDK (/v1/messages)', () => {
  it('text: system and max_tokens reach /v2/chat; billed usage and the cost come back', async () => {
    mock.setHandler(() => cohereResponse({ text: 'Hallo!', usage: { input_tokens: 11, output_tokens: 2 } }));
    const { data: msg, response } = await claude().messages.create({ model: MODEL, max_tokens: 64, system: 'German only.', messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hallo!' })]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 11, output_tokens: 2 });
    expect(lastSent().body).toMatchObject({ max_tokens: 64, messages: [{ role: 'system', content: 'German only.' }, { role: 'user', content: 'Hello' }] });
    const nanos = expectedNanos([
      [11, 2.5],
      [2, 10],
    ]);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    expect(await recordOf(gw, response.headers.get('x-request-id'))).toMatchObject({ provider: 'cohere', model: 'command-a-03-2025', inputTokens: 11, outputTokens: 2, costNanos: nanos });
  });

  it('tool round trip: tool_use from Cohere tool_calls (plan as text), tool_result back as a tool message', async () => {
    mock.setHandler(() => cohereResponse({ toolPlan: 'Checking.', toolCalls: [{ id: 'get_weather_r0m3', name: 'get_weather', args: { city: 'Rome' } }] }));
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
    const first = await claude().messages.create({ model: MODEL, max_tokens: 64, tools, tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'Weather in Rome?' }] });
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([expect.objectContaining({ type: 'text', text: 'Checking.' }), expect.objectContaining({ type: 'tool_use', id: 'get_weather_r0m3', name: 'get_weather', input: { city: 'Rome' } })]);
    expect(lastSent().body).toMatchObject({ tool_choice: 'REQUIRED', tools: [{ type: 'function', function: { name: 'get_weather', parameters: tools[0]!.input_schema } }] });
    mock.setHandler(() => cohereResponse({ text: 'Warm.' }));
    await claude().messages.create({
      model: MODEL,
      max_tokens: 64,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'get_weather_r0m3', content: '25°C' }] },
      ],
    });
    expect(lastSent().body.messages.slice(1)).toEqual([
      { role: 'assistant', tool_plan: 'Checking.', tool_calls: [{ id: 'get_weather_r0m3', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
      { role: 'tool', tool_call_id: 'get_weather_r0m3', content: '25°C' },
    ]);
  });

  it('an image block goes up as an image_url data URL', async () => {
    await claude().messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } }] }],
    });
    expect(lastSent().body.messages[0].content).toEqual([
      { type: 'text', text: 'What is it?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
    ]);
  });

  it('stream: text deltas, the final usage and the record\'s cost', async () => {
    mock.setHandler(() => cohereStream({ text: 'ciao a tutti', usage: { input_tokens: 6, output_tokens: 3 } }));
    const before = gw.records.length;
    const stream = claude().messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'ciao a tutti' })]);
    expect(final.usage).toMatchObject({ output_tokens: 3 });
    expect(lastSent().body.stream).toBe(true);
    await until(() => gw.records.length > before);
    const rec = gw.records.at(-1)!;
    expect(rec).toMatchObject({ inputTokens: 6, outputTokens: 3, costNanos: expectedNanos([[6, 2.5], [3, 10]]) });
  });
});

describe('Cohere embeddings through the OpenAI SDK (/v1/embeddings → /v2/embed)', () => {
  // embed-v4.0: $0.12 per Mtok of input.
  it('float vectors in order; input_type search_document by default; billed tokens priced by hand', async () => {
    const { data, response } = await client.embeddings.create({ model: 'cohere/embed-v4.0', input: ['hello world', 'bye'], encoding_format: 'float' }).withResponse();
    expect(data.data.map((d) => d.embedding)).toEqual([cohereMockEmbedding('search_document:hello world'), cohereMockEmbedding('search_document:bye')]);
    expect(data.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(lastSent()).toMatchObject({ path: '/v2/embed', body: { model: 'embed-v4.0', texts: ['hello world', 'bye'], input_type: 'search_document', embedding_types: ['float'] } });
    const nanos = expectedNanos([[3, 0.12]]);
    expect(nanos).toBe(360);
    expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    expect(await recordOf(gw, response.headers.get('x-request-id'))).toMatchObject({ provider: 'cohere', model: 'embed-v4.0', inputTokens: 3, costNanos: nanos, estimated: false });
  });

  it('input_type as an extra body field; the SDK\'s default base64 decodes to the same floats', async () => {
    // A client without the schema check: OpenAI's published schema types `embedding` as an array even for base64.
    const plain = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    // @ts-expect-error Cohere's input_type, an extra body property
    const res = await plain.embeddings.create({ model: 'cohere/embed-v4.0', input: 'what is tall?', input_type: 'search_query' });
    expect(lastSent().body.input_type).toBe('search_query');
    const expected = cohereMockEmbedding('search_query:what is tall?');
    (res.data[0]!.embedding as number[]).forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 6));
  });

  it('a bad input_type is a 400 naming it, before any upstream call', async () => {
    const before = mock.requests.length;
    // @ts-expect-error a number where a string belongs
    const err = await client.embeddings.create({ model: 'cohere/embed-v4.0', input: 'x', input_type: 7 }).catch((e: any) => e);
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ param: 'input_type' });
    expect(mock.requests.length).toBe(before);
  });
});
