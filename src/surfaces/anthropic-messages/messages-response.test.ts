import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { ChatResponse } from '../../../providers/types.js';
import { toAnthropicMessage } from './messages-response.js';

const recorded = JSON.parse(
  readFileSync(new URL('./__fixtures__/anthropic-response-text-usage.json', import.meta.url), 'utf8'),
) as Record<string, any>;

describe('toAnthropicMessage', () => {
  it('reproduces the recorded Anthropic response from its internal form', () => {
    // What an Anthropic upstream's response maps to internally (input = 406 + 0 + 0).
    const internal: ChatResponse = {
      id: recorded.id,
      model: recorded.model,
      created: 0,
      content: [{ type: 'text', text: recorded.content[0].text }],
      finish: { unified: 'stop', raw: 'end_turn', stopSequence: null },
      usage: { inputTokens: 406, outputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0 },
    };
    const out = toAnthropicMessage(internal, 'claude-sonnet-4-5');
    expect(out).toEqual({
      id: 'msg_01T4jd6NyD9xGGtTPDC4ogy5',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: recorded.content,
      stop_reason: recorded.stop_reason,
      stop_sequence: recorded.stop_sequence,
      usage: {
        input_tokens: recorded.usage.input_tokens,
        cache_creation_input_tokens: recorded.usage.cache_creation_input_tokens,
        cache_read_input_tokens: recorded.usage.cache_read_input_tokens,
        output_tokens: recorded.usage.output_tokens,
      },
    });
  });

  it('maps an OpenAI-style answer with reasoning, tool calls and cached input', () => {
    const internal: ChatResponse = {
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      model: 'gpt-4o-2024-08-06',
      created: 1741570283,
      content: [
        { type: 'reasoning', text: 'Need the weather.', signature: 'sig-1' },
        { type: 'reasoning', text: '', redactedData: 'opaque' },
        { type: 'reasoning', text: 'Gemini thought, no signature' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool-call', id: 'call_abc', name: 'get_weather', arguments: '{"location":"Paris"}' },
        { type: 'tool-call', id: 'call_def', name: 'get_time', arguments: '' },
        { type: 'tool-call', id: 'call_ghi', name: 'broken', arguments: '{"location": "Par' },
        { type: 'tool-call', id: 'call_jkl', name: 'array', arguments: '[1,2]' },
      ],
      finish: { unified: 'tool_calls', raw: 'tool_calls' },
      usage: { inputTokens: 1200, outputTokens: 80, cachedInputTokens: 1024, reasoningTokens: 30 },
    };
    expect(toAnthropicMessage(internal, 'smart')).toEqual({
      id: 'msg_chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      type: 'message',
      role: 'assistant',
      model: 'smart',
      content: [
        { type: 'thinking', thinking: 'Need the weather.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'thinking', thinking: 'Gemini thought, no signature', signature: '' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { location: 'Paris' } },
        { type: 'tool_use', id: 'call_def', name: 'get_time', input: {} },
        // Truncated or non-object arguments: Anthropic's input must be an object.
        { type: 'tool_use', id: 'call_ghi', name: 'broken', input: {} },
        { type: 'tool_use', id: 'call_jkl', name: 'array', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 176, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024, output_tokens: 80 },
    });
  });

  it('reports a matched stop sequence, and zero usage when the upstream gave none', () => {
    const out = toAnthropicMessage(
      { id: '', model: 'x', created: 0, content: [{ type: 'text', text: 'a' }], finish: { unified: 'stop', raw: 'stop', stopSequence: 'END' } },
      'mock/echo',
    );
    expect(out.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(out.stop_reason).toBe('stop_sequence');
    expect(out.stop_sequence).toBe('END');
    expect(out.usage).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 });
  });
});
