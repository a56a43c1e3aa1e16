import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../types.js';
import { baseRequest, fixture, runStream, splitSse } from './fixtures.test-helper.js';
import { geminiStreamMapper } from './stream.js';

const req = baseRequest({ stream: true });
const run = (frames: Array<{ data: string }>) => runStream(geminiStreamMapper, req, frames);
const ofType = <T extends StreamEvent['type']>(events: StreamEvent[], type: T) =>
  events.filter((e): e is Extract<StreamEvent, { type: T }> => e.type === type);

describe('geminiStreamMapper — recorded fixtures', () => {
  it('text stream (LF framing): start, deltas, finish, last usage wins', () => {
    const events = run(splitSse(fixture('gemini-stream-text.sse')));
    expect(events[0]).toMatchObject({ type: 'start', model: 'gemini-3.1-flash-lite' });
    // the first chunk's promptTokenCount rides on start (known up front, like Anthropic's message_start)
    expect(ofType(events, 'start')[0]!.usage).toEqual({ inputTokens: 7, outputTokens: 0 });
    expect(ofType(events, 'text-delta').map((e) => e.text).join('')).toBe('The capital of Wyoming is **Cheyenne**.\n');
    expect(ofType(events, 'finish')).toEqual([{ type: 'finish', finish: { unified: 'stop', raw: 'STOP' } }]);
    const usages = ofType(events, 'usage');
    expect(usages.at(-1)!.usage).toEqual({ inputTokens: 7, outputTokens: 10 });
    expect(ofType(events, 'error')).toEqual([]);
  });

  it('stream has no [DONE]: EOF after a finishReason ends it normally', () => {
    const frames = splitSse(fixture('gemini-stream-text.sse'));
    expect(frames.some((f) => f.data.includes('[DONE]'))).toBe(false);
    const state = geminiStreamMapper.init(req);
    for (const f of frames) geminiStreamMapper.step(state, f);
    expect(geminiStreamMapper.end(state)).toEqual([]);
  });

  it('stream cut before a finishReason ends with a 502 error (no [DONE] to tell otherwise)', () => {
    const frames = splitSse(fixture('gemini-stream-text.sse')).slice(0, 2);
    const events = run(frames);
    expect(ofType(events, 'text-delta').map((e) => e.text).join('')).toBe('The capital of Wyoming');
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.error.status).toBe(502);
    expect(last.type === 'error' && last.error.message).toMatch(/cut short/);
  });

  it('an empty stream (no frame at all) is an error, not a silent success', () => {
    expect(run([]).map((e) => e.type)).toEqual(['error']);
  });

  it('thinking + function call (CRLF framing): reasoning deltas, whole call, function calls end with STOP but finish as tool_calls', () => {
    const events = run(splitSse(fixture('gemini-stream-thinking-function-call.sse')));
    expect(events[0]).toMatchObject({ type: 'start', id: '48SHaPHpHKbG-8YPtZCawAk', model: 'gemini-2.5-flash' });
    const reasoning = ofType(events, 'reasoning-delta');
    expect(reasoning).toHaveLength(2);
    expect(reasoning[0]!.text.startsWith('**Calculating the Days**')).toBe(true);
    expect(ofType(events, 'text-delta')).toEqual([]);

    const starts = ofType(events, 'tool-call-start');
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({ index: 0, name: 'now' });
    expect(starts[0]!.id).toMatch(/^call_0_/);
    expect((starts[0]!.providerMetadata as any).gemini.thoughtSignature.startsWith('CiIBVKhc7vB')).toBe(true);
    expect(ofType(events, 'tool-call-delta')).toEqual([{ type: 'tool-call-delta', index: 0, argumentsDelta: '{}' }]);

    expect(ofType(events, 'finish')).toEqual([{ type: 'finish', finish: { unified: 'tool_calls', raw: 'STOP' } }]);
    // tool-call events come before the finish
    expect(events.findIndex((e) => e.type === 'tool-call-start')).toBeLessThan(events.findIndex((e) => e.type === 'finish'));
    expect(ofType(events, 'error')).toEqual([]);
  });

  it('candidatesTokenCount excludes thought tokens in streams too; usage is cumulative, last one wins', () => {
    const usages = ofType(run(splitSse(fixture('gemini-stream-thinking-function-call.sse'))), 'usage').map((e) => e.usage);
    expect(usages).toEqual([
      { inputTokens: 38, outputTokens: 68, reasoningTokens: 68 },
      { inputTokens: 38, outputTokens: 168, reasoningTokens: 168 },
      { inputTokens: 38, outputTokens: 6 + 168, reasoningTokens: 168 },
    ]);
  });

  it('prompt blocked mid-stream (promptFeedback.blockReason) finishes content_filter and ends cleanly', () => {
    const events = run(splitSse(fixture('gemini-stream-prompt-blocked.sse')));
    expect(ofType(events, 'text-delta').map((e) => e.text)).toEqual(['text1', 'text2', 'text3']);
    expect(ofType(events, 'finish')).toEqual([{ type: 'finish', finish: { unified: 'content_filter', raw: 'SAFETY' } }]);
    expect(ofType(events, 'error')).toEqual([]);
    expect(events.filter((e) => e.type === 'start')).toHaveLength(1);
  });
});

