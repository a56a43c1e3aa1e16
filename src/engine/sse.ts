import { createParser } from 'eventsource-parser';
import type { SseFrame } from '../../providers/adapter.js';

/**
 * The one SSE parser of the engine (eventsource-parser: spec-compliant, handles LF and CRLF
 * framing, multi-line data and comments). Yields frames in order from a byte stream.
 */
export async function* sseFrames(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseFrame> {
  const pending: SseFrame[] = [];
  const parser = createParser({
    onEvent: (e) => pending.push(e.event ? { event: e.event, data: e.data } : { data: e.data }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (pending.length) yield pending.shift()!;
  }
  parser.feed(decoder.decode());
  // A final frame without its blank-line terminator is still delivered (lenient reader).
  parser.feed('\n\n');
  while (pending.length) yield pending.shift()!;
}
