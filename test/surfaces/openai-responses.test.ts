/**
 * `POST /v1/responses` end to end: the `openai` SDK's `client.responses` → the gateway → a
 * loopback mock of each provider kind. An OpenAI upstream gets the client's bytes with only the
 * model replaced; every other kind is translated through the internal form. Every body the SDK
 * receives is checked against OpenAI's `Response` schema (test/openapi/), and each call leaves
 * one usage record of kind `responses` with the priced cost.
 */
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until, type TestGateway } from '../helpers/gateway.js';
import { anthropicMessage, anthropicStream } from '../mocks/anthropic.js';
import { geminiResponse } from '../mocks/gemini.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { openaiResponseBody, openaiResponseStreamFrames } from '../mocks/openai.js';
import { JSON_SCHEMA_FORMAT, WEATHER_TOOL, checkEveryResponse, checker, gatewayFor, recordOf } from '../native/helpers.js';
import { KINDS } from '../native/kinds.js';

checkEveryResponse();

// The table's WEATHER_TOOL in the Responses shape (flat, no `function` wrapper).
const WEATHER = { type: 'function' as const, ...WEATHER_TOOL.function, strict: null };

function setup(kindName: string) {
  const kind = KINDS.find((k) => k.name === kindName)!;
  const ctx = {} as { kind: typeof kind; mock: HttpMock; gw: TestGateway; client: OpenAI };
  ctx.kind = kind;
  beforeAll(async () => {
    ctx.mock = await kind.startMock();
    ({ gw: ctx.gw, client: ctx.client } = await gatewayFor(kind.yaml(ctx.mock.url)));
  });
  afterAll(async () => {
    await ctx.gw?.close();
    await ctx.mock?.close();
  });
  beforeEach(() => ctx.mock.setHandler(kind.defaultHandler));
  return ctx;
}

describe('openai upstream: passed through to /responses', () => {
  const ctx = setup('openai');

  it('forwards the client bytes with only the model replaced; usage gains cost and is metered as kind responses', async () => {
    const before = checker.checked.Response ?? 0;
    const { data: res, response } = await ctx.client.responses
      .create({ model: ctx.kind.model, instructions: 'Be brief.', input: 'one two three', tools: [{ type: 'web_search' as const }], metadata: { run: '7' } })
      .withResponse();
    expect(res.output_text).toBe('one two three');
    expect(res.id).toBe('resp_mock0000000000000000000000000001'); // the upstream's own object
    const sent = ctx.mock.requests.at(-1)!;
    expect(sent.path).toBe('/v1/responses');
    expect(sent.body).toEqual({ model: ctx.kind.upstreamModel, instructions: 'Be brief.', input: 'one two three', tools: [{ type: 'web_search' }], metadata: { run: '7' } });
    const rec = await recordOf(ctx.gw, response.headers.get('x-request-id'));
    expect(rec.kind).toBe('responses');
    expect(rec.inputTokens).toBe(3);
    expect(rec.outputTokens).toBe(3);
    expect(rec.costNanos).toBeGreaterThan(0);
    expect((res.usage as any).cost).toBe(rec.costNanos / 1e9);
    expect(checker.checked.Response).toBe(before + 1);
  });
});

