import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../adapter.js';
import type { ChatRequest, StreamEvent } from '../types.js';
import { fixtureFrames } from './fixtures.test-helper.js';
import { sniffCohereStreamUsage } from './index.js';
import { cohereStreamMapper as m } from './stream.js';

const req: ChatRequest = { model: 'command-a-03-2025', messages: [], stream: true };

function run(frames: SseFrame[], end = true): StreamEvent[] {
  const state = m.init(req);
  return [...frames.flatMap((f) => m.step(state, f)), ...(end ? m.end(state) : [])];
}

describe('cohereStreamMapper', () => {
  it('text: start, deltas in order, finish and billed usage from message-end', () => {
    expect(run(fixtureFrames('chat-stream-text.handmade.sse'))).toEqual([
      { type: 'start', id: 'a8fc192e-4bb8-4e15-ae1f-a174e8b02ae8', model: 'command-a-03-2025' },
      { type: 'text-delta', text: 'Coca' },
      { type: 'text-delta', text: '-Cola is a soft drink.' },
      { type: 'finish', finish: { unified: 'stop', raw: 'COMPLETE' } },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 7 } },
    ]);
  });

  it('tool calls: the plan as text; each call opened with its id and name, arguments whole or in fragments', () => {
    const events = run(fixtureFrames('chat-stream-tool-call.handmade.sse'));
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text).join('')).toBe('I will search for the weather.');
    expect(events.filter((e) => e.type === 'tool-call-start' || e.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'get_weather_nsz5zm3w56q3', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Madrid"}' },
      { type: 'tool-call-start', index: 1, id: 'get_weather_cp2wqnj0sp4a', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location":"Brasilia"}' },
    ]);
    expect(events.at(-2)).toEqual({ type: 'finish', finish: { unified: 'tool_calls', raw: 'TOOL_CALL' } });
  });

  it('thinking deltas become reasoning', () => {
    const events = run([
      { data: '{"type":"message-start","id":"x"}' },
      { data: '{"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}' },
      { data: '{"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"hmm"}}}}' },
      { data: '{"type":"message-end","delta":{"finish_reason":"COMPLETE"}}' },
    ]);
    expect(events).toContainEqual({ type: 'reasoning-delta', text: 'hmm' });
  });

  it('finish_reason ERROR ends with finish, usage, then an error event quoting Cohere', () => {
    const events = run([{ data: '{"type":"message-start","id":"x"}' }, { data: '{"type":"message-end","delta":{"finish_reason":"ERROR","error":"model overloaded","usage":{"billed_units":{"input_tokens":3,"output_tokens":1}}}}' }]);
    expect(events.slice(1, 3)).toEqual([
      { type: 'finish', finish: { unified: 'error', raw: 'ERROR' } },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } },
    ]);
    expect(events[3]).toMatchObject({ type: 'error', error: { status: 502, message: expect.stringContaining('model overloaded') } });
  });

  it('a malformed frame → one error event; nothing after it is mapped', () => {
    const events = run([{ data: '{"type":"message-start","id":"x"}' }, { data: '{"type":"content-delta","ind' }, { data: '{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"late"}}}}' }]);
    expect(events.map((e) => e.type)).toEqual(['start', 'error']);
    expect(events[1]).toMatchObject({ error: { message: expect.stringMatching(/malformed/) } });
  });

  it('an error object in the stream, or a body cut before message-end, → an error event', () => {
    expect(run([{ data: '{"message":"internal error"}' }])).toMatchObject([{ type: 'error', error: { message: expect.stringContaining('internal error') } }]);
    expect(run([{ data: '{"type":"message-start","id":"x"}' }]).at(-1)).toMatchObject({ type: 'error', error: { message: expect.stringMatching(/cut short/) } });
    expect(run([])).toMatchObject([{ type: 'error', error: { message: expect.stringMatching(/before sending any event/) } }]);
  });

  it('unknown events and [DONE] are ignored; the event name may come from the SSE event field', () => {
    const events = run([
      { event: 'message-start', data: '{"id":"y"}' },
      { data: '{"type":"citation-start","index":0}' },
      { data: '{"type":"brand-new","x":1}' },
      { event: 'content-delta', data: '{"index":0,"delta":{"message":{"content":{"text":"ok"}}}}' },
      { data: '{"type":"message-end","delta":{"finish_reason":"COMPLETE"}}' },
      { data: '[DONE]' },
    ]);
    expect(events).toEqual([
      { type: 'start', id: 'y', model: 'command-a-03-2025' },
      { type: 'text-delta', text: 'ok' },
      { type: 'finish', finish: { unified: 'stop', raw: 'COMPLETE' } },
    ]);
  });

  it('pass-through sniffing reads usage from message-end only', () => {
    const frames = fixtureFrames('chat-stream-text.handmade.sse');
    expect(frames.map((f) => sniffCohereStreamUsage(f, undefined)).filter(Boolean)).toEqual([{ inputTokens: 9, outputTokens: 7 }]);
  });
});
