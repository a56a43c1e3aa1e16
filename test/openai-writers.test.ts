/**
 * The OpenAI writers used on the translation path (a non-OpenAI upstream behind `/v1`): the
 * chunk writer and the chat.completion renderer, checked against OpenAI's schemas and read
 * back by the openai SDK's own stream parser.
 */
import { Stream } from 'openai/streaming';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../providers/types.js';
import { OpenAIChunkWriter } from '../src/surfaces/openai-chat/chat-chunks.js';
import { toOpenAIChatCompletion } from '../src/surfaces/openai-chat/chat-response.js';
import { validateOpenAI } from './openapi/validate.js';

const events: StreamEvent[] = [
  { type: 'start', id: 'msg_01', model: 'claude-sonnet-4-5', created: 1723024748 },
  { type: 'reasoning-delta', text: 'thinking…' },
  { type: 'text-delta', text: 'Hello' },
  { type: 'text-delta', text: ' world' },
  { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
  { type: 'finish', finish: { unified: 'tool_calls', raw: 'tool_use' } },
];

function writeAll(includeUsage: boolean): string[] {
  const w = new OpenAIChunkWriter('anthropic/claude-sonnet-4-5', includeUsage);
  return [...events.flatMap((e) => w.step(e)), ...w.end({ inputTokens: 10, outputTokens: 5 }, 0.000105)];
}

const dataOf = (frames: string[]) => frames.map((f) => f.replace(/^data: /, '').trim()).filter((d) => d !== '[DONE]').map((d) => JSON.parse(d));

describe('OpenAIChunkWriter', () => {
  it.each([true, false])('every chunk validates as CreateChatCompletionStreamResponse (include_usage %s)', (includeUsage) => {
    const chunks = dataOf(writeAll(includeUsage));
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', c)).toEqual([]);
    expect(chunks.at(-1).choices.length === 0).toBe(includeUsage);
  });

  it('the openai SDK reads the frames back: text, tool call, usage with cost, [DONE]', async () => {
    const body = new Response(writeAll(true).join('')).body!;
    const stream = Stream.fromSSEResponse<any>(new Response(body, { headers: { 'content-type': 'text/event-stream' } }), new AbortController());
    let text = '';
    let args = '';
    let usage: any;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      args += c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      usage ??= c.usage;
    }
    expect(text).toBe('Hello world');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost: 0.000105 });
  });
});

describe('toOpenAIChatCompletion', () => {
  it('validates as CreateChatCompletionResponse, with tool calls and with text', () => {
    const usage = { inputTokens: 3, outputTokens: 4 };
    const tool = toOpenAIChatCompletion(
      { id: 'msg_1', model: 'm', created: 1, content: [{ type: 'tool-call', id: 't1', name: 'f', arguments: '{}' }], finish: { unified: 'tool_calls', raw: 'tool_use' } },
      usage,
      0,
    );
    const text = toOpenAIChatCompletion({ id: 'msg_2', model: 'm', created: 1, content: [{ type: 'text', text: 'hi' }], finish: { unified: 'stop', raw: 'end_turn' } }, usage, 0.5);
    expect(validateOpenAI('CreateChatCompletionResponse', tool)).toEqual([]);
    expect(validateOpenAI('CreateChatCompletionResponse', text)).toEqual([]);
    expect(text.usage).toMatchObject({ total_tokens: 7, cost: 0.5 });
  });
});
