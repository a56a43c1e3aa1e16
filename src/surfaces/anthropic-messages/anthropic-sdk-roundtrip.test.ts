/**
 * Proof that our frames and bodies are true Anthropic wire format: the official
 * `@anthropic-ai/sdk` talks to a loopback server that answers with what these converters
 * produce, and must assemble the right messages and errors. The same server parses the SDK's
 * request body with parseMessagesRequest, so the parser is checked against the SDK's writer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import type { ChatRequest, ChatResponse, GatewayErrorShape, StreamEvent } from '../../../providers/types.js';
import { toAnthropicError } from './errors.js';
import { toAnthropicMessage } from './messages-response.js';
import { createAnthropicStreamWriter } from './messages-stream.js';
import { parseMessagesRequest } from './parse-messages-request.js';

/** What the "upstream" answers, by the user's last text; plus the requests the server parsed. */
const toolLoopEvents: StreamEvent[] = [
  { type: 'start', id: 'chatcmpl-42', model: 'gpt-4o', usage: { inputTokens: 300, outputTokens: 0, cachedInputTokens: 200 } },
  { type: 'reasoning-delta', text: 'Two cities, ' },
  { type: 'reasoning-delta', text: 'two calls.' },
  { type: 'reasoning-signature', signature: 'sig-abc' },
  { type: 'text-delta', text: 'Let me ' },
  { type: 'text-delta', text: 'check.' },
  { type: 'tool-call-start', index: 0, id: 'call_paris', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: ' "Paris", "days": 2}' },
  { type: 'tool-call-start', index: 1, id: 'call_rome', name: 'get_weather' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city": "Rome"}' },
  { type: 'finish', finish: { unified: 'tool_calls', raw: 'tool_calls' } },
  { type: 'usage', usage: { inputTokens: 300, outputTokens: 57, cachedInputTokens: 200, reasoningTokens: 12 } },
];

const parsed: ChatRequest[] = [];
let server: Server;
let client: Anthropic;

function sendError(res: import('node:http').ServerResponse, err: GatewayErrorShape): void {
  const { status, body } = toAnthropicError(err, 'req_test');
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const chat = parseMessagesRequest(JSON.parse(raw));
      parsed.push(chat);
      const lastUser = chat.messages.at(-1);
      const prompt = lastUser?.role === 'user' && lastUser.content[0]?.type === 'text' ? lastUser.content[0].text : '';
      if (prompt === 'not found') return sendError(res, { status: 404, type: 'invalid_request_error', code: 'model_not_found', message: 'model nope/nope not found' });
      if (!chat.stream) {
        const answer: ChatResponse = {
          id: 'msg_01XYZ',
          model: 'claude-sonnet-4-5-20250929',
          created: 0,
          content: [
            { type: 'text', text: 'On it.' },
            { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          ],
          finish: { unified: 'tool_calls', raw: 'tool_use' },
          usage: { inputTokens: 50, outputTokens: 9, cacheWriteTokens: 30 },
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(toAnthropicMessage(answer, chat.model)));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const writer = createAnthropicStreamWriter(chat.model);
      const events: StreamEvent[] =
        prompt === 'overload'
          ? [toolLoopEvents[0]!, { type: 'text-delta', text: 'par' }, { type: 'error', error: { status: 503, type: 'api_error', code: null, message: 'openai: upstream overloaded' } }]
          : toolLoopEvents;
      for (const e of events) for (const f of writer.step(e)) res.write(f);
      for (const f of writer.end()) res.write(f);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: 'x', maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const tools = [
  {
    name: 'get_weather',
    description: 'Weather forecast',
    input_schema: { type: 'object' as const, properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
  },
];

describe('@anthropic-ai/sdk against our converters', () => {
  it('assembles the streamed tool-use message: thinking + signature, text, parsed inputs, usage', async () => {
    const stream = client.messages.stream({
      model: 'openai/gpt-4o',
      max_tokens: 2048,
      tools,
      messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
    });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const msg = await stream.finalMessage();

    expect(texts).toEqual(['Let me ', 'check.']);
    expect(msg.id).toBe('msg_chatcmpl-42');
    expect(msg.model).toBe('openai/gpt-4o');
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Two cities, two calls.', signature: 'sig-abc' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_paris', name: 'get_weather', input: { city: 'Paris', days: 2 } },
      { type: 'tool_use', id: 'call_rome', name: 'get_weather', input: { city: 'Rome' } },
    ]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.stop_sequence).toBeNull();
    expect(msg.usage).toEqual({ input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 200, output_tokens: 57 });

    // The SDK's own request body went through our parser.
    const req = parsed.at(-1)!;
    expect(req).toMatchObject({ model: 'openai/gpt-4o', maxTokens: 2048, stream: true, includeUsage: true });
    expect(req.tools).toEqual([{ name: 'get_weather', description: 'Weather forecast', parameters: tools[0]!.input_schema }]);
  });

  it('sends the assembled message back as the next turn, and our parser reads it with its signature', async () => {
    const first = await client.messages.stream({ model: 'm', max_tokens: 2048, tools, messages: [{ role: 'user', content: 'go' }] }).finalMessage();
    const toolUses = first.content.filter((b) => b.type === 'tool_use');
    await client.messages.create({
      model: 'm',
      max_tokens: 2048,
      tools,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: toolUses.map((b) => ({ type: 'tool_result' as const, tool_use_id: b.id, content: `sunny in ${b.id}` })) },
      ],
    });
    const req = parsed.at(-1)!;
    expect(req.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Two cities, two calls.', signature: 'sig-abc' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-call', id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris","days":2}' },
        { type: 'tool-call', id: 'call_rome', name: 'get_weather', arguments: '{"city":"Rome"}' },
      ],
    });
    expect(req.messages[2]).toEqual({
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_paris', toolName: 'get_weather', content: 'sunny in call_paris' },
        { type: 'tool-result', toolCallId: 'call_rome', toolName: 'get_weather', content: 'sunny in call_rome' },
      ],
    });
  });

  it('reads a non-streaming response body', async () => {
    const msg = await client.messages.create({ model: 'smart', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg).toEqual({
      id: 'msg_01XYZ',
      type: 'message',
      role: 'assistant',
      model: 'smart',
      content: [
        { type: 'text', text: 'On it.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 20, cache_creation_input_tokens: 30, cache_read_input_tokens: 0, output_tokens: 9 },
    });
  });

  it('raises the typed SDK error for an HTTP error envelope', async () => {
    const err = await client.messages.create({ model: 'nope/nope', max_tokens: 10, messages: [{ role: 'user', content: 'not found' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    const e = err as InstanceType<typeof Anthropic.NotFoundError>;
    expect(e.status).toBe(404);
    expect(e.error).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'model nope/nope not found' }, request_id: 'req_test' });
  });

  it('raises an APIError for a mid-stream error frame', async () => {
    const stream = client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'overload' }] });
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'openai: upstream overloaded' },
    });
  });
});
