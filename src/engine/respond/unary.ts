import type { ChatRequest } from '../../../providers/types.js';
import { formatUsd, nanosToUsd } from '../../metering/money.js';
import { finishReasonsOf, modelOf } from '../../telemetry/attributes.js';
import { responseHeaders, type ChatCall, type ChatOutcome } from '../chat-call.js';
import { dispatch, readText } from '../dispatch.js';
import { redactSecrets, withoutValues } from '../errors.js';
import { estimated } from '../estimate.js';
import { passesThrough } from '../passthrough.js';
import { cacheKey, cachedBody } from '../response-cache.js';
import type { Route } from '../route.js';
import { price, settleChat } from '../settle.js';
import { bodyReadError, malformedUpstream } from '../upstream-failure.js';
import { buildUpstream } from '../upstream-request.js';

/** A non-streaming answer: from the response cache, or read whole, priced, recorded, then sent. */
export async function respondUnary(call: ChatCall, route: Route, out: ChatOutcome): Promise<void> {
  const { surface, body } = call;
  const ttl = call.cacheTtlS ?? route.cacheTtlS;
  const cache = ttl ? call.responseCache : undefined;
  const key = cache ? cacheKey(call.principal.teamId, body, cacheScope(call)) : '';
  if (cache) {
    const hit = await cache.get(key);
    if (hit) {
      // A cached answer: same body, no upstream call, nothing on the ledger but the record itself.
      out.cached = true;
      const body = surface.cacheHit ? surface.cacheHit(hit.body) : hit.body;
      call.res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...hit.headers,
        'x-request-id': call.requestId,
        'x-tollgate-attempts': '0',
        'x-tollgate-cache': 'hit',
        'x-tollgate-cost-usd': formatUsd(0),
        ...call.headers,
      });
      settleChat(call, out);
      call.res.end(body);
      call.keep?.(body);
      return;
    }
  }
  let internal: ChatRequest | undefined;
  const d = await dispatch(call.snapshot, route, (t) => buildUpstream(call, t, () => (internal ??= surface.toInternal(body))), call.signal, call.dispatch);
  out.target = d.target;
  out.attempts = d.attempts;
  const { provider } = d.target;
  const text = await readText(d.upstream.body).catch((err) => {
    throw bodyReadError(provider.config.name, err, call.signal, call.snapshot.secrets);
  });
  const untouched = passesThrough(provider.adapter, surface.wire);
  let json: unknown;
  try {
    // Translated answers are read by the adapter, which may quote parts of them cut short:
    // the provider's own credentials are scrubbed first (pass-through bodies are forwarded as-is).
    json = JSON.parse(untouched ? text : withoutValues(text, provider.secrets));
  } catch {
    throw malformedUpstream(provider.config.name, 'a response body that is not JSON');
  }

  let payload: string;
  if (untouched) {
    if (!surface.passthrough.isResponse(json)) throw malformedUpstream(provider.config.name, 'a JSON body that is not an answer');
    call.trace?.answered(modelOf(json), finishReasonsOf(json));
    const upstreamUsage = provider.adapter.usageFromBody(json);
    const usage = upstreamUsage ?? (await estimated(call, deliveredUnary(json)));
    price(call, d.target, usage, out);
    payload = surface.passthrough.responseBody(text, usage, nanosToUsd(out.costNanos), upstreamUsage !== undefined);
  } else {
    let res;
    try {
      res = provider.adapter.chat.parseResponse(json, internal!);
    } catch (err) {
      throw malformedUpstream(provider.config.name, redactSecrets((err as Error).message, call.snapshot.secrets));
    }
    call.trace?.answered(res.model, [res, ...(res.moreChoices ?? [])].map((c) => c.finish.raw ?? c.finish.unified));
    const parts = res.moreChoices ? [res.content, ...res.moreChoices.map((c) => c.content)].flat() : res.content;
    const usage = res.usage ?? (await estimated(call, parts.map((p) => ('text' in p ? p.text : p.type === 'tool-call' ? p.arguments : '')).join('')));
    price(call, d.target, usage, out);
    payload = JSON.stringify(surface.render(res, usage, nanosToUsd(out.costNanos), body.model, body));
  }
  if (cache) await cache.set(key, { body: cachedBody(payload), headers: { 'x-tollgate-provider': provider.config.name, 'x-tollgate-model': d.target.model } }, ttl!).catch(() => {});
  call.res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...responseHeaders(call, d.target, d.attempts),
    'x-tollgate-cost-usd': formatUsd(out.costNanos),
    ...(cache && { 'x-tollgate-cache': 'miss' }),
  });
  settleChat(call, out);
  call.res.end(payload);
  call.keep?.(payload);
}

/** What a cached answer's shape depends on besides the body: the surface, and the prompt it renders. */
function cacheScope(call: ChatCall): string {
  const { dialect, operation } = call.surface;
  return call.prompt ? `${dialect}:${operation}:${call.prompt.name}@${call.prompt.version}` : `${dialect}:${operation}`;
}

function deliveredUnary(json: any): string {
  const choice = json?.choices?.[0];
  const msg = choice?.message;
  if (!msg) return typeof choice?.text === 'string' ? choice.text : '';
  return String(msg.content ?? '') + String(msg.refusal ?? '') + (msg.tool_calls ?? []).map((c: any) => String(c?.function?.arguments ?? '')).join('');
}
