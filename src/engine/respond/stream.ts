import type { ChatRequest } from '../../../providers/types.js';
import { responseHeaders, type ChatCall, type ChatOutcome } from '../chat-call.js';
import { dispatch } from '../dispatch.js';
import { estimated } from '../estimate.js';
import { passesThrough } from '../passthrough.js';
import type { Route } from '../route.js';
import { price } from '../settle.js';
import { bodyReadError } from '../upstream-failure.js';
import { buildUpstream } from '../upstream-request.js';
import { streamPassthrough } from './stream-passthrough.js';
import { streamTranslated } from './stream-translate.js';

/** What a stream has delivered to the client so far, as text (to estimate a cut stream's tokens). */
export interface Delivered {
  text: () => string;
}

/** A streamed answer: the event-stream headers once an upstream answered, then its frames passed through or translated. */
export async function respondStream(call: ChatCall, route: Route, out: ChatOutcome): Promise<void> {
  const { surface, body, res } = call;
  let internal: ChatRequest | undefined;
  const d = await dispatch(call.snapshot, route, (t) => buildUpstream(call, t, () => (internal ??= surface.toInternal(body))), call.signal, call.dispatch);
  out.target = d.target;
  out.attempts = d.attempts;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...responseHeaders(call, d.target, d.attempts),
  });
  res.flushHeaders();
  const wantsUsage = surface.wantsStreamUsage(body);
  const delivered: Delivered = { text: noText };
  try {
    if (passesThrough(d.target.provider.adapter, surface.wire)) await streamPassthrough(call, d.target, d.upstream.body, out, wantsUsage, delivered);
    else await streamTranslated(call, d.target, d.upstream.body, internal!, out, wantsUsage, delivered);
  } catch (err) {
    // A cut stream (client or upstream) is metered with what was actually delivered.
    if (!out.usage || out.usage.partial) {
      out.usage = await estimated(call, delivered.text(), out.usage);
      price(call, d.target, out.usage, out);
    }
    throw bodyReadError(d.target.provider.config.name, err, call.signal, call.snapshot.secrets);
  }
}

const noText = () => '';
