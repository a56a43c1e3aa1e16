import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../../providers/adapter.js';
import { sseFrames, ssePassthroughRuns, type SseRun } from '../../src/engine/sse.js';
import { openAIChatSurface } from '../../src/surfaces/openai-chat/surface.js';

const fixture = readFileSync(new URL('./__fixtures__/openai-stream-text-usage.sse', import.meta.url));
const isPlain = openAIChatSurface.passthrough.plainFrame!;

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** What the client receives: raw runs as they are, parsed frames re-framed like passthrough.frame(). */
function wire(runs: SseRun[]): string {
  return runs.map((r) => (r instanceof Uint8Array ? Buffer.from(r).toString('utf8') : r.event ? `event: ${r.event}\ndata: ${r.data}\n\n` : `data: ${r.data}\n\n`)).join('');
}

/** The frames the byte runs stand for, parsed back with the central parser (the reference). */
async function framesOf(runs: SseRun[]): Promise<SseFrame[]> {
  const out: SseFrame[] = [];
  for (const r of runs) {
    if (r instanceof Uint8Array) out.push(...(await collect(sseFrames(chunks(r, r.length || 1)))));
    else out.push(r);
  }
  return out;
}

describe('ssePassthroughRuns (pass-through fast path)', () => {
  it.each([1, 7, 64, 333, fixture.length])('real OpenAI stream in %i-byte chunks: same frames as the central parser, ordinary chunks left as bytes', async (size) => {
    const reference = await collect(sseFrames(chunks(fixture, size)));
    const runs = (await collect(ssePassthroughRuns(chunks(fixture, size), isPlain))).flat();
    expect(await framesOf(runs)).toEqual(reference);
    expect(wire(runs)).toBe(fixture.toString('utf8'));
    // Only the usage chunk and [DONE] are decoded.
    const parsed = runs.filter((r): r is SseFrame => !(r instanceof Uint8Array));
    expect(parsed.map((f) => f.data.slice(0, 12))).toEqual([expect.stringContaining('{"id":'), '[DONE]']);
    expect(parsed[0]!.data).toContain('"usage":{"prompt_tokens":14');
  });

  it('all frames of one chunk come in one batch, consecutive plain frames as one slice', async () => {
    const batches = await collect(ssePassthroughRuns(chunks(fixture, fixture.length), isPlain));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((r) => (r instanceof Uint8Array ? 'bytes' : 'frame'))).toEqual(['bytes', 'frame', 'frame']);
  });

  it('usage: null chunks (include_usage streams) stay plain; a usage object does not', () => {
    expect(isPlain(Buffer.from('{"choices":[{"delta":{"content":"x"}}],"usage":null}'))).toBe(true);
    expect(isPlain(Buffer.from('{"choices":[{"delta":{"content":"\\"usage\\""}}],"usage" : null}'))).toBe(true);
    expect(isPlain(Buffer.from('{"choices":[],"usage": {"prompt_tokens":1}}'))).toBe(false);
    expect(isPlain(Buffer.from('[DONE]'))).toBe(false);
  });

  it('CRLF framing, comments, event lines, multi-line data and an unterminated last frame go through the parser', async () => {
    const text = ': keep-alive\n\nevent: ping\ndata: {}\n\ndata: {"a":\ndata: 1}\n\ndata:{"b":2}\n\ndata: {"c":3}\n\ndata: {"d":4}\r\n\r\ndata: [DONE]';
    const bytes = Buffer.from(text);
    for (const size of [1, 5, bytes.length]) {
      const reference = await collect(sseFrames(chunks(bytes, size)));
      const runs = (await collect(ssePassthroughRuns(chunks(bytes, size), isPlain))).flat();
      expect(await framesOf(runs)).toEqual(reference);
      expect(reference.map((f) => f.data)).toEqual(['{}', '{"a":\n1}', '{"b":2}', '{"c":3}', '{"d":4}', '[DONE]']);
    }
  });

  it('a multi-byte character split across chunks survives in both paths', async () => {
    const bytes = Buffer.from('data: {"choices":[{"delta":{"content":"héllo — ✓"}}]}\n\ndata: {"usage":{"x":1},"t":"✓"}\n\n');
    for (let size = 1; size < 12; size++) {
      const runs = (await collect(ssePassthroughRuns(chunks(bytes, size), isPlain))).flat();
      expect(wire(runs)).toBe(bytes.toString('utf8'));
    }
  });
});
