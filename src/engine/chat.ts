import type { ServerResponse } from 'node:http';
import type { SseFrame, UpstreamRequest } from '../../providers/adapter.js';
import { checkParameters } from '../../providers/capabilities.js';
import type { ChatRequest, GatewayErrorShape, StreamEvent, Usage } from '../../providers/types.js';
import { costNanos } from '../metering/cost.js';
import { formatUsd, nanosToUsd } from '../metering/money.js';
import { countTokensAsync, tokenUpperBound } from '../metering/tokens.js';
import type { UsageRecord, UsageSink } from '../metering/usage-record.js';
import type { Admission, AdmissionTicket } from './admission.js';
import type { Principal } from './auth.js';
import { drained } from './client-connection.js';
import { dispatch, readText, type DispatchOptions } from './dispatch.js';
import { cacheKey, cachedBody, type ResponseCacheStore } from './response-cache.js';
import { checkTargetsAllowed } from './access.js';
import { GatewayError, invalidRequest, redactSecrets, retryHeaders, withoutValues } from './errors.js';
import { checkOutputCap } from './output-cap.js';
import { resolveRoute, type Route } from './route.js';
import type { AliasTarget, Snapshot } from './runtime.js';
import { sseFrames, ssePassthroughRuns } from './sse.js';
import { transportError } from './transport.js';
import type { ChatSurface } from './surface.js';
import type { RequestTrace } from '../telemetry/tracing.js';
import { finishReasonsOf, modelOf } from '../telemetry/attributes.js';

/** Everything one chat request runs with; built by the route handler after auth and parsing. */
export interface ChatCall {
  requestId: string;
  /** performance.now() at arrival. */
  startedAt: number;
  principal: Principal;
  snapshot: Snapshot;
  surface: ChatSurface;
  /** Parsed and validated client body. */
  body: Record<string, any>;
  /** The client's body bytes as text (forwarded as-is on the pass-through path). */
  raw: string;
  res: ServerResponse;
  /** Aborted when the client goes away: the upstream request ends at once. */
  signal: AbortSignal;
  sink: UsageSink;
  kind?: UsageRecord['kind'];
  prompt?: { name: string; version: string };
  /** Extra response headers (rate-limit headers from admission). */
  headers?: Record<string, string>;
  /** Limits and budgets (teams-and-keys); absent = no limits. */
  admission?: Admission;
  /** Routing state and per-request overrides (`x-tollgate-fallbacks`, `x-tollgate-timeout-ms`). */
  dispatch?: DispatchOptions;
  /** Exact-match response cache (non-streaming); used when the alias or the request sets a TTL. */
  responseCache?: ResponseCacheStore;
  /** Per-request cache TTL (`x-tollgate-cache-ttl`), wins over the alias's. */
  cacheTtlS?: number;
  /** The request's spans when tracing is on (docs/tracing.md); the same object as `dispatch.trace`. */
  trace?: RequestTrace;
}

interface Outcome {
  /** What the model name resolved to: the ledger names the model by it even if no target answered. */
  route?: Route;
  target?: AliasTarget;
  usage?: Usage;
  costNanos: number;
  status: number;
  attempts: number;
  ticket?: AdmissionTicket;
  /** The usage record was written (once per request). */
  recorded?: boolean;
  /** Served from the response cache: costs nothing on the ledger. */
  cached?: boolean;
  /** The error code a failed request ended with (for the access log). */
  errorCode?: string;
}

/**
 * authenticate → resolve → (admit) → route → dispatch → respond → settle (docs/architecture.md §1), for both
 * inbound surfaces. When the upstream speaks the client's dialect the body passes through as
 * bytes and the response is only observed; otherwise the adapter translates both ways.
 */