describe('geminiStreamMapper — malformed and edge frames', () => {
  it('truncated JSON in a frame → one 502 error event, no throw, later frames ignored', () => {
    const frames = splitSse(fixture('gemini-stream-text.sse'));
    const broken = [frames[0]!, { data: frames[1]!.data.slice(0, 40) }, frames[2]!];
    let events: StreamEvent[] = [];
    expect(() => (events = run(broken))).not.toThrow();
    const errors = ofType(events, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.status).toBe(502);
    expect(errors[0]!.error.message).toMatch(/not valid JSON/);
    expect(ofType(events, 'finish')).toEqual([]); // the frame after the broken one is not used
  });

  it('an {"error": {...}} object inside the stream → error event with mapped status', () => {
    const events = run([
      { data: '{"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]}' },
      { data: '{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}' },
    ]);
    const errors = ofType(events, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toMatchObject({ status: 503, code: 'upstream_unavailable' });
    expect(errors[0]!.error.message).toMatch(/overloaded/);
  });

  it('an in-stream 429 maps to rate_limit_exceeded', () => {
    const events = run([{ data: '{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}' }]);
    expect(ofType(events, 'error')[0]!.error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
  });

  it('two function calls across chunks get indices 0 and 1 and distinct ids', () => {
    const events = run([
      { data: JSON.stringify({ responseId: 'r1', candidates: [{ content: { parts: [{ functionCall: { name: 'a', args: { x: 1 } } }] } }] }) },
      { data: JSON.stringify({ responseId: 'r1', candidates: [{ content: { parts: [{ functionCall: { name: 'b', args: {} } }] }, finishReason: 'STOP' }] }) },
    ]);
    const starts = ofType(events, 'tool-call-start');
    expect(starts.map((s) => [s.index, s.name])).toEqual([[0, 'a'], [1, 'b']]);
    expect(starts[0]!.id).not.toBe(starts[1]!.id);
    expect(ofType(events, 'tool-call-delta').map((d) => d.argumentsDelta)).toEqual(['{"x":1}', '{}']);
    expect(ofType(events, 'finish')[0]!.finish.unified).toBe('tool_calls');
  });

  it('unknown fields, empty frames, a stray [DONE] and empty text parts are ignored', () => {
    const events = run([
      { data: '' },
      { data: '{"candidates":[{"content":{"parts":[{"text":""},{"inlineData":{"mimeType":"image/png","data":"AA=="}},{"text":"ok","newThing":true}]},"newField":1}],"surprise":{}}' },
      { data: '{"candidates":[{"finishReason":"MAX_TOKENS"}]}' },
      { data: '[DONE]' },
    ]);
    expect(events.map((e) => e.type)).toEqual(['start', 'text-delta', 'finish']);
    expect(ofType(events, 'finish')[0]!.finish).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
  });

  it('start falls back to the requested model and a minted id when the chunk has neither', () => {
    const [start] = run([{ data: '{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"STOP"}]}' }]);
    expect(start).toMatchObject({ type: 'start', model: 'gemini-2.5-flash' });
    expect(start?.type === 'start' && start.id).toMatch(/^gemini-/);
  });

  it('a thought part with a signature emits reasoning-signature', () => {
    const events = run([{ data: '{"candidates":[{"content":{"parts":[{"text":"hm","thought":true,"thoughtSignature":"s1"}]},"finishReason":"STOP"}]}' }]);
    expect(events.filter((e) => e.type.startsWith('reasoning'))).toEqual([
      { type: 'reasoning-delta', text: 'hm' },
      { type: 'reasoning-signature', signature: 's1' },
    ]);
  });

  it('identical usage snapshots are not repeated', () => {
    const frames = splitSse(fixture('gemini-stream-prompt-blocked.sse'));
    expect(ofType(run(frames), 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 7, outputTokens: 0 } }]);
  });
});
