import type { SseFrame } from '../../../providers/adapter.js';
import type { ChatRequest, GatewayErrorShape, StreamEvent, Usage } from '../../../providers/types.js';
import { nanosToUsd } from '../../metering/money.js';
import type { ChatCall, ChatOutcome } from '../chat-call.js';
import { drained } from '../client-connection.js';
import { GatewayError, redactSecrets, withoutValues } from '../errors.js';
import { estimated } from '../estimate.js';
import type { AliasTarget } from '../runtime.js';
import { price, settleChat } from '../settle.js';
import { sseFrames } from '../sse.js';
import type { Delivered } from './stream.js';

/** Translation: upstream frames → adapter's reducer → internal events → the surface's writer. */
export async function streamTranslated(
  call: ChatCall,
  target: AliasTarget,
  upstream: AsyncIterable<Uint8Array>,
  internal: ChatRequest,
  out: ChatOutcome,
  wantsUsage: boolean,
  seen: Delivered,
): Promise<void> {
  const { res, body } = call;
  const mapper = target.provider.adapter.chat.stream;
  const state = mapper.init(internal);
  const writer = call.surface.streamWriter(body.model, wantsUsage, body);
  let delivered = '';
  seen.text = () => delivered;
  let usage: Usage | undefined;
  const handle = (events: StreamEvent[]): GatewayErrorShape | undefined => {
    for (const ev of events) {
      if (ev.type === 'error') return ev.error;
      if (ev.type === 'usage') usage = ev.usage;
      else if (ev.type === 'text-delta' || ev.type === 'reasoning-delta') delivered += ev.text;
      else if (ev.type === 'tool-call-delta') delivered += ev.argumentsDelta;
      else if (ev.type === 'finish') call.trace?.answered(undefined, [ev.finish.raw ?? ev.finish.unified]);
      for (const f of writer.step(ev)) res.write(f);
    }
    return undefined;
  };
  let failure: GatewayErrorShape | undefined;
  const secrets = target.provider.secrets;
  try {
    // A dialect that does not stream SSE brings its own framing (its mapper's `frames`).
    for await (const frame of (mapper.frames ?? sseFrames)(upstream)) {
      // The adapter may quote a frame cut short in its error: the provider's credentials go first.
      failure = handle(mapper.step(state, secrets.length ? scrubbedFrame(frame, secrets) : frame));
      if (failure) break;
      if (res.writableNeedDrain) await drained(res);
    }
  } catch (err) {
    // A stateful failure event (Responses) is written here, where the writer is; the engine's
    // error stage then finds the response ended and writes nothing more.
    if (writer.fail && err instanceof GatewayError && !call.signal.aborted) res.end(writer.fail(err.shape).join(''));
    throw err;
  }
  failure ??= handle(mapper.end(state));
  usage ??= await estimated(call, delivered);
  out.usage = usage;
  price(call, target, usage, out);
  if (failure) {
    const err = new GatewayError({ ...failure, message: redactSecrets(`${target.provider.config.name}: ${failure.message}`, call.snapshot.secrets) });
    if (writer.fail && !call.signal.aborted) res.end(writer.fail(err.shape).join(''));
    throw err;
  }
  const tail = writer.end(usage, nanosToUsd(out.costNanos));
  settleChat(call, out);
  res.end(tail.join(''));
  if (tail.length) call.keep?.(tail.at(-1)!);
}

function scrubbedFrame(frame: SseFrame, secrets: readonly string[]): SseFrame {
  const data = withoutValues(frame.data, secrets);
  return data === frame.data ? frame : { ...frame, data };
}