export async function runChat(call: ChatCall): Promise<void> {
  const out: Outcome = { costNanos: 0, status: 200, attempts: 0 };
  try {
    const route = (out.route = resolveRoute(call.snapshot, call.body.model));
    checkTargetsAllowed(call.principal, call.snapshot, call.body.model, route.targets);
    const targets = call.dispatch?.extraTargets?.length ? [...route.targets, ...call.dispatch.extraTargets] : route.targets;
    const maxOutputTokens = call.surface.maxOutputTokens(call.body);
    checkOutputCap(call.snapshot, targets, maxOutputTokens, call.surface.maxOutputParam?.(call.body) ?? 'max_tokens');
    if (call.admission) {
      call.trace?.step('admit');
      const ticket = (out.ticket = await call.admission.admit({
        principal: call.principal,
        kind: call.kind ?? 'llm',
        targets,
        promptTokens: () => promptBound(call),
        choices: call.surface.choices?.(call.body) ?? 1,
        maxOutputTokens,
        serviceTier: call.surface.serviceTier?.(call.body),
      }));
      call.trace?.stepEnd();
      call.headers = { ...call.headers, ...ticket.headers };
    }
    if (call.surface.isStream(call.body)) await runStream(call, route, out);
    else await runUnary(call, route, out);
  } catch (err) {
    const e = asGatewayError(err);
    out.status = e.status;
    if (e.attempts !== undefined) out.attempts = e.attempts;
    if (e.shape.code) out.errorCode = e.shape.code;
    call.trace?.fail(e.shape);
    // A refusal by admission carries its rate-limit headers (x-ratelimit-*) for the 429.
    const limitHeaders = (err as { headers?: Record<string, string> }).headers;
    if (limitHeaders) call.headers = { ...call.headers, ...limitHeaders };
    if (!call.res.headersSent) writeError(call, e.shape);
    else if (!call.res.writableEnded) {
      if (!call.signal.aborted) call.res.write(call.surface.errorFrame(e.shape));
      call.res.end();
    }
  } finally {
    record(call, out);
    call.trace?.end();
  }
}

/**
 * Writes the usage record and settles the admission ticket, once. Called *before* the last bytes
 * of a completed response go out, so a completed response always has its record (the ledger's
 * spool append is synchronous): a `kill -9` between the two cannot lose it (docs/contract.md §4). Requests
 * that fail or are cut are recorded in runChat's `finally`.
 */
function record(call: ChatCall, out: Outcome): void {
  if (out.recorded) return;
  out.recorded = true;
  call.trace?.step('settle');
  const rec = sinkRecord(call, out);
  out.ticket?.settle(rec);
  call.trace?.stepEnd(rec);
}

async function runUnary(call: ChatCall, route: Route, out: Outcome): Promise<void> {
  const { surface, body } = call;
  const ttl = call.cacheTtlS ?? route.cacheTtlS;
  const cache = ttl ? call.responseCache : undefined;
  const key = cache ? cacheKey(call.principal.teamId, body, cacheScope(call)) : '';
  if (cache) {
    const hit = await cache.get(key);
    if (hit) {
      // A cached answer: same body, no upstream call, nothing on the ledger but the record itself.
      out.cached = true;
      call.res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(hit.body),
        ...hit.headers,
        'x-request-id': call.requestId,
        'x-tollgate-attempts': '0',
        'x-tollgate-cache': 'hit',
        'x-tollgate-cost-usd': formatUsd(0),
        ...call.headers,
      });
      record(call, out);
      call.res.end(hit.body);
      return;
    }
  }
  let internal: ChatRequest | undefined;
  const d = await dispatch(call.snapshot, route, (t) => buildUpstream(call, t, () => (internal ??= surface.toInternal(body))), call.signal, call.dispatch);
  out.target = d.target;
  out.attempts = d.attempts;
  const { provider } = d.target;
  const text = await readText(d.upstream.body).catch((err) => {
    throw bodyReadError(provider.config.name, err, call);
  });
  let json: unknown;
  try {
    // Translated answers are read by the adapter, which may quote parts of them cut short:
    // the provider's own credentials are scrubbed first (pass-through bodies are forwarded as-is).
    json = JSON.parse(provider.adapter.dialect === surface.dialect ? text : withoutValues(text, provider.secrets));
  } catch {
    throw malformedUpstream(provider.config.name, 'a response body that is not JSON');
  }

  let payload: string;
  if (provider.adapter.dialect === surface.dialect) {
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
    payload = JSON.stringify(surface.render(res, usage, nanosToUsd(out.costNanos), body.model));
  }
  if (cache) await cache.set(key, { body: cachedBody(payload), headers: { 'x-tollgate-provider': provider.config.name, 'x-tollgate-model': d.target.model } }, ttl!).catch(() => {});
  call.res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...responseHeaders(call, d.target, d.attempts),
    'x-tollgate-cost-usd': formatUsd(out.costNanos),
    ...(cache && { 'x-tollgate-cache': 'miss' }),
  });
  record(call, out);
  call.res.end(payload);
}

