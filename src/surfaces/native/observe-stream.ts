import type { ServerResponse } from 'node:http';
import type { ProviderAdapter, SseFrame } from '../../../providers/adapter.js';
import type { ChatRequest, Usage } from '../../../providers/types.js';
import { drained } from '../../engine/client-connection.js';
import { sseFrames } from '../../engine/sse.js';

/** Bytes handed over one by one to a reader that runs alongside (the frame decoder). */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  private chunks: Uint8Array[] = [];
  private done = false;
  private wake: (() => void) | undefined;

  push(c: Uint8Array): void {
    this.chunks.push(c);
    this.wake?.();
  }

  end(): void {
    this.done = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const c = this.chunks.shift();
      if (c) yield c;
      else if (this.done) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

export interface StreamSeen {
  /** The last usage the stream carried (possibly a running count). */
  usage?: Usage;
  /** The delivered bytes as text while no final usage was seen (for an estimate). */
  heldText: string;
}

/**
 * Pipes an upstream stream to the client byte for byte and reads its usage on the side: the
 * bytes are decoded into frames with the adapter's own framing or the engine's SSE parser, and
 * each frame goes through the adapter's `sniffStreamUsage`. A dialect that brings its own
 * framing (Bedrock's binary event stream) has no SSE sniffer: its stream mapper's usage events
 * are read instead.
 */
export async function pipeObservingUsage(upstream: AsyncIterable<Uint8Array>, res: ServerResponse, adapter: ProviderAdapter, model: string): Promise<StreamSeen> {
  const queue = new ChunkQueue();
  const mapper = adapter.chat.stream;
  const frames: (b: AsyncIterable<Uint8Array>) => AsyncIterable<SseFrame> = mapper.frames?.bind(mapper) ?? sseFrames;
  const sniff = mapper.frames ? mapperUsage(adapter, model) : adapter.sniffStreamUsage.bind(adapter);
  const seen: StreamSeen = { heldText: '' };
  let held: Uint8Array[] = [];
  const reader = (async () => {
    for await (const f of frames(queue)) {
      const u = sniff(f, seen.usage);
      if (u) {
        seen.usage = u;
        if (!u.partial) held = [];
      }
    }
  })().catch(() => {
    // A stream the decoder cannot read is still passed on; its usage is estimated.
  });
  try {
    for await (const chunk of upstream) {
      queue.push(chunk);
      if (!seen.usage || seen.usage.partial) held.push(chunk);
      if (!res.write(chunk)) await drained(res);
    }
  } finally {
    queue.end();
    await reader;
  }
  if (!seen.usage || seen.usage.partial) seen.heldText = Buffer.concat(held).toString('utf8');
  return seen;
}

/** Usage as the dialect's stream mapper reports it (its `usage` events), frame by frame. */
function mapperUsage(adapter: ProviderAdapter, model: string): (f: SseFrame, previous: Usage | undefined) => Usage | undefined {
  const mapper = adapter.chat.stream;
  const state = mapper.init({ model, messages: [] } as unknown as ChatRequest);
  return (f) => {
    let usage: Usage | undefined;
    for (const ev of mapper.step(state, f)) if (ev.type === 'usage') usage = ev.usage;
    return usage;
  };
}
