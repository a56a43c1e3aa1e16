/**
 * Proves the Cohere mock speaks the real wire format: the official `cohere-ai` SDK's
 * CohereClientV2 (which parses every answer and stream event with Cohere's own schemas) talks to
 * it — chat, chatStream, embed, rerank, errors — and our adapter reads what it produces.
 */
import { CohereClientV2, CohereError } from 'cohere-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseFrames } from '../../providers/kit/fixtures.test-helper.js';
import { cohereAdapter } from '../../providers/cohere/index.js';
import type { ChatRequest, StreamEvent } from '../../providers/types.js';
import type { HttpMock } from './http-mock.js';
import { COHERE_MOCK_KEY, cohereError, cohereMockEmbedding, cohereResponse, cohereStream, cohereStreamFrames, defaultCohereHandler, startCohereMock } from './cohere.js';

let mock: HttpMock;
let client: CohereClientV2;

beforeAll(async () => {
  mock = await startCohereMock();
  client = new CohereClientV2({ token: COHERE_MOCK_KEY, baseUrl: mock.url, maxRetries: 0 } as ConstructorParameters<typeof CohereClientV2>[0]);
});
afterAll(() => mock.close());

const useDefault = () => mock.setHandler(defaultCohereHandler);

describe('Cohere mock, driven by the cohere-ai SDK (CohereClientV2)', () => {
  it('chat: echoes the last user text, finish_reason COMPLETE, billed units and raw tokens', async () => {
    useDefault();
    const res = await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Say hello to the world' }] });
    expect(res.message.content).toEqual([{ type: 'text', text: 'Say hello to the world' }]);
    expect(res.finishReason).toBe('COMPLETE');
    expect(res.usage?.billedUnits).toEqual({ inputTokens: 7, outputTokens: 5 });
    expect(res.usage?.tokens?.inputTokens).toBeGreaterThan(7);
    const sent = mock.requests.at(-1)!;
    expect(sent.path).toBe('/v2/chat');
    expect(sent.headers.authorization).toBe(`Bearer ${COHERE_MOCK_KEY}`);
  });

  it('chatStream: message-start, content deltas, content-end, message-end with usage', async () => {
    useDefault();
    const types: string[] = [];
    let text = '';
    let end: any;
    for await (const ev of await client.chatStream({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'one two three' }] })) {
      types.push(ev.type);
      if (ev.type === 'content-delta') text += ev.delta?.message?.content?.text ?? '';
      if (ev.type === 'message-end') end = ev.delta;
    }
    expect(types).toEqual(['message-start', 'content-start', 'content-delta', 'content-delta', 'content-delta', 'content-end', 'message-end']);
    expect(text).toBe('one two three');
    expect(end).toMatchObject({ finishReason: 'COMPLETE', usage: { billedUnits: { inputTokens: 3, outputTokens: 3 } } });
  });

  it('tool calls: whole in JSON (with tool_plan); streamed as tool-plan deltas and tool-call start/delta/end', async () => {
    const spec = { toolPlan: 'I will look up the weather.', toolCalls: [{ id: 'get_weather_x1', name: 'get_weather', args: { city: 'Paris' } }] };
    mock.setHandler(() => cohereResponse(spec));
    const res = await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'weather?' }] });
    expect(res.finishReason).toBe('TOOL_CALL');
    expect(res.message.toolPlan).toBe('I will look up the weather.');
    expect(res.message.toolCalls).toEqual([{ id: 'get_weather_x1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);

    mock.setHandler(() => cohereStream(spec));
    let plan = '';
    let args = '';
    const starts: any[] = [];
    for await (const ev of await client.chatStream({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'weather?' }] })) {
      if (ev.type === 'tool-plan-delta') plan += ev.delta?.message?.toolPlan ?? '';
      if (ev.type === 'tool-call-start') starts.push(ev.delta?.message?.toolCalls);
      if (ev.type === 'tool-call-delta') args += ev.delta?.message?.toolCalls?.function?.arguments ?? '';
    }
    expect(plan).toBe('I will look up the weather.');
    expect(starts).toMatchObject([{ id: 'get_weather_x1', type: 'function', function: { name: 'get_weather' } }]);
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
  });

  it('the SDK sends tool results with tool_call_id, images as image_url parts and json_object response formats as the mock records them', async () => {
    useDefault();
    await client.chat({
      model: 'command-a-vision-07-2025',
      responseFormat: { type: 'json_object', jsonSchema: { type: 'object' } },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', imageUrl: { url: 'https://example.com/a.png', detail: 'low' } }] },
        { role: 'assistant', toolPlan: 'look', toolCalls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', toolCallId: 'c1', content: 'done' },
      ],
    });
    const body = mock.requests.at(-1)!.body;
    expect(body.response_format).toEqual({ type: 'json_object', json_schema: { type: 'object' } });
    expect(body.messages[0].content[1]).toEqual({ type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } });
    expect(body.messages[1]).toEqual({ role: 'assistant', tool_plan: 'look', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] });
    expect(body.messages[2]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'done' });
  });

  it('embed: float vectors per text, billed input tokens; base64 when asked', async () => {
    useDefault();
    const res = await client.embed({ model: 'embed-v4.0', inputType: 'search_document', embeddingTypes: ['float', 'base64'], texts: ['hello world', 'bye'] });
    expect(res.embeddings.float).toEqual([cohereMockEmbedding('search_document:hello world'), cohereMockEmbedding('search_document:bye')]);
    const decoded = Buffer.from(res.embeddings.base64![0]!, 'base64');
    expect(decoded.readFloatLE(0)).toBeCloseTo(res.embeddings.float![0]![0]!, 6);
    expect(res.meta?.billedUnits?.inputTokens).toBe(3);
    expect(mock.requests.at(-1)!.body).toMatchObject({ input_type: 'search_document', embedding_types: ['float', 'base64'] });
  });

  it('rerank: results best first with relevance scores, one search unit', async () => {
    useDefault();
    const res = await client.rerank({ model: 'rerank-v3.5', query: 'capital of France', documents: ['Paris is the capital of France', 'Berlin is in Germany', 'France'], topN: 2 });
    expect(res.results.map((r) => r.index)).toEqual([0, 2]);
    expect(res.results[0]!.relevanceScore).toBe(1);
    expect(res.meta?.billedUnits?.searchUnits).toBe(1);
  });

  it('errors: a wrong key is a 401 the SDK raises as UnauthorizedError; 429 keeps its message', async () => {
    const bad = new CohereClientV2({ token: 'wrong', baseUrl: mock.url, maxRetries: 0 } as ConstructorParameters<typeof CohereClientV2>[0]);
    useDefault();
    const err = await bad.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'x' }] }).catch((e: any) => e);
    expect(err).toBeInstanceOf(CohereError);
    expect(err.statusCode).toBe(401);
    mock.setHandler(() => cohereError(429, 'You are past the per minute request limit'));
    const limited = await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'x' }] }).catch((e: any) => e);
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toMatchObject({ message: 'You are past the per minute request limit' });
  });
});

