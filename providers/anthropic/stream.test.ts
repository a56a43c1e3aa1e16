import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../adapter.js';
import type { ChatRequest, StreamEvent } from '../types.js';
import { fixtureFrames } from './__fixtures__/load.js';
import { anthropicStreamMapper as mapper } from './stream.js';

const request: ChatRequest = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true };

/** Feed frames like the engine does: step each, then end once. */
function run(frames: SseFrame[]): StreamEvent[] {
  const state = mapper.init(request);
  const events = frames.flatMap((f) => mapper.step(state, f));
  return [...events, ...mapper.end(state)];
}

const ofType = <T extends StreamEvent['type']>(events: StreamEvent[], type: T) =>
  events.filter((e): e is Extract<StreamEvent, { type: T }> => e.type === type);

describe('anthropic stream mapper — text (anthropic-stream-text.sse)', () => {
  const events = run(fixtureFrames('anthropic-stream-text.sse'));

  it('maps the whole stream, ping ignored, message_stop silent', () => {
    expect(events).toEqual([
      { type: 'start', id: 'msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK', model: 'claude-3-opus-latest', usage: { inputTokens: 11, outputTokens: 1 } },
      { type: 'usage', usage: { inputTokens: 11, outputTokens: 1 } },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ' there' },
      { type: 'text-delta', text: '!' },
      { type: 'finish', finish: { unified: 'stop', raw: 'end_turn', stopSequence: null } },
      { type: 'usage', usage: { inputTokens: 11, outputTokens: 6 } },
    ]);
  });

  it('message_delta usage is cumulative: the last usage event has output 6, not 1 + 6', () => {
    expect(ofType(events, 'usage').at(-1)?.usage.outputTokens).toBe(6);
  });
});

