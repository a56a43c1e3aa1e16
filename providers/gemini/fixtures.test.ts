import { describe, expect, it } from 'vitest';
import { fixture, splitSse } from './fixtures.test-helper.js';

// The helper itself must split both framings, or every stream test below proves nothing.
describe('SSE fixture splitter', () => {
  it('splits the LF-framed text fixture into 3 frames', () => {
    const text = fixture('gemini-stream-text.sse');
    expect(text.includes('\r\n')).toBe(false);
    const frames = splitSse(text);
    expect(frames).toHaveLength(3);
    for (const f of frames) expect(() => JSON.parse(f.data)).not.toThrow();
  });

  it('splits the CRLF-framed fixtures without leaving \\r in the data', () => {
    for (const [name, count] of [
      ['gemini-stream-thinking-function-call.sse', 3],
      ['gemini-stream-prompt-blocked.sse', 4],
    ] as const) {
      const text = fixture(name);
      expect(text.includes('\r\n\r\n')).toBe(true);
      const frames = splitSse(text);
      expect(frames).toHaveLength(count);
      for (const f of frames) {
        expect(f.data.includes('\r')).toBe(false);
        expect(() => JSON.parse(f.data)).not.toThrow();
      }
    }
  });

  it('joins multi-line data fields with a newline', () => {
    expect(splitSse('data: {"a":\ndata: 1}\n\n')).toEqual([{ data: '{"a":\n1}' }]);
  });
});