async function runStream(call: ChatCall, route: Route, out: Outcome): Promise<void> {
  const { surface, body, res } = call;
  let internal: ChatRequest | undefined;
  const d = await dispatch(call.snapshot, route, (t) => buildUpstream(call, t, () => (internal ??= surface.toInternal(body))), call.signal, call.dispatch);
  out.target = d.target;
  out.attempts = d.attempts;
  const adapter = d.target.provider.adapter;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...responseHeaders(call, d.target, d.attempts),
  });
  res.flushHeaders();
  const wantsUsage = surface.wantsStreamUsage(body);
  let delivered = '';
  let deliveredSoFar = () => delivered;

  try {
    if (adapter.dialect === surface.dialect) {
      // Pass-through: frames go out as they came; only the usage frame is observed (and priced).
      // Frames the surface calls plain stay undecoded bytes (engine/sse.ts ssePassthroughRuns);
      // what one upstream chunk held goes out in one write.
      const pt = surface.passthrough;
      let usage: Usage | undefined;
      let endFrame;
      // Until the final usage arrives: what was delivered, in order — plain frames as bytes, looked-at
      // frames as frames (their text is read only if the upstream never sends its final usage).
      let held: (Uint8Array | SseFrame)[] = [];
      deliveredSoFar = () => heldText(held, pt.deliveredText);
      const isPlain = pt.plainFrame ?? never;
      const parts: (Uint8Array | string)[] = [];
      let upstreamFailed = false;
      stream: for await (const runs of ssePassthroughRuns(d.upstream.body, isPlain)) {
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
            continue;
          }
          const u = adapter.sniffStreamUsage(run, usage);
          if (u) {
            usage = u;
            // A running count (Anthropic's message_start) is not what the stream will cost: keep
            // the delivered text until the final count comes.
            if (!u.partial) held = [];
            price(call, d.target, u, out);
          } else if (!usage || usage.partial) held.push(run);
          const text = pt.frame(run, u, nanosToUsd(out.costNanos), wantsUsage);
          if (text !== null) parts.push(text);
        }
        if (!writeAll(res, parts)) await drained(res);
        parts.length = 0;
      }
      if (!usage || usage.partial) {
        usage = await estimated(call, deliveredSoFar(), usage);
        price(call, d.target, usage, out);
        if (endFrame) for (const f of pt.estimatedUsageFrames(usage, nanosToUsd(out.costNanos), wantsUsage)) res.write(f);
      }
      out.usage = usage;
      if (upstreamFailed) {
        out.status = 502;
        out.errorCode = 'upstream_error';
        record(call, out);
        res.end();
        return;
      }
      if (!endFrame) throw cutStream(d.target.provider.config.name);
      record(call, out);
      res.end(pt.frame(endFrame, undefined, 0, wantsUsage) ?? undefined);
      return;
    }

    // Translation: upstream frames → adapter's reducer → internal events → the surface's writer.
    const mapper = adapter.chat.stream;
    const state = mapper.init(internal!);
    const writer = surface.streamWriter(body.model, wantsUsage);
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
    const secrets = d.target.provider.secrets;
    for await (const frame of sseFrames(d.upstream.body)) {
      // The adapter may quote a frame cut short in its error: the provider's credentials go first.
      failure = handle(mapper.step(state, secrets.length ? scrubbedFrame(frame, secrets) : frame));
      if (failure) break;
      if (res.writableNeedDrain) await drained(res);
    }
    failure ??= handle(mapper.end(state));
    usage ??= await estimated(call, delivered);
    out.usage = usage;
    price(call, d.target, usage, out);
    if (failure) throw new GatewayError({ ...failure, message: redactSecrets(`${d.target.provider.config.name}: ${failure.message}`, call.snapshot.secrets) });
    const tail = writer.end(usage, nanosToUsd(out.costNanos));
    record(call, out);
    res.end(tail.join(''));
  } catch (err) {
    // A cut stream (client or upstream) is metered with what was actually delivered.
    if (!out.usage || out.usage.partial) {
      out.usage = await estimated(call, deliveredSoFar(), out.usage);
      price(call, d.target, out.usage, out);
    }
    throw bodyReadError(d.target.provider.config.name, err, call);
  }
}

