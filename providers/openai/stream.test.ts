import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../adapter.js';
import type { StreamEvent } from '../types.js';
import { fixtureFrames } from './__fixtures__/load.js';
import { openAIStreamMapper } from './stream.js';

function run(frames: SseFrame[]): StreamEvent[] {
  const state = openAIStreamMapper.init({ model: 'gpt-4o', messages: [], stream: true });
  return [...frames.flatMap((f) => openAIStreamMapper.step(state, f)), ...openAIStreamMapper.end(state)];
}
const text = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
const of = <T extends StreamEvent['type']>(events: StreamEvent[], type: T) => events.filter((e): e is Extract<StreamEvent, { type: T }> => e.type === type);

describe('openAIStreamMapper — live recordings (openai-python test snapshots)', () => {
  it('a text stream: one start, the text, finish stop, then the usage of the final choices:[] chunk', () => {
    const events = run(fixtureFrames('openai-stream-text-usage.sse'));
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-9tXjg9DdaOfymTPDrSLfxslQEH0C2', model: 'gpt-4o-2024-08-06', created: 1723024748 });
    expect(of(events, 'start')).toHaveLength(1);
    expect(text(events)).toMatch(/^I'm unable to provide real-time updates, .* local San Francisco news station\.$/);
    expect(of(events, 'finish')).toEqual([{ type: 'finish', finish: { unified: 'stop', raw: 'stop' } }]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 14, outputTokens: 47 } });
    expect(of(events, 'error')).toEqual([]);
  });

  it('with logprobs: the text is still the content deltas only', () => {
    const events = run(fixtureFrames('openai-stream-text-logprobs-usage.sse'));
    expect(text(events)).toBe('Foo!');
    expect(of(events, 'usage').at(-1)!.usage).toEqual({ inputTokens: 9, outputTokens: 2 });
  });

  it('a tool call: its id and name once, then argument fragments that join into the JSON', () => {
    const events = run(fixtureFrames('openai-stream-tool-call-usage.sse'));
    expect(of(events, 'tool-call-start')).toEqual([{ type: 'tool-call-start', index: 0, id: 'call_5uxEBMFySqqQGu02I5QHA8k6', name: 'get_weather' }]);
    expect(of(events, 'tool-call-delta').map((e) => e.argumentsDelta).join('')).toBe('{"city":"New York City"}');
    expect(of(events, 'finish')[0]!.finish.unified).toBe('tool_calls');
    expect(of(events, 'usage').at(-1)!.usage).toEqual({ inputTokens: 44, outputTokens: 16 });
  });

  it('parallel tool calls: two calls, each with its own index and arguments', () => {
    const events = run(fixtureFrames('openai-stream-parallel-tool-calls.sse'));
    expect(of(events, 'tool-call-start').map((e) => [e.index, e.name, e.id])).toEqual([
      [0, 'GetWeatherArgs', 'call_lQnnsesjFMWMQ5IeWPHzR4th'],
      [1, 'get_stock_price', 'call_2xjOUgaCdiwAcl9ZBL9LyMUU'],
    ]);
    const args = (i: number) => of(events, 'tool-call-delta').filter((e) => e.index === i).map((e) => e.argumentsDelta).join('');
    expect(JSON.parse(args(0))).toEqual({ city: 'Edinburgh', country: 'UK', units: 'c' });
    expect(JSON.parse(args(1))).toEqual({ ticker: 'AAPL', exchange: 'NASDAQ' });
  });
});

describe('openAIStreamMapper — broken streams', () => {
  it('a stream cut before its finish or [DONE] ends with upstream_stream_cut', () => {
    const frames = fixtureFrames('openai-stream-text-usage.sse').slice(0, 5);
    expect(run(frames).at(-1)).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_stream_cut' } });
  });

  it('a frame that is not JSON is upstream_malformed; an error object in the stream is upstream_error', () => {
    expect(run([{ data: '{"choices":' }])[0]).toMatchObject({ type: 'error', error: { code: 'upstream_malformed' } });
    expect(run([{ data: '{"error":{"message":"overloaded"}}' }])[0]).toMatchObject({ type: 'error', error: { code: 'upstream_error', message: 'overloaded' } });
  });

  it('a delta.refusal streams as text and finishes content_filter', () => {
    const events = run([{ data: '{"id":"c","choices":[{"delta":{"refusal":"No."}}]}' }, { data: '{"id":"c","choices":[{"delta":{},"finish_reason":"stop"}]}' }, { data: '[DONE]' }]);
    expect(text(events)).toBe('No.');
    expect(of(events, 'finish')[0]!.finish).toEqual({ unified: 'content_filter', raw: 'stop' });
  });
});
