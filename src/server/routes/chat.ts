import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../engine/auth.js';
import { runChat, type ChatCall } from '../../engine/chat.js';
import { checkTargetsAllowed } from '../../engine/access.js';
import { abortOnClientClose } from '../../engine/client-connection.js';
import type { ChatSurface } from '../../engine/surface.js';
import type { Gateway } from '../gateway.js';
import { declareAuth } from '../auth-hook.js';
import { invalidRequest } from '../../engine/errors.js';
import { resolveRoute } from '../../engine/route.js';
import type { Snapshot } from '../../engine/runtime.js';
import { requestLogsFor, startCapture } from '../../request-logs/capture.js';
import type { RequestLogKind } from '../../request-logs/writer.js';

/**
 * The HTTP edge of a chat call: validate (the caller is already on req.principal: server/auth-hook.ts) (errors go through fastify's error
 * handler), then hand the raw response to the engine, which streams or answers itself.
 */
export async function handleChat(
  gw: Gateway,
  surface: ChatSurface,
  req: FastifyRequest,
  reply: FastifyReply,
  extra: Partial<ChatCall> = {},
): Promise<void> {
  const snapshot = gw.snapshot;
  const principal = req.principal;
  surface.validate(req.body);
  const body = req.body as Record<string, any>;
  await hijackAndRun(gw, req, reply, { principal, snapshot, surface, body, raw: req.rawBody ?? JSON.stringify(body), ...extra });
}

/**
 * Hands a validated call to the engine: per-request routing overrides (checked first, so a bad
 * header is still an ordinary 400), abort on client disconnect, then the raw response is the
 * engine's. Shared by every route that runs a chat call (chat, completions, messages, prompts).
 */
export async function hijackAndRun(
  gw: Gateway,
  req: FastifyRequest,
  reply: FastifyReply,
  call: Pick<ChatCall, 'principal' | 'snapshot' | 'surface' | 'body' | 'raw'> & Partial<ChatCall>,
): Promise<void> {
  const routing = routingOptions(gw, req, call.snapshot, call.principal);
  const res = reply.raw;
  const signal = abortOnClientClose(res);
  // Tracing (docs/tracing.md): the request's span, also handed to dispatch for the attempt spans.
  const trace = gw.tracing?.request({ snapshot: call.snapshot, headers: req.headers, startedAt: req.startedAt, requestId: req.id, operation: call.surface.operation === 'completions' ? 'text_completion' : 'chat', body: call.body });
  if (trace) routing.dispatch!.trace = trace;
  reply.hijack();
  // Request logs (off unless enabled): a prompt call stores the variables the client sent.
  const sink = call.sink ?? gw.sink;
  const logs = requestLogsFor(gw.requestLogs, call.snapshot, call.principal);
  const log = logs && startCapture(logs, call.snapshot, logKind(call), call.kind === 'prompt' ? (req.rawBody ?? null) : call.raw, res, sink);
  await runChat({
    requestId: req.id,
    startedAt: req.startedAt,
    res,
    signal,
    sink,
    ...(gw.admission && { admission: gw.admission }),
    ...routing,
    ...call,
    ...(log && { sink: log.sink }),
    trace,
  });
}

function logKind(call: Pick<ChatCall, 'surface' | 'kind'>): RequestLogKind {
  if (call.kind === 'prompt') return 'prompt';
  if (call.kind === 'responses') return 'responses';
  if (call.surface.dialect === 'anthropic') return 'messages';
  return call.surface.operation === 'completions' ? 'completions' : 'chat';
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** One year. */
const MAX_CACHE_TTL_S = 31_536_000;

/**
 * Per-request routing overrides (documented in the README):
 * - `x-tollgate-fallbacks: provider/model, alias, …` — extra targets tried, in order, after the
 *   route's own;
 * - `x-tollgate-timeout-ms: N` — deadline for each attempt's first byte (504 when it passes);
 * - `x-tollgate-cache-ttl: S` — use the exact-match response cache for this (non-streaming)
 *   request, entries kept S seconds (an alias can set `cache: { ttl_s }` instead; 0 = off).
 */
function routingOptions(gw: Gateway, req: FastifyRequest, snapshot: Snapshot, principal: Principal): Partial<ChatCall> {
  const h = req.headers;
  const out: Partial<ChatCall> = { dispatch: { routing: gw.routing }, responseCache: gw.responseCache };
  const fallbacks = h['x-tollgate-fallbacks'];
  if (typeof fallbacks === 'string' && fallbacks.trim()) {
    out.dispatch!.extraTargets = fallbacks
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .flatMap((name) => {
        // a fallback is a model like any other: the key must be allowed to use what it resolves to
        const { targets } = resolveRoute(snapshot, name);
        checkTargetsAllowed(principal, snapshot, name, targets);
        return targets;
      });
  }
  const timeout = h['x-tollgate-timeout-ms'];
  if (timeout !== undefined) {
    const ms = Number(timeout);
    // At most a timer's range: a larger delay makes Node's setTimeout fire at once (an instant 504).
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_TIMER_MS) throw invalidRequest(`Invalid value for header 'x-tollgate-timeout-ms': a positive integer of milliseconds, at most ${MAX_TIMER_MS}.`, 'x-tollgate-timeout-ms');
    out.dispatch!.timeoutMs = ms;
  }
  const ttl = h['x-tollgate-cache-ttl'];
  if (ttl !== undefined) {
    const s = Number(ttl);
    if (!Number.isInteger(s) || s < 0 || s > MAX_CACHE_TTL_S) throw invalidRequest(`Invalid value for header 'x-tollgate-cache-ttl': a whole number of seconds, at most ${MAX_CACHE_TTL_S}.`, 'x-tollgate-cache-ttl');
    out.cacheTtlS = s; // 0 turns an alias's cache off for this request
  }
  return out;
}