const never = () => false;

/** What a cached answer's shape depends on besides the body: the surface, and the prompt it renders. */
function cacheScope(call: ChatCall): string {
  const { dialect, operation } = call.surface;
  return call.prompt ? `${dialect}:${operation}:${call.prompt.name}@${call.prompt.version}` : `${dialect}:${operation}`;
}

function scrubbedFrame(frame: SseFrame, secrets: readonly string[]): SseFrame {
  const data = withoutValues(frame.data, secrets);
  return data === frame.data ? frame : { ...frame, data };
}

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

/**
 * The upstream body failed after the status line (socket reset, body timeout): the client's
 * error names the provider (docs/contract.md §3), like failures before the first byte do.
 */
function bodyReadError(provider: string, err: unknown, call: ChatCall): unknown {
  if (err instanceof GatewayError) return err;
  // A client abort is a 499 (client_closed) in the record, not an upstream failure.
  const e = transportError(provider, err, call.signal);
  if (e.status === 499 || e.status === 504) return e;
  const why = redactSecrets((err as Error)?.message ?? String(err), call.snapshot.secrets);
  return new GatewayError({ status: 502, type: 'api_error', code: 'upstream_stream_cut', message: `${provider}: the upstream connection failed mid-response (${why})` });
}

/** The upstream request for one target: bytes passed through, or translated by the adapter. */
function buildUpstream(call: ChatCall, target: AliasTarget, internal: () => ChatRequest): UpstreamRequest {
  const { adapter, config } = target.provider;
  const stream = call.surface.isStream(call.body);
  if (adapter.dialect === call.surface.dialect) {
    const { url, headers } = adapter.endpoint(config, call.surface.operation, target.model, stream);
    return { method: 'POST', url, headers: withForwardedHeaders(call, headers), body: call.surface.passthrough.requestBody(call.raw, call.body, target.model, { streamUsage: config.options.stream_usage !== false }) };
  }
  if (call.surface.operation !== 'chat') {
    throw invalidRequest(`${config.name}: /v1/${call.surface.operation} is only available for OpenAI-format providers.`, 'model');
  }
  // Every top-level field is mapped, passed on verbatim, or refused by name (providers/capabilities.ts).
  let passedFields: Record<string, unknown> | undefined;
  const dialect = call.surface.dialect;
  if (dialect !== 'prompt') {
    const check = checkParameters(dialect, config.type, call.body);
    if (!check.ok) throw invalidRequest(`${config.name}: ${check.message}`, check.param);
    passedFields = check.passed;
  }
  // An adapter that cannot express the request throws: dispatch turns that into the client's 400.
  return adapter.chat.buildRequest({ ...internal(), model: target.model, ...(passedFields && { passedFields }) }, config);
}

/**
 * Client headers a pass-through surface names in `passthrough.forwardHeaders` because they change
 * what the upstream accepts (Anthropic's `anthropic-beta`: beta body fields are refused without
 * it). A value the provider config already sets comes first, the client's is appended (both are
 * comma-separated lists). Never auth headers: the surface lists names, the provider's key stays.
 * The field is optional and read structurally until ChatSurface declares it.
 */
function withForwardedHeaders(call: ChatCall, headers: Record<string, string>): Record<string, string> {
  const names = call.surface.passthrough.forwardHeaders ?? [];
  const incoming = call.res.req?.headers ?? {};
  const out = { ...headers };
  for (const name of names) {
    const raw = incoming[name.toLowerCase()];
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (!value) continue;
    const key = Object.keys(out).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name.toLowerCase();
    out[key] = out[key] ? `${out[key]},${value}` : value;
  }
  return out;
}

function price(call: ChatCall, target: AliasTarget, usage: Usage, out: Outcome): void {
  out.usage = usage;
  out.costNanos = costNanos(usage, call.snapshot.catalog.get(target.provider.catalogProvider, target.model)).nanos;
}

