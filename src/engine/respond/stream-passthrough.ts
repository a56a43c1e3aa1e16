import type { ServerResponse } from 'node:http';
import type { SseFrame } from '../../../providers/adapter.js';
import type { Usage } from '../../../providers/types.js';
import { nanosToUsd } from '../../metering/money.js';
import type { ChatCall, ChatOutcome } from '../chat-call.js';
import { drained } from '../client-connection.js';
import { redactSecrets } from '../errors.js';
import { estimated } from '../estimate.js';
import type { AliasTarget } from '../runtime.js';
import { price, settleChat } from '../settle.js';
import { ssePassthroughRuns } from '../sse.js';
import { cutStream } from '../upstream-failure.js';
import type { Delivered } from './stream.js';

/**
 * Pass-through: frames go out as they came; only the usage frame is observed (and priced).
 * Frames the surface calls plain stay undecoded bytes (engine/sse.ts ssePassthroughRuns);
 * what one upstream chunk held goes out in one write.
 */
export async function streamPassthrough(
  call: ChatCall,
  target: AliasTarget,
  upstream: AsyncIterable<Uint8Array>,
  out: ChatOutcome,
  wantsUsage: boolean,
  delivered: Delivered,
): Promise<void> {
  const { res } = call;
  const adapter = target.provider.adapter;
  const pt = call.surface.passthrough;
  let usage: Usage | undefined;
  let endFrame;
  let endUsage: Usage | undefined;
  // Until the final usage arrives: what was delivered, in order — plain frames as bytes, looked-at
  // frames as frames (their text is read only if the upstream never sends its final usage).
  let held: (Uint8Array | SseFrame)[] = [];
  delivered.text = () => heldText(held, pt.deliveredText);
  const isPlain = pt.plainFrame ?? never;
  const parts: (Uint8Array | string)[] = [];
  let upstreamFailed = false;
  stream: for await (const runs of ssePassthroughRuns(upstream, isPlain)) {
    for (const run of runs) {
      if (run instanceof Uint8Array) {
        parts.push(run);
        if (!usage || usage.partial) held.push(run);
        continue;
      }
      if (pt.isError(run)) {
        // The upstream's own error frame ends the stream: the client gets it once, scrubbed
        // (upstreams echo request headers), and no cut-stream error of ours after it.
        upstreamFailed = true;
        const text = pt.frame(run, undefined, 0, wantsUsage);
        if (text !== null) parts.push(redactSecrets(text, call.snapshot.secrets));
        writeAll(res, parts);
        break stream;
      }
      if (pt.isEnd(run)) {
        endFrame = run;
        // The end frame may carry the final usage (a Responses stream's `response.completed`).
        const u = adapter.sniffStreamUsage(run, usage);
        if (u && !u.partial) {
          usage = endUsage = u;
          held = [];
          price(call, target, u, out);
        }
        continue;
      }
      const u = adapter.sniffStreamUsage(run, usage);
      if (u) {
        usage = u;
        // A running count (Anthropic's message_start) is not what the stream will cost: keep
        // the delivered text until the final count comes.
        if (!u.partial) held = [];
        price(call, target, u, out);
      } else if (!usage || usage.partial) held.push(run);
      const text = pt.frame(run, u, nanosToUsd(out.costNanos), wantsUsage);
      if (text !== null) parts.push(text);
    }
    if (parts.length) out.lastSent = parts[parts.length - 1];
    if (!writeAll(res, parts)) await drained(res);
    parts.length = 0;
  }
  if (!usage || usage.partial) {
    usage = await estimated(call, delivered.text(), usage);
    price(call, target, usage, out);
    if (endFrame) for (const f of pt.estimatedUsageFrames(usage, nanosToUsd(out.costNanos), wantsUsage)) res.write(f);
  }
  out.usage = usage;
  if (upstreamFailed) {
    out.status = 502;
    out.errorCode = 'upstream_error';
    settleChat(call, out);
    res.end();
    return;
  }
  if (!endFrame) throw cutStream(target.provider.config.name);
  settleChat(call, out);
  const last = pt.frame(endFrame, endUsage, endUsage ? nanosToUsd(out.costNanos) : 0, wantsUsage);
  res.end(last ?? undefined);
  if (last) call.keep?.(last);
}

const never = () => false;

/** One write for what one upstream chunk produced (cork: several parts leave in one writev). False = the client is behind. */
function writeAll(res: ServerResponse, parts: (Uint8Array | string)[]): boolean {
  if (parts.length === 1) return res.write(parts[0]!);
  if (parts.length > 1) {
    res.cork();
    for (const p of parts) res.write(p);
    res.uncork();
  }
  return !res.writableNeedDrain;
}

/** The delivered text of held pass-through output: plain `data: …\n\n` frames as bytes, or parsed frames. */
function heldText(held: (Uint8Array | SseFrame)[], deliveredText: (f: SseFrame) => string): string {
  let text = '';
  for (const h of held) {
    if (!(h instanceof Uint8Array)) text += deliveredText(h);
    else for (const f of Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('utf8').split('\n\n')) if (f) text += deliveredText({ data: f.slice(6) });
  }
  return text;
}