describe('our adapter reads what the mock writes', () => {
  const req: ChatRequest = { model: 'command-a-03-2025', messages: [], stream: true };

  it('a streamed answer with a tool plan and two tool calls becomes text, two calls, finish and billed usage', () => {
    const frames = sseFrames(
      cohereStreamFrames({
        toolPlan: 'Checking both.',
        toolCalls: [
          { id: 'a_1', name: 'get_weather', args: { city: 'Paris' } },
          { id: 'b_2', name: 'get_time', args: { city: 'Rome' } },
        ],
        usage: { input_tokens: 40, output_tokens: 20 },
      }).join(''),
    );
    const m = cohereAdapter.chat.stream;
    const state = m.init(req);
    const events: StreamEvent[] = [...frames.flatMap((f) => m.step(state, f)), ...m.end(state)];
    const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    expect(text).toBe('Checking both.');
    expect(events.filter((e) => e.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'a_1', name: 'get_weather' },
      { type: 'tool-call-start', index: 1, id: 'b_2', name: 'get_time' },
    ]);
    const args = (i: number) => events.flatMap((e) => (e.type === 'tool-call-delta' && e.index === i ? [e.argumentsDelta] : [])).join('');
    expect(JSON.parse(args(1))).toEqual({ city: 'Rome' });
    expect(events.slice(-2)).toEqual([
      { type: 'finish', finish: { unified: 'tool_calls', raw: 'TOOL_CALL' } },
      { type: 'usage', usage: { inputTokens: 40, outputTokens: 20 } },
    ]);
  });
});