/**
 * Usage counted by the gateway (tiktoken) when the upstream gave none: the prompt and what was
 * delivered. Counted off the event loop's critical path (countTokensAsync yields every ~1 ms).
 */
async function estimated(call: ChatCall, delivered: string, running?: Usage): Promise<Usage> {
  const outputTokens = await countTokensAsync(delivered);
  if (running) {
    // The upstream's running count (input side exact) stands; the output is what was delivered.
    const { partial: _running, ...counts } = running;
    return { ...counts, outputTokens: Math.max(running.outputTokens, outputTokens), estimated: true };
  }
  const p = call.surface.promptText(call.body);
  const inputTokens = p.fixedTokens + (await countTokensAsync(p.text));
  return { inputTokens, outputTokens, estimated: true };
}

/** The prompt's tokens for the budget reservation: a true upper bound of its o200k count, in ~1 ms at most. */
function promptBound(call: ChatCall): number {
  const p = call.surface.promptText(call.body);
  return p.fixedTokens + tokenUpperBound(p.text);
}

function deliveredUnary(json: any): string {
  const choice = json?.choices?.[0];
  const msg = choice?.message;
  if (!msg) return typeof choice?.text === 'string' ? choice.text : '';
  return String(msg.content ?? '') + String(msg.refusal ?? '') + (msg.tool_calls ?? []).map((c: any) => String(c?.function?.arguments ?? '')).join('');
}

function responseHeaders(call: ChatCall, target: AliasTarget, attempts: number): Record<string, string> {
  return {
    'x-request-id': call.requestId,
    'x-tollgate-provider': target.provider.config.name,
    'x-tollgate-model': target.model,
    'x-tollgate-attempts': String(attempts),
    ...call.headers,
  };
}

function writeError(call: ChatCall, e: GatewayErrorShape): void {
  const payload = JSON.stringify(call.surface.errorBody(e));
  const status = e.status === 499 ? 499 : e.status;
  call.res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': call.requestId,
    ...retryHeaders(e),
    ...call.headers,
  });
  call.res.end(payload);
}

function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  // Transport and stream-read failures are already GatewayErrors (bodyReadError, transportError):
  // anything else is the gateway's own fault, not the provider's — a 500, and it says nothing more.
  return new GatewayError({ status: 500, type: 'api_error', code: 'internal_error', message: 'The gateway failed to handle this request.' });
}

const malformedUpstream = (provider: string, what: string) =>
  new GatewayError({ status: 502, type: 'api_error', code: 'upstream_malformed', message: `${provider}: the provider sent ${what}` });

const cutStream = (provider: string) =>
  new GatewayError({ status: 502, type: 'api_error', code: 'upstream_stream_cut', message: `${provider}: the upstream stream ended before it finished` });

/** The request's usage record, handed to the sink (ledger, metrics). */
function sinkRecord(call: ChatCall, out: Outcome): UsageRecord {
  const u = out.usage;
  // Refused and failed requests are recorded under the same resolved name as answered ones.
  const target = out.target ?? out.route?.targets[0];
  const rec: UsageRecord = {
    requestId: call.requestId,
    time: Date.now(),
    teamId: call.principal.teamId,
    keyId: call.principal.keyId,
    kind: call.kind ?? 'llm',
    provider: target?.provider.config.name ?? null,
    model: target?.model ?? null,
    requestedModel: typeof call.body.model === 'string' ? call.body.model : null,
    promptName: call.prompt?.name ?? null,
    promptVersion: call.prompt?.version ?? null,
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    cachedTokens: u?.cachedInputTokens ?? 0,
    cacheWriteTokens: u?.cacheWriteTokens ?? 0,
    reasoningTokens: u?.reasoningTokens ?? 0,
    costNanos: out.costNanos,
    estimated: u?.estimated ?? false,
    latencyMs: Math.round(performance.now() - call.startedAt),
    status: call.signal.aborted && out.status === 200 ? 499 : out.status,
    attempts: out.attempts,
    ...(out.cached && { cached: true }),
    ...(out.errorCode && { errorCode: out.errorCode }),
  };
  const user = call.surface.endUser?.(call.body);
  if (user) rec.tags = { user: user.slice(0, 256) };
  call.sink.record(rec);
  return rec;
}
