import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types.js';
import { fixtureJson } from './__fixtures__/load.js';
import { parseAnthropicResponse } from './response.js';

const req: ChatRequest = { model: 'claude-sonnet-4-5', messages: [], stream: false };

describe('parseAnthropicResponse', () => {
  it('reads the recorded structured-output response (text, end_turn, usage with cache counts)', () => {
    const res = parseAnthropicResponse(fixtureJson('anthropic-response-text-usage.json'), req);
    expect(res).toMatchObject({
      id: 'msg_01T4jd6NyD9xGGtTPDC4ogy5',
      model: 'claude-sonnet-4-5-20250929',
      finish: { unified: 'stop', raw: 'end_turn', stopSequence: null },
      usage: { inputTokens: 406, outputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0 },
    });
    expect(res.content).toHaveLength(1);
    const part = res.content[0];
    expect(part?.type === 'text' && JSON.parse(part.text)).toMatchObject({ total: 14 });
    expect(typeof res.created).toBe('number');
  });

  it('the exchange fixture response body parses the same as the derived body', () => {
    const [exchange] = fixtureJson('anthropic-exchange-structured-output.json');
    const a = parseAnthropicResponse(exchange.response.body, req);
    const b = parseAnthropicResponse(fixtureJson('anthropic-response-text-usage.json'), req);
    expect({ ...a, created: 0 }).toEqual({ ...b, created: 0 });
  });

  it('thinking (with signature), redacted_thinking, text and tool_use, in order', () => {
    const res = parseAnthropicResponse(
      {
        id: 'msg_2',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-1',
        content: [
          { type: 'thinking', thinking: 'Paris first.', signature: 'sig-1' },
          { type: 'redacted_thinking', data: 'opaque==' },
          { type: 'text', text: 'Checking.', citations: null },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris', units: ['c'] }, caller: { type: 'direct' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 30, output_tokens_details: { thinking_tokens: 12 } },
      },
      req,
    );
    expect(res.content).toEqual([
      { type: 'reasoning', text: 'Paris first.', signature: 'sig-1' },
      { type: 'reasoning', text: '', redactedData: 'opaque==' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"location":"Paris","units":["c"]}' },
    ]);
    expect(res.finish).toEqual({ unified: 'tool_calls', raw: 'tool_use', stopSequence: null });
    expect(res.usage).toEqual({ inputTokens: 10, outputTokens: 30, reasoningTokens: 12 });
  });

  it('stop_sequence keeps the matched string', () => {
    const res = parseAnthropicResponse({ id: 'm', content: [], stop_reason: 'stop_sequence', stop_sequence: '###' }, req);
    expect(res.finish).toEqual({ unified: 'stop', raw: 'stop_sequence', stopSequence: '###' });
    expect(res.model).toBe('claude-sonnet-4-5'); // upstream model missing → the requested one
    expect(res.usage).toBeUndefined();
  });

  it.each([
    ['a string', 'not json at all', /not a JSON object/],
    ['null', null, /not a JSON object \(got null\)/],
    ['an object without content', { id: 'x', type: 'message' }, /no content array/],
    ['an error body with status 200', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, /overloaded_error: Overloaded/],
  ])('throws a clear Error on %s', (_label, body, message) => {
    expect(() => parseAnthropicResponse(body, req)).toThrow(message);
  });
});