describe.each(['anthropic', 'gemini', 'mistral'])('%s upstream: translated', (kindName) => {
  const ctx = setup(kindName);

  it('text: a Response with one output_text message, usage with cost, record kind responses', async () => {
    const { data: res, response } = await ctx.client.responses.create({ model: ctx.kind.model, instructions: 'Be brief.', input: 'one two three', max_output_tokens: 50, temperature: 0.5, user: 'u-42' }).withResponse();
    expect(res.object).toBe('response');
    expect(res.status).toBe('completed');
    expect(res.incomplete_details).toBeNull();
    expect(res.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(res.output_text).toBe('one two three');
    expect(res.output).toHaveLength(1);
    expect(res.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'one two three', annotations: [] }] });
    expect(res).toMatchObject({ instructions: 'Be brief.', max_output_tokens: 50, temperature: 0.5, user: 'u-42', tools: [], store: false });
    const sent = ctx.mock.requests.at(-1)!;
    // Mistral's table entry also expects chat-only parameters (seed); the rest of its check is the same.
    if (!ctx.kind.textParams) ctx.kind.expectTextRequest(sent, 'one two three');
    expect(sent.path).not.toMatch(/responses/);
    expect(JSON.stringify(sent.body)).toContain('Be brief.');
    const rec = await recordOf(ctx.gw, response.headers.get('x-request-id'));
    expect(rec.kind).toBe('responses');
    expect(rec.tags).toEqual({ user: 'u-42' });
    expect(rec.costNanos).toBeGreaterThan(0);
    expect(res.usage).toMatchObject({ input_tokens: rec.inputTokens, output_tokens: rec.outputTokens, total_tokens: rec.inputTokens + rec.outputTokens, input_tokens_details: { cached_tokens: 0 } });
    expect((res.usage as any).cost).toBe(rec.costNanos / 1e9);
  });

  it('function-call round trip with the full item list re-sent', async () => {
    const [id] = ctx.kind.toolIds;
    ctx.mock.setHandler(() => ctx.kind.reply({ toolCalls: [{ id, name: 'get_weather', args: { city: 'Paris' } }] }));
    const first = await ctx.client.responses.create({ model: ctx.kind.model, input: 'weather in Paris?', tools: [WEATHER], tool_choice: 'auto' });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    expect(JSON.parse((call as any).arguments)).toEqual({ city: 'Paris' });
    ctx.kind.expectToolDefinition(ctx.mock.requests.at(-1)!.body);

    ctx.mock.setHandler(ctx.kind.defaultHandler);
    await ctx.client.responses.create({
      model: ctx.kind.model,
      tools: [WEATHER],
      input: [{ role: 'user', content: 'weather in Paris?' }, ...(first.output as any[]), { type: 'function_call_output', call_id: (call as any).call_id, output: 'sunny, 21C' }],
    });
    ctx.kind.expectToolTurn(ctx.mock.requests.at(-1)!.body, {
      user: 'weather in Paris?',
      calls: [{ id: (call as any).call_id, name: 'get_weather', args: { city: 'Paris' } }],
      results: [{ id: (call as any).call_id, name: 'get_weather', content: 'sunny, 21C' }],
    });
  });

  it('structured output: text.format json_schema reaches the upstream, responses.parse reads the answer', async () => {
    ctx.mock.setHandler(() => ctx.kind.reply({ text: '{"name":"Paris"}' }));
    const { name, schema, strict } = JSON_SCHEMA_FORMAT.json_schema;
    const res = await ctx.client.responses.parse({ model: ctx.kind.model, input: 'a city', text: { format: { type: 'json_schema', name, schema, strict } } });
    expect(res.output_parsed).toEqual({ name: 'Paris' });
    ctx.kind.expectJsonSchema(ctx.mock.requests.at(-1)!.body);
    // The SDK's zod helper: its schema reaches the upstream and the answer is parsed against it.
    const zodded = await ctx.client.responses.parse({ model: ctx.kind.model, input: 'a city', text: { format: zodTextFormat(z.object({ name: z.string() }), 'city') } });
    expect(zodded.output_parsed).toEqual({ name: 'Paris' });
    expect(JSON.stringify(ctx.mock.requests.at(-1)!.body)).toContain('"name":{"type":"string"}');
  });

  it('a hosted tool is refused with a 400 naming it, in OpenAI’s envelope', async () => {
    const calls = ctx.mock.requests.length;
    const err: any = await ctx.client.responses.create({ model: ctx.kind.model, input: 'hi', tools: [{ type: 'web_search' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error).toMatchObject({ param: 'tools[0].type', type: 'invalid_request_error' });
    expect(err.message).toMatch(/web_search/);
    expect(ctx.mock.requests.length).toBe(calls);
  });
});

describe('reasoning items', () => {
  const anthropic = setup('anthropic');
  const gemini = setup('gemini');

  it('Anthropic thinking → a reasoning item (summary text, signature as encrypted_content) that round-trips', async () => {
    anthropic.mock.setHandler(() => anthropicMessage({ thinking: { text: 'Paris is the capital.', signature: 'sig-123' }, text: 'Paris' }));
    const res = await anthropic.client.responses.create({ model: anthropic.kind.model, input: 'capital of France?', reasoning: { effort: 'low' } });
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(res.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Paris is the capital.' }], encrypted_content: 'sig-123' });
    expect(res.output_text).toBe('Paris');

    anthropic.mock.setHandler(anthropic.kind.defaultHandler);
    await anthropic.client.responses.create({ model: anthropic.kind.model, input: [{ role: 'user', content: 'capital of France?' }, ...(res.output as any[]), { role: 'user', content: 'sure?' }] });
    const assistant = anthropic.mock.requests.at(-1)!.body.messages[1];
    expect(assistant).toEqual({ role: 'assistant', content: [{ type: 'thinking', thinking: 'Paris is the capital.', signature: 'sig-123' }, { type: 'text', text: 'Paris' }] });
  });

  it('Gemini thoughts → a reasoning item with reasoning tokens in usage', async () => {
    gemini.mock.setHandler(() => geminiResponse({ thoughts: 'thinking it over', text: 'done' }));
    const res = await gemini.client.responses.create({ model: gemini.kind.model, input: 'go' });
    expect(res.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking it over' }] });
    expect(res.output_text).toBe('done');
    expect(res.usage?.output_tokens_details.reasoning_tokens).toBe(3);
  });
});

describe('incomplete and bad input', () => {
  const ctx = setup('anthropic');

  it('/openapi.json lists POST /v1/responses with the request schema the gateway checks', async () => {
    const doc = (await (await fetch(`${ctx.gw.url}/openapi.json`)).json()) as any;
    const op = doc.paths['/v1/responses'].post;
    expect(op.operationId).toBe('createResponse');
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ResponseRequest' });
    const schema = doc.components.schemas.ResponseRequest;
    expect(schema.required).toEqual(['model']);
    expect(schema.properties.temperature.anyOf[0]).toMatchObject({ type: 'number', minimum: 0, maximum: 2 });
  });

  it('a length stop is status incomplete with reason max_output_tokens', async () => {
    ctx.mock.setHandler(() => anthropicMessage({ text: 'one two', stopReason: 'max_tokens' }));
    const res = await ctx.client.responses.create({ model: ctx.kind.model, input: 'count', max_output_tokens: 2 });
    expect(res.status).toBe('incomplete');
    expect(res.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });

  it.each([
    [{ input: 'x', temperature: 3 }, 'temperature'],
    [{ input: 'x', max_output_tokens: 0 }, 'max_output_tokens'],
    [{ input: [{ type: 'message', role: 'robot', content: 'x' }] }, 'input[0].role'],
    [{ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, 'input[0].content[0].type'],
    [{ input: 'x', tool_choice: { type: 'mcp' } }, 'tool_choice'],
    [{ input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
  ])('%j → 400 naming %s', async (extra, param) => {
    const err: any = await ctx.client.responses.create({ model: ctx.kind.model, ...(extra as any) }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error.param).toBe(param);
  });
});

/** The event types of a stream, in order, with their sequence numbers checked to run 0, 1, 2… */
async function eventsOf(stream: AsyncIterable<{ type: string; sequence_number: number }>): Promise<string[]> {
  const types: string[] = [];
  for await (const ev of stream) {
    expect(ev.sequence_number).toBe(types.length);
    types.push(ev.type);
  }
  return types;
}

describe('streaming', () => {
  const openai = setup('openai');

  it('openai upstream: the stream passes through, the terminal event’s usage gains cost, metered as responses', async () => {
    const before = checker.checked.ResponseStreamEvent ?? 0;
    const stream = openai.client.responses.stream({ model: openai.kind.model, input: 'one two three' });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('one two three');
    expect(openai.mock.requests.at(-1)!.body).toEqual({ model: openai.kind.upstreamModel, input: 'one two three', stream: true });
    expect((final.usage as any).cost).toBeGreaterThan(0);
    await until(() => openai.gw.records.some((r) => r.kind === 'responses' && r.outputTokens === 3 && r.costNanos > 0));
    expect((checker.checked.ResponseStreamEvent ?? 0) - before).toBe(11);
  });

  it('openai upstream cut mid-stream: the gateway’s error event numbers on from the last event passed through', async () => {
    const frames = openaiResponseStreamFrames(openaiResponseBody('one two three four five', 'gpt-4o', 5));
    openai.mock.setHandler(() => ({ sse: frames, cutAfter: 6, chunkDelayMs: 5 }));
    const events: any[] = [];
    for await (const ev of openai.client.responses.stream({ model: openai.kind.model, input: 'x' })) events.push(ev);
    expect(events.map((e) => e.type)).toEqual([...frames.slice(0, 6).map((f) => JSON.parse(f.split('data: ')[1]!).type), 'error']);
    expect(events.map((e) => e.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(events.at(-1)).toMatchObject({ type: 'error', sequence_number: 6 });
  });

  describe.each(['anthropic', 'gemini', 'mistral'])('%s upstream (translated)', (kindName) => {
    const ctx = setup(kindName);

    it('text: the full event sequence; finalResponse assembles it with usage and cost', async () => {
      const recordsBefore = ctx.gw.records.length;
      const stream = ctx.client.responses.stream({ model: ctx.kind.model, input: 'one two three four five' });
      const types = await eventsOf(stream as any);
      const deltas = ctx.kind.streamPieces.length;
      expect(types).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        ...Array(deltas).fill('response.output_text.delta'),
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      const final = await stream.finalResponse();
      expect(final.output_text).toBe('one two three four five');
      expect(final.status).toBe('completed');
      await until(() => ctx.gw.records.length > recordsBefore);
      const rec = ctx.gw.records.at(-1)!;
      expect(rec.kind).toBe('responses');
      expect(final.usage).toMatchObject({ input_tokens: rec.inputTokens, output_tokens: rec.outputTokens });
      expect((final.usage as any).cost).toBe(rec.costNanos / 1e9);
    });

    it('a function call streams as arguments deltas the helper assembles', async () => {
      const [id] = ctx.kind.toolIds;
      ctx.mock.setHandler(() => ctx.kind.stream({ toolCalls: [{ id, name: 'get_weather', args: { city: 'Paris' } }] }));
      const final = await ctx.client.responses.stream({ model: ctx.kind.model, input: 'weather?', tools: [WEATHER] }).finalResponse();
      const call = final.output.find((o) => o.type === 'function_call') as any;
      expect(call).toMatchObject({ name: 'get_weather', status: 'completed' });
      expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
    });

    it('an upstream error mid-stream → response.failed then error, the text so far kept', async () => {
      const failure = ctx.kind.streamError('upstream fell over');
      ctx.mock.setHandler(() => failure.reply);
      const events: any[] = [];
      for await (const ev of ctx.client.responses.stream({ model: ctx.kind.model, input: 'x' })) events.push(ev);
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
      expect(events.slice(-2).map((e) => e.type)).toEqual(['response.failed', 'error']);
      const [failed, error] = events.slice(-2);
      expect(failed.response.status).toBe('failed');
      expect(failed.response.error.message).toMatch(failure.message ?? /upstream fell over/);
      expect(error.message).toBe(failed.response.error.message);
      // The text delivered before the error is in the failed response's output.
      expect(failed.response.output[0]?.content?.[0]?.text ?? '').toBe(failure.before ?? '');
      expect(events.map((e) => e.type)).not.toContain('response.completed');
    });
  });

  describe('reasoning', () => {
    const ctx = setup('anthropic');

    it('Anthropic thinking streams as a reasoning item (summary deltas, signature kept) before the message', async () => {
      ctx.mock.setHandler(() => anthropicStream({ thinking: { text: 'Paris is the capital.', signature: 'sig-9' }, text: 'Paris' }));
      const stream = ctx.client.responses.stream({ model: ctx.kind.model, input: 'capital of France?' });
      const types = await eventsOf(stream as any);
      expect(types.slice(2, 5)).toEqual(['response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta']);
      expect(types).toContain('response.reasoning_summary_text.done');
      const final = await stream.finalResponse();
      expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
      expect(final.output[0]).toMatchObject({ summary: [{ type: 'summary_text', text: 'Paris is the capital.' }], encrypted_content: 'sig-9' });
      expect(final.output_text).toBe('Paris');
    });
  });
});
