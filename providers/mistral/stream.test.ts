import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../adapter.js';
import type { ChatRequest, StreamEvent } from '../types.js';
import { fixtureFrames } from './__fixtures__/load.js';
import { mistralStreamMapper } from './stream.js';

const req: ChatRequest = { model: 'mistral-small-latest', messages: [], stream: true };

function run(frames: SseFrame[]): StreamEvent[] {
  const state = mistralStreamMapper.init(req);
  const events = frames.flatMap((f) => mistralStreamMapper.step(state, f));
  return [...events, ...mistralStreamMapper.end(state)];
}

const text = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
const types = (events: StreamEvent[]) => events.map((e) => e.type);

describe('Mistral stream mapper', () => {
  it('maps the recorded text stream: start, text deltas, finish, usage', () => {
    const events = run(fixtureFrames('mistral-stream-text.chunks.jsonl'));
    expect(events[0]).toEqual({ type: 'start', id: '5319bd0299614c679a0068a4f2c8ffd0', model: 'mistral-small-latest', created: 1769088720 });
    expect(text(events)).toBe('Hello, world! This is a test response.');
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(6); // empty "" deltas are not emitted
    expect(events.slice(-2)).toEqual([
      { type: 'finish', finish: { unified: 'stop', raw: 'stop' } },
      { type: 'usage', usage: { inputTokens: 13, outputTokens: 8 } },
    ]);
    expect(types(events).filter((t) => t === 'start')).toHaveLength(1);
    expect(types(events)).not.toContain('error');
  });

  it('usage arrives on the finish chunk: finish is emitted before usage, from that one chunk', () => {
    const frames = fixtureFrames('mistral-stream-usage-cached-live.chunks.jsonl');
    const state = mistralStreamMapper.init(req);
    const perFrame = frames.map((f) => mistralStreamMapper.step(state, f));
    expect(perFrame[2]).toEqual([
      { type: 'finish', finish: { unified: 'stop', raw: 'stop' } },
      { type: 'usage', usage: { inputTokens: 19, outputTokens: 2, cachedInputTokens: 0 } },
    ]);
    expect(perFrame[3]).toEqual([]); // [DONE]
    expect(mistralStreamMapper.end(state)).toEqual([]);
    // the live capture's unknown "p" padding field is ignored
    expect(perFrame[1]).toEqual([{ type: 'text-delta', text: 'OK' }]);
  });

  it('reasoning models send content arrays: thinking → reasoning deltas, text → text deltas', () => {
    const events = run(fixtureFrames('mistral-stream-reasoning.chunks.jsonl'));
    expect(events).toEqual([
      { type: 'start', id: 'a4e29c5b82f94d67b23e108a7c9df6e1', model: 'magistral-medium-2507', created: 1769088912 },
      { type: 'reasoning-delta', text: 'The user is asking' },
      { type: 'reasoning-delta', text: ' for 2+2. This is basic arithmetic. 2+2=4.' },
      { type: 'text-delta', text: '2 + 2 = 4' },
      { type: 'finish', finish: { unified: 'stop', raw: 'stop' } },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 46 } },
    ]);
  });

  it('tool calls arrive whole: one start + one delta with the full arguments, then finish and usage', () => {
    const events = run(fixtureFrames('mistral-stream-tool-call.chunks.jsonl'));
    expect(events.slice(1)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'gSIMJiOkT', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location": "San Francisco"}' },
      { type: 'finish', finish: { unified: 'tool_calls', raw: 'tool_calls' } },
      { type: 'usage', usage: { inputTokens: 124, outputTokens: 22 } },
    ]);
  });

  it('several whole tool calls in one delta (and across chunks) get indices 0,1,2; object arguments become JSON', () => {
    const events = run(fixtureFrames('mistral-stream-parallel-tool-calls.handmade.chunks.jsonl'));
    expect(events.filter((e) => e.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'aB3dE5gH7', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location": "Paris"}' },
      { type: 'tool-call-start', index: 1, id: 'Zy9Xw8Vu7', name: 'weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location":"Lyon"}' },
      { type: 'tool-call-start', index: 2, id: 'Qq1Ww2Ee3', name: 'time' },
      { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
    ]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 130, outputTokens: 40 } });
  });

  it('OpenAI-style incremental tool calls from hosted models are followed by their index', () => {
    const events = run(fixtureFrames('mistral-stream-incremental-tool-call.handmade.chunks.jsonl'));
    expect(events.filter((e) => e.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_abc', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ' "Rome"}' },
      { type: 'tool-call-start', index: 1, id: 'call_def', name: 'time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
    ]);
  });

  it('a stream cut short (no finish_reason, no [DONE]) ends with a 502 error', () => {
    const frames = fixtureFrames('mistral-stream-text.chunks.jsonl', { done: false }).slice(0, 4);
    const events = run(frames);
    expect(text(events)).toBe('Hello, world!');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status: 502, type: 'upstream_error' } });
    expect((events.at(-1) as { error: { message: string } }).error.message).toMatch(/cut short/);
  });

  it('an empty body ends with an error too', () => {
    const events = run([]);
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ status: 502, message: expect.stringMatching(/before sending any chunk/) }) }]);
  });

  it('a finish chunk without [DONE] is a clean end; [DONE] without a finish_reason still emits a finish', () => {
    expect(types(run(fixtureFrames('mistral-stream-text.chunks.jsonl', { done: false })))).not.toContain('error');
    const noFinish = fixtureFrames('mistral-stream-text.chunks.jsonl', { done: false }).slice(0, 3);
    const events = run([...noFinish, { data: '[DONE]' }]);
    expect(events.at(-1)).toEqual({ type: 'finish', finish: { unified: 'stop', raw: null } });
  });

  it('truncated JSON in a frame → one 502 error event, no throw, nothing mapped after it', () => {
    const good = fixtureFrames('mistral-stream-text.chunks.jsonl', { done: false });
    const truncated = { data: good[2]!.data.slice(0, 40) };
    const events = run([good[0]!, good[1]!, truncated, good[3]!, { data: '[DONE]' }]);
    expect(types(events)).toEqual(['start', 'text-delta', 'error']);
    const err = events.at(-1) as { error: { status: number; message: string } };
    expect(err.error.status).toBe(502);
    expect(err.error.message).toMatch(/malformed stream frame/);
    expect(err.error.message.length).toBeLessThan(300);
  });

  it('a frame that is JSON but not an object is an error, not a crash', () => {
    expect(types(run([{ data: '[1,2]' }]))).toEqual(['error']);
    expect(types(run([{ data: 'null' }]))).toEqual(['error']);
  });

  it('a mid-stream {"object":"error"} frame becomes an error event carrying its message', () => {
    const good = fixtureFrames('mistral-stream-text.chunks.jsonl', { done: false });
    const events = run([good[0]!, { data: '{"object":"error","message":"Service unavailable","type":"internal_error","code":"3000"}' }]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { status: 502, message: expect.stringMatching(/Service unavailable/) } });
  });

  it('finish_reason "error" → finish (error), usage, then an error event', () => {
    const events = run([
      { data: '{"id":"e","model":"m","choices":[{"index":0,"delta":{"content":"par"},"finish_reason":null}]}' },
      { data: '{"id":"e","model":"m","choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}' },
      { data: '[DONE]' },
    ]);
    expect(types(events)).toEqual(['start', 'text-delta', 'finish', 'usage', 'error']);
    expect(events[2]).toEqual({ type: 'finish', finish: { unified: 'error', raw: 'error' } });
  });

  it('missing choices, unknown fields and a usage-only chunk are tolerated', () => {
    const events = run([
      { data: '{"id":"u","model":"m","created":1,"novel":{"x":1}}' },
      { data: '{"id":"u","choices":[{"index":0,"delta":{"content":"hi","mystery":1},"finish_reason":"stop"}]}' },
      { data: '{"id":"u","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}' },
      { data: '[DONE]' },
    ]);
    expect(events).toEqual([
      { type: 'start', id: 'u', model: 'm', created: 1 },
      { type: 'text-delta', text: 'hi' },
      { type: 'finish', finish: { unified: 'stop', raw: 'stop' } },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } },
    ]);
  });

  it('n > 1: every choice is carried with its index, and each finishes on its own', () => {
    const state = mistralStreamMapper.init({ model: 'm', messages: [], stream: true, n: 2 });
    const frames = [
      { data: '{"id":"n","model":"m","choices":[{"index":1,"delta":{"content":"second"},"finish_reason":null},{"index":0,"delta":{"content":"first"},"finish_reason":null}]}' },
      { data: '{"id":"n","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}' },
    ];
    const events = frames.flatMap((f) => mistralStreamMapper.step(state, f));
    expect(events.filter((e) => e.type === 'text-delta')).toEqual([
      { type: 'text-delta', text: 'second', choice: 1 },
      { type: 'text-delta', text: 'first' },
    ]);
    // Choice 1 has not finished yet: a body that ends here was cut short.
    expect(mistralStreamMapper.end(state).map((e) => e.type)).toEqual(['error']);
    const more = mistralStreamMapper.step(mistralStreamMapper.init({ model: 'm', messages: [], stream: true, n: 2 }), frames[0]!);
    expect(more.map((e) => e.type)).toEqual(['start', 'text-delta', 'text-delta']);
  });
});
