import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { StreamEvent } from '../../../providers/types.js';
import { ANTHROPIC_PING_FRAME, createAnthropicStreamWriter } from './messages-stream.js';

interface Frame {
  event: string;
  data: any;
}

/** Splits SSE text into named frames; checks each frame's `event:` repeats its JSON `type`. */
function parseFrames(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1];
      const data = /^data: (.*)$/m.exec(chunk)?.[1];
      if (event === undefined || data === undefined) throw new Error(`not a named SSE frame: ${chunk}`);
      const parsed = JSON.parse(data);
      expect(parsed.type).toBe(event);
      return { event, data: parsed };
    });
}

function run(model: string, events: StreamEvent[]): { perStep: string[][]; end: string[]; frames: Frame[] } {
  const writer = createAnthropicStreamWriter(model);
  const perStep = events.map((e) => writer.step(e));
  const end = writer.end();
  const text = [...perStep.flat(), ...end].join('');
  // Every frame is exactly `event: <type>\ndata: <json>\n\n`.
  for (const f of [...perStep.flat(), ...end]) expect(f).toMatch(/^event: [a-z_]+\ndata: \{.*\}\n\n$/);
  return { perStep, end, frames: parseFrames(text) };
}

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('Anthropic stream writer', () => {
  it('reproduces the recorded tool-use stream from its internal events', () => {
    const recorded = parseFrames(fixture('anthropic-stream-tool-use.sse'))
      .filter((f) => f.event !== 'ping')
      // We do not write Anthropic's optional "" first input_json_delta.
      .filter((f) => f.data.delta?.partial_json !== '');
    const args = ['{"locati', 'on": "P', 'ar', 'is"}'];
    const { frames } = run('claude-sonnet-4-20250514', [
      { type: 'start', id: 'msg_019Q1hrJbZG26Fb9BQhrkHEr', model: 'claude-sonnet-4-20250514', usage: { inputTokens: 377, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0 } },
      { type: 'text-delta', text: 'I' },
      { type: 'text-delta', text: "'ll check the current weather in Paris for you." },
      { type: 'tool-call-start', index: 0, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '' },
      ...args.map((a): StreamEvent => ({ type: 'tool-call-delta', index: 0, argumentsDelta: a })),
      { type: 'finish', finish: { unified: 'tool_calls', raw: 'tool_use', stopSequence: null } },
      { type: 'usage', usage: { inputTokens: 377, outputTokens: 65, cachedInputTokens: 0, cacheWriteTokens: 0 } },
    ]);
    expect(frames.map((f) => f.event)).toEqual(recorded.map((f) => f.event));
    // Same payloads, minus the fields only Anthropic itself knows (service_tier, caller).
    const strip = (f: Frame) => {
      const d = structuredClone(f.data);
      delete d.message?.usage?.service_tier;
      delete d.content_block?.caller;
      return d;
    };
    const ours = frames.map(strip);
    const theirs = recorded.map(strip);
    // The recorded message_delta carries output_tokens only; ours the whole cumulative usage.
    expect(ours.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 377, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 65 },
    });
    expect(ours.at(-2)).toMatchObject(theirs.at(-2));
    expect(ours.slice(0, -2)).toEqual(theirs.slice(0, -2));
    expect(ours.at(-1)).toEqual(theirs.at(-1));
  });

  it('reproduces the documented thinking stream (thinking_delta, signature_delta, then text)', () => {
    const docs = parseFrames(fixture('anthropic-stream-thinking.docs.sse'));
    const thoughts = docs.filter((f) => f.data.delta?.type === 'thinking_delta').map((f) => f.data.delta.thinking as string);
    const signature = docs.find((f) => f.data.delta?.type === 'signature_delta')!.data.delta.signature as string;
    const { frames } = run('claude-opus-4-8', [
      { type: 'start', id: 'msg_01...', model: 'claude-opus-4-8' },
      ...thoughts.map((t): StreamEvent => ({ type: 'reasoning-delta', text: t })),
      { type: 'reasoning-signature', signature },
      { type: 'text-delta', text: 'The greatest common divisor of 1071 and 462 is **21**.' },
      { type: 'finish', finish: { unified: 'stop', raw: 'end_turn' } },
    ]);
    expect(frames.map((f) => f.event)).toEqual(docs.map((f) => f.event));
    // The docs example omits usage; everything else matches frame for frame.
    const noUsage = (f: Frame) => {
      const d = structuredClone(f.data);
      delete d.usage;
      delete d.message?.usage;
      return d;
    };
    expect(frames.map(noUsage)).toEqual(docs.map(noUsage));
  });

  it('numbers blocks over all kinds, waits for the usage that follows finish (OpenAI order)', () => {
    const { perStep, end, frames } = run('openai/gpt-4o', [
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o' },
      { type: 'text-delta', text: '' },
      { type: 'text-delta', text: 'Checking both.' },
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"Rome"}' },
      { type: 'finish', finish: { unified: 'tool_calls', raw: 'tool_calls' } },
      { type: 'usage', usage: { inputTokens: 120, outputTokens: 40, cachedInputTokens: 100 } },
    ]);
    // Nothing is written for finish and usage: message_delta waits for end() and the final usage.
    expect(perStep.at(-1)).toEqual([]);
    expect(perStep.at(-2)).toEqual([]);
    expect(perStep[1]).toEqual([]);
    expect(frames[0]!.data.message).toEqual({
      id: 'msg_chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'openai/gpt-4o',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
    });
    const blockEvents = frames
      .filter((f) => f.event.startsWith('content_block'))
      .map((f) => `${f.event}:${f.data.index}:${f.data.content_block?.type ?? f.data.delta?.type ?? ''}`);
    expect(blockEvents).toEqual([
      'content_block_start:0:text',
      'content_block_delta:0:text_delta',
      'content_block_stop:0:',
      'content_block_start:1:tool_use',
      'content_block_delta:1:input_json_delta',
      'content_block_stop:1:',
      'content_block_start:2:tool_use',
      'content_block_delta:2:input_json_delta',
      'content_block_delta:2:input_json_delta',
      'content_block_stop:2:',
    ]);
    expect(parseFrames(end.join(''))).toEqual([
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 2 } },
      {
        event: 'message_delta',
        data: {
          type: 'message_delta',
          delta: { stop_reason: 'tool_use', stop_sequence: null },
          usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 40 },
        },
      },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
  });

  it('synthesises message_start when content comes first, and ignores a late start', () => {
    const { frames } = run('mock/echo', [
      { type: 'text-delta', text: 'hi' },
      { type: 'start', id: 'late', model: 'x' },
      { type: 'finish', finish: { unified: 'stop', raw: 'stop', stopSequence: 'END' } },
    ]);
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[0]!.data.message.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(frames[4]!.data.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('writes signature-only and redacted thinking blocks, and opens a new block for reasoning after a signature', () => {
    const { frames } = run('m', [
      { type: 'start', id: 'msg_x', model: 'm' },
      { type: 'reasoning-signature', signature: 'sig-omitted' },
      { type: 'reasoning-delta', text: 'second thought' },
      { type: 'reasoning-redacted', data: 'opaque' },
      { type: 'text-delta', text: 'ok' },
      { type: 'finish', finish: { unified: 'stop', raw: 'end_turn' } },
    ]);
    const compact = frames.slice(1, -2).map((f) => [f.event, f.data.index, f.data.content_block ?? f.data.delta ?? null]);
    expect(compact).toEqual([
      ['content_block_start', 0, { type: 'thinking', thinking: '', signature: '' }],
      ['content_block_delta', 0, { type: 'signature_delta', signature: 'sig-omitted' }],
      ['content_block_stop', 0, null],
      ['content_block_start', 1, { type: 'thinking', thinking: '', signature: '' }],
      ['content_block_delta', 1, { type: 'thinking_delta', thinking: 'second thought' }],
      ['content_block_stop', 1, null],
      ['content_block_start', 2, { type: 'redacted_thinking', data: 'opaque' }],
      ['content_block_stop', 2, null],
      ['content_block_start', 3, { type: 'text', text: '' }],
      ['content_block_delta', 3, { type: 'text_delta', text: 'ok' }],
      ['content_block_stop', 3, null],
    ]);
  });

  it('drops arguments for a tool block already closed instead of writing after its stop', () => {
    const { frames } = run('m', [
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"late":1}' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'finish', finish: { unified: 'tool_calls', raw: 'tool_calls' } },
    ]);
    const deltas = frames.filter((f) => f.event === 'content_block_delta').map((f) => [f.data.index, f.data.delta.partial_json]);
    expect(deltas).toEqual([[1, '{}']]);
  });

  it('ends with an error frame and no message_stop on an error event', () => {
    const writer = createAnthropicStreamWriter('m');
    writer.step({ type: 'start', id: 'msg_1', model: 'm' });
    writer.step({ type: 'text-delta', text: 'partial' });
    const errorFrames = writer.step({
      type: 'error',
      error: { status: 529, type: 'overloaded_error', code: null, message: 'Overloaded' },
    });
    expect(errorFrames).toEqual(['event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n']);
    expect(parseFrames(errorFrames.join(''))).toEqual(parseFrames(fixture('anthropic-stream-error-overloaded.docs.sse')));
    expect(writer.step({ type: 'text-delta', text: 'more' })).toEqual([]);
    expect(writer.end()).toEqual([]);
  });

  it('reports a stream cut before any finish as an error, not a clean end', () => {
    const { frames } = run('m', [
      { type: 'start', id: 'msg_1', model: 'm' },
      { type: 'text-delta', text: 'half an ans' },
    ]);
    expect(frames.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error', message: 'The upstream stream ended before the message was complete.' } },
    });
    expect(frames.some((f) => f.event === 'message_stop')).toBe(false);
  });

  it('exports a ping frame in Anthropic form', () => {
    expect(ANTHROPIC_PING_FRAME).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});