describe('anthropic stream mapper — tool use (anthropic-stream-tool-use.sse)', () => {
  const events = run(fixtureFrames('anthropic-stream-tool-use.sse'));

  it('block index ≠ tool-call index: the tool_use block at index 1 is tool call 0', () => {
    expect(ofType(events, 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather' },
    ]);
    expect(new Set(ofType(events, 'tool-call-delta').map((e) => e.index))).toEqual(new Set([0]));
  });

  it('input_json_delta fragments join into the arguments; the empty first fragment is skipped', () => {
    const deltas = ofType(events, 'tool-call-delta').map((e) => e.argumentsDelta);
    expect(deltas).not.toContain('');
    expect(JSON.parse(deltas.join(''))).toEqual({ location: 'Paris' });
  });

  it('text before the tool call is kept, finish is tool_calls', () => {
    expect(ofType(events, 'text-delta').map((e) => e.text).join('')).toBe("I'll check the current weather in Paris for you.");
    expect(ofType(events, 'finish')[0]?.finish).toEqual({ unified: 'tool_calls', raw: 'tool_use', stopSequence: null });
  });

  it('message_start cache counts are merged with message_delta cumulative output', () => {
    expect(ofType(events, 'usage').at(-1)?.usage).toEqual({ inputTokens: 377, outputTokens: 65, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });

  it('no error at the end of a complete stream', () => {
    expect(ofType(events, 'error')).toEqual([]);
  });
});

describe('anthropic stream mapper — thinking (anthropic-stream-thinking.docs.sse)', () => {
  const events = run(fixtureFrames('anthropic-stream-thinking.docs.sse'));

  it('thinking_delta → reasoning-delta, signature_delta → reasoning-signature, then the text', () => {
    expect(events.map((e) => e.type)).toEqual([
      'start',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-signature',
      'text-delta',
      'finish',
    ]);
    expect(ofType(events, 'reasoning-delta').map((e) => e.text).join('')).toContain('GCD(1071, 462) = 21.');
    expect(ofType(events, 'reasoning-signature')[0]?.signature).toBe('EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...');
  });

  it('a message_start without usage yields no usage event (nothing invented)', () => {
    expect(ofType(events, 'usage')).toEqual([]);
    expect(events[0]).toEqual({ type: 'start', id: 'msg_01...', model: 'claude-opus-4-8' });
  });
});

describe('anthropic stream mapper — errors and malformed streams', () => {
  it('overloaded error after HTTP 200 → error event with status 503, nothing after it', () => {
    const frames = [...fixtureFrames('anthropic-stream-text.sse').slice(0, 4), ...fixtureFrames('anthropic-stream-error-overloaded.docs.sse')];
    const state = mapper.init(request);
    const events = frames.flatMap((f) => mapper.step(state, f));
    const errors = ofType(events, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error).toMatchObject({ status: 503, code: 'upstream_overloaded' });
    expect(errors[0]?.error.message).toContain('Overloaded');
    expect(events.at(-1)?.type).toBe('error');
    // The stream is over: later frames and end() add nothing.
    expect(mapper.step(state, { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}' })).toEqual([]);
    expect(mapper.end(state)).toEqual([]);
  });

  it.each([
    ['rate_limit_error', 429],
    ['api_error', 502],
    ['invalid_request_error', 400],
  ])('an in-stream %s maps to status %i', (type, status) => {
    const events = run([{ event: 'error', data: JSON.stringify({ type: 'error', error: { type, message: 'boom' } }) }]);
    expect(ofType(events, 'error').map((e) => e.error.status)).toEqual([status]);
  });

  it('truncated JSON in an SSE event → error 502 saying the upstream sent malformed data, no throw', () => {
    const frames = fixtureFrames('anthropic-stream-text.sse');
    const cut = frames[3]!; // the "Hello" text delta
    const events = run([...frames.slice(0, 3), { event: cut.event!, data: cut.data.slice(0, 40) }, ...frames.slice(4)]);
    const errors = ofType(events, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error.status).toBe(502);
    expect(errors[0]?.error.message).toMatch(/malformed/);
    expect(errors[0]?.error.message).toContain('content_block_delta');
    expect(ofType(events, 'text-delta')).toEqual([]); // nothing after the corruption is trusted
  });

  it('unknown event types and unknown delta/block types are ignored', () => {
    const frames = fixtureFrames('anthropic-stream-text.sse');
    const extra: SseFrame[] = [
      { event: 'future_event', data: '{"type":"future_event","stuff":1}' },
      { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}' },
      { event: 'content_block_start', data: '{"type":"content_block_start","index":5,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}' },
      { event: 'content_block_delta', data: '{"type":"content_block_delta","index":5,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":1}"}}' },
    ];
    const withExtras = run([...frames.slice(0, 4), ...extra, ...frames.slice(4)]);
    expect(withExtras).toEqual(run(frames));
  });

  it('stream cut before message_stop → error 502 "stream ended before message_stop"', () => {
    const frames = fixtureFrames('anthropic-stream-tool-use.sse');
    const events = run(frames.slice(0, 8));
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: expect.objectContaining({ status: 502, message: expect.stringContaining('stream ended before message_stop') }),
    });
  });

  it('cut after message_delta but before message_stop is still an error', () => {
    const frames = fixtureFrames('anthropic-stream-text.sse');
    expect(run(frames.slice(0, -1)).at(-1)?.type).toBe('error');
  });
});

describe('anthropic stream mapper — tool-call edge cases', () => {
  const start = { event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { id: 'msg_1', model: 'm', usage: { input_tokens: 3, output_tokens: 1 } } }) };
  const block = (index: number, content_block: unknown) => ({ event: 'content_block_start', data: JSON.stringify({ type: 'content_block_start', index, content_block }) });
  const json = (index: number, partial_json: string) => ({
    event: 'content_block_delta',
    data: JSON.stringify({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }),
  });
  const stop = (index: number) => ({ event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index }) });

  it('parallel tool calls after a thinking and a text block are numbered 0 and 1', () => {
    const events = run([
      start,
      block(0, { type: 'thinking', thinking: '', signature: '' }),
      stop(0),
      block(1, { type: 'text', text: '' }),
      stop(1),
      block(2, { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} }),
      json(2, '{"x":1}'),
      stop(2),
      block(3, { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} }),
      json(3, '{"y":2}'),
      stop(3),
      { event: 'message_stop', data: '{"type":"message_stop"}' },
    ]);
    expect(ofType(events, 'tool-call-start').map((e) => [e.index, e.id])).toEqual([
      [0, 'toolu_a'],
      [1, 'toolu_b'],
    ]);
    expect(ofType(events, 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"x":1}' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"y":2}' },
    ]);
  });

  it('a tool call with no arguments (only "" fragments) gets "{}", as in the non-stream answer', () => {
    const events = run([start, block(0, { type: 'tool_use', id: 't', name: 'now', input: {} }), json(0, ''), stop(0)]);
    expect(ofType(events, 'tool-call-delta')).toEqual([{ type: 'tool-call-delta', index: 0, argumentsDelta: '{}' }]);
  });

  it('redacted_thinking block start → reasoning-redacted', () => {
    const events = run([start, block(0, { type: 'redacted_thinking', data: 'opaque' })]);
    expect(ofType(events, 'reasoning-redacted')).toEqual([{ type: 'reasoning-redacted', data: 'opaque' }]);
  });

  it('frames without event names (a proxy stripped them) are read by data.type', () => {
    const named = fixtureFrames('anthropic-stream-text.sse');
    expect(run(named.map((f) => ({ data: f.data })))).toEqual(run(named));
  });
});
