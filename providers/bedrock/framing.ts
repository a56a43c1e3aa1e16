/**
 * ConverseStream answers in AWS's binary event-stream framing (`application/vnd.amazon.eventstream`),
 * not SSE: each message is `total length | headers length | prelude CRC | headers | payload |
 * message CRC`. Messages are cut out of the byte stream by their length prefix and decoded (CRCs
 * checked) by AWS's own codec, `@smithy/eventstream-codec`; each becomes the frame the stream
 * mapper reads: `event` = the `:event-type` header (`contentBlockDelta`…), or for an exception
 * message its `:exception-type` (`throttlingException`…); `data` = the JSON payload.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { SseFrame } from '../adapter.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
/** A message longer than this is refused rather than buffered (AWS caps event-stream messages at 16 MiB). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function* eventStreamFrames(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseFrame> {
  let buf: Uint8Array = new Uint8Array(0);
  for await (const chunk of body) {
    buf = buf.length ? concat(buf, chunk) : chunk;
    while (buf.length >= 4) {
      const total = new DataView(buf.buffer, buf.byteOffset, 4).getUint32(0);
      if (total < 16 || total > MAX_MESSAGE_BYTES) throw new Error(`Bedrock sent an event-stream message of ${total} bytes`);
      if (buf.length < total) break;
      yield toFrame(codec.decode(buf.subarray(0, total)));
      buf = buf.subarray(total);
    }
  }
  // Bytes left over are a message cut short: the mapper's end() reports the stream as incomplete.
}

function toFrame(message: ReturnType<EventStreamCodec['decode']>): SseFrame {
  const header = (name: string): string | undefined => {
    const h = message.headers[name];
    return h?.type === 'string' ? h.value : undefined;
  };
  const event = header(':message-type') === 'exception' ? (header(':exception-type') ?? 'unknownException') : (header(':event-type') ?? '');
  return { event, data: toUtf8(message.body) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
