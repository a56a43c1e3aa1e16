import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { SseFrame } from '../../providers/adapter.js';

/**
 * The one SSE parser of the engine (eventsource-parser: spec-compliant, handles LF and CRLF
 * framing, multi-line data and comments). Yields the frames of each upstream chunk as one batch,
 * in order (a promise per chunk, not per frame).
 */
export async function* sseFrameBatches(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseFrame[]> {
  const p = frameParser();
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const frames = p.feed(decoder.decode(chunk, { stream: true }));
    if (frames.length) yield frames;
  }
  // A final frame without its blank-line terminator is still delivered (lenient reader).
  const last = p.feed(`${decoder.decode()}\n\n`);
  if (last.length) yield last;
}

/** One by one, for callers that want a frame at a time. */
export async function* sseFrames(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseFrame> {
  for await (const frames of sseFrameBatches(body)) yield* frames;
}

/** Bytes to forward to the client untouched, or a frame the caller must look at. */
export type SseRun = Uint8Array | SseFrame;

/**
 * The pass-through fast path (docs/architecture.md §2: the response is only *observed*). Per upstream chunk,
 * yields the chunk's complete frames in order: a frame that is one `data: ` line ending in a
 * blank line (`data: …\n\n`) and that `isPlain(data)` accepts is not decoded at all — it stays as
 * its raw bytes, and consecutive plain frames come out as one slice of the chunk; every other
 * frame goes through the central parser above and comes out as an SseFrame.
 *
 * Scope: this only *splits*; all SSE parsing stays in eventsource-parser. A plain frame's bytes
 * are exactly what re-framing its parsed data would give (`data: ${data}\n\n`), so forwarding them
 * changes nothing the client sees. Anything else — `event:`/`id:` lines, comments, multi-line
 * data, `data:` without the space — is parsed. A CR anywhere (CRLF framing) hands the rest of the
 * stream to the parser.
 */
export async function* ssePassthroughRuns(body: AsyncIterable<Uint8Array>, isPlain: (data: Uint8Array) => boolean): AsyncGenerator<SseRun[]> {
  const p = frameParser();
  let decoder: InstanceType<typeof TextDecoder> | undefined; // set once the stream is handed to the parser
  let pending: Buffer | undefined;
  for await (const chunk of body) {
    if (decoder) {
      const frames = p.feed(decoder.decode(chunk, { stream: true }));
      if (frames.length) yield frames;
      continue;
    }
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = pending ? Buffer.concat([pending, view]) : view;
    if (buf.indexOf(CR) !== -1) {
      decoder = new TextDecoder();
      pending = undefined;
      const frames = p.feed(decoder.decode(buf, { stream: true }));
      if (frames.length) yield frames;
      continue;
    }
    const out: SseRun[] = [];
    let pos = 0;
    let runStart = -1;
    for (let end = buf.indexOf(LFLF, pos); end !== -1; end = buf.indexOf(LFLF, pos)) {
      const plain = end - pos >= DATA.length && buf.compare(DATA, 0, DATA.length, pos, pos + DATA.length) === 0 && buf.indexOf(LF, pos + DATA.length) === end && isPlain(buf.subarray(pos + DATA.length, end));
      if (plain) {
        if (runStart < 0) runStart = pos;
      } else {
        if (runStart >= 0) out.push(buf.subarray(runStart, pos));
        runStart = -1;
        for (const f of p.feed(`${buf.toString('utf8', pos, end)}\n\n`)) out.push(f);
      }
      pos = end + 2;
    }
    if (runStart >= 0) out.push(buf.subarray(runStart, pos));
    pending = pos < buf.length ? buf.subarray(pos) : undefined;
    if (out.length) yield out;
  }
  const rest = decoder ? decoder.decode() : (pending?.toString('utf8') ?? '');
  const last = p.feed(`${rest}\n\n`);
  if (last.length) yield last;
}

const CR = 13;
const LF = 10;
const LFLF = Buffer.from('\n\n');
const DATA = Buffer.from('data: ');

/** eventsource-parser, returning the frames each feed completed. */
function frameParser(): { feed(text: string): SseFrame[] } {
  let got: SseFrame[] = [];
  const parser: EventSourceParser = createParser({
    onEvent: (e) => got.push(e.event ? { event: e.event, data: e.data } : { data: e.data }),
  });
  return {
    feed(text) {
      parser.feed(text);
      const out = got;
      if (out.length) got = [];
      return out;
    },
  };
}
