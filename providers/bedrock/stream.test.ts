import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../adapter.js';
import type { StreamEvent } from '../types.js';
import { fixtureJson } from './fixtures.test-helper.js';
import { eventStreamFrames } from './framing.js';
import { converseStreamMapper } from './stream.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const s = (value: string) => ({ type: 'string' as const, value });
const encode = (type: string, payload: unknown, exception = false): Uint8Array =>
  codec.encode({
    headers: exception ? { ':message-type': s('exception'), ':exception-type': s(type) } : { ':message-type': s('event'), ':event-type': s(type) },
    body: fromUtf8(JSON.stringify(payload)),
  });
const events = fixtureJson<Array<[string, unknown]>>('converse-stream-tool-use.handmade.json');
const bytes = (msgs: Uint8Array[]): Uint8Array => Uint8Array.from(msgs.flatMap((m) => [...m]));

/** The bytes cut into pieces of `size`, as a socket may deliver them. */
async function* pieces(all: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}
async function framesOf(body: AsyncIterable<Uint8Array>): Promise<SseFrame[]> {
  const out: SseFrame[] = [];
  for await (const f of eventStreamFrames(body)) out.push(f);
  return out;
}
function run(frames: SseFrame[]): StreamEvent[] {
  const state = converseStreamMapper.init({ model: 'anthropic.claude-sonnet-4-5', messages: [], stream: true });
  return [...frames.flatMap((f) => converseStreamMapper.step(state, f)), ...converseStreamMapper.end(state)];
}

describe('eventStreamFrames', () => {
  it('cuts messages out of the byte stream however it is chunked', async () => {
    const all = bytes(events.map(([t, p]) => encode(t, p)));
    for (const size of [1, 7, 64, all.length]) {
      const frames = await framesOf(pieces(all, size));
      expect(frames.map((f) => f.event)).toEqual(events.map(([t]) => t));
      expect(JSON.parse(frames[8]!.data)).toEqual(events[8]![1]);
    }
  });

  it('refuses a corrupted message (the codec checks its CRCs)', async () => {
    const msg = encode('messageStart', { role: 'assistant' });
    msg[msg.length - 5] = msg[msg.length - 5]! ^ 0xff;
    await expect(framesOf(pieces(msg, 16))).rejects.toThrow(/checksum/i);
  });
});

describe('converseStreamMapper', () => {
  it('maps reasoning, text, tool input deltas, the stop reason and usage with cache reads', async () => {
    const out = run(await framesOf(pieces(bytes(events.map(([t, p]) => encode(t, p))), 50)));
    expect(out[0]).toMatchObject({ type: 'start', model: 'anthropic.claude-sonnet-4-5' });
    expect(out.slice(1)).toEqual([
      { type: 'reasoning-delta', text: 'Need the weather tool.' },
      { type: 'reasoning-signature', signature: 'EqoBCkgIARAB' },
      { type: 'text-delta', text: 'Let me ' },
      { type: 'text-delta', text: 'check.' },
      { type: 'tool-call-start', index: 0, id: 'tooluse_abc123', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'finish', finish: { unified: 'tool_calls', raw: 'tool_use' } },
      { type: 'usage', usage: { inputTokens: 140, outputTokens: 25, cachedInputTokens: 100 } },
    ]);
  });

  it('a mid-stream exception becomes the error its status calls for', async () => {
    const frames = await framesOf(pieces(bytes([encode('messageStart', { role: 'assistant' }), encode('throttlingException', { message: 'Too many tokens' }, true)]), 9));
    const out = run(frames);
    expect(out.at(-1)).toEqual({
      type: 'error',
      error: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Bedrock answered 429 ThrottlingException: Too many tokens (mid-stream)' },
    });
  });

  it('a stream that ends before messageStop ends with an error', async () => {
    const out = run(await framesOf(pieces(bytes(events.slice(0, 5).map(([t, p]) => encode(t, p))), 100)));
    expect(out.at(-1)).toMatchObject({ type: 'error', error: { status: 502, message: expect.stringMatching(/cut short/) } });
  });
});
