import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import { admitTraced, type Admission, type AdmissionTicket } from '../engine/admission.js';
import type { Principal } from '../engine/auth.js';
import { drained } from '../engine/client-connection.js';
import { refusalHeaders, writeErrorResponse } from '../engine/error-response.js';
import { GatewayError, openAIErrorBody, redactSecrets, upstreamError } from '../engine/errors.js';
import { recordedStatus, settle } from '../engine/settle.js';
import { usageRecord, type UsageRecord, type UsageSink } from '../metering/usage-record.js';
import { cacheScope, decodeEntry, encodeEntry, requestCacheable, requestWantsFresh, storableTtlMs, varyNames, variantKey } from './cache-policy.js';
import type { CacheStore } from './cache-store.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.js';
import type { CompiledRoute } from './types.js';
import { dispatch, requestBody, transportFailure } from './upstream-attempts.js';
import type { RequestTrace } from '../telemetry/tracing.js';
import type { CallSignal } from '../../providers/adapter.js';

export interface ProxyCall {
  requestId: string;
  startedAt: number;
  principal: Principal;
  route: CompiledRoute;
  /** Upstream path + query (after strip_prefix), from matchRoute. */
  path: string;
  req: IncomingMessage;
  res: ServerResponse;
  signal: CallSignal;
  sink: UsageSink;
  admission?: Admission;
  cache: CacheStore;
  /** The tollgate key presented (removed before forwarding). */
  key?: string;
  secrets: readonly string[];
  /** The request's spans when tracing is on (docs/tracing.md). */
  trace?: RequestTrace;
}

interface Outcome {
  /** The usage record, once written (before the last bytes of a completed response). */
  rec?: UsageRecord;
  ticket?: AdmissionTicket;
  status: number;
  attempts: number;
  bytesIn: number;
  bytesOut: number;
  cached: boolean;
}

/**
 * One proxied REST call: admit → (cache) → dispatch with balancing and retries → stream the
 * response through → settle & meter (docs/architecture.md §1). Bodies stream both ways; nothing is
 * buffered except a small retriable request body and a cacheable response body.
 */
export async function runProxy(call: ProxyCall): Promise<void> {
  const out: Outcome = { status: 200, attempts: 0, bytesIn: 0, bytesOut: 0, cached: false };
  const { route, req, res } = call;
  const method = req.method ?? 'GET';
  const extra: OutgoingHttpHeaders = { 'x-request-id': call.requestId };
  try {
    if (call.admission) {
      out.ticket = await admitTraced(call.admission, { principal: call.principal, kind: 'proxy', targets: [], promptTokens: noTokens }, call.trace);
      Object.assign(extra, out.ticket.headers);
    }
    const headers = upstreamRequestHeaders(req.headers, route.requestHeaders, {
      ...(call.key !== undefined && { key: call.key }),
      clientIp: req.socket.remoteAddress ?? '',
      requestId: call.requestId,
      upstreamHost: '',
    });
    const cacheKey =
      route.cache && requestCacheable(method, headers) ? `${route.name}\u0000${cacheScope(call.principal, route.cache.shared)}\u0000${method} ${call.path}` : undefined;
    if (cacheKey) {
      extra['x-tollgate-cache'] = 'miss';
      if (!requestWantsFresh(req.headers) && (await serveFromCache(call, cacheKey, extra, out))) return;
    }
    const body = await requestBody(req, method, route, out);
    const { upstream, response } = await dispatch(call, method, headers, body, out);
    out.status = response.statusCode;
    const ttlMs = cacheKey ? storableTtlMs(response.statusCode, response.headers, route.cache!.ttlMs) : 0;
    res.writeHead(response.statusCode, { ...clientResponseHeaders(response.headers, route.responseHeaders), ...extra });
    try {
      await pipeBody(response.body, res, out, ttlMs > 0 ? route.cache!.maxBodyBytes : 0, call.signal, (kept) => {
        // Before the last bytes leave: the record (never lost on kill -9), and the cache store
        // sent (not awaited), so a request the client makes next finds the entry.
        recordOnce(call, out);
        if (kept && cacheKey) void storeInCache(call, cacheKey, response, kept, ttlMs).catch(() => {});
      });
    } finally {
      upstream.state.active--;
    }
  } catch (err) {
    const e = asGatewayError(err, call);
    out.status = e.status;
    call.trace?.fail(e.shape);
    if (!res.headersSent) writeProxyError(res, e, { ...extra, ...refusalHeaders(err) });
    else {
      // Mid-body failure: a proxied body has no error frame; cutting the connection (no final
      // chunk / short content-length) is how HTTP tells the client the body is incomplete.
      res.destroy();
    }
  } finally {
    recordOnce(call, out);
    call.trace?.end();
  }
}

const noTokens = () => 0;

/** The proxy's error response (HTTP calls and refused WebSocket upgrades): OpenAI's envelope, as JSON text. */
export function writeProxyError(res: ServerResponse, e: GatewayError, headers: OutgoingHttpHeaders): void {
  writeErrorResponse(res, e.shape, openAIErrorBody, headers, 'application/json; charset=utf-8');
}

/** Settles once: the usage record, and the admission reservation replaced by it. */
function recordOnce(call: ProxyCall, out: Outcome): void {
  if (out.rec) return;
  out.rec = proxyUsageRecord(
    { requestId: call.requestId, principal: call.principal, startedAt: call.startedAt, route: call.route.name },
    { status: recordedStatus(out.status, call.signal), attempts: out.attempts, cached: out.cached, bytesIn: out.bytesIn, bytesOut: out.bytesOut },
  );
  settle(out.rec, call.sink, out.ticket, call.trace);
}

/**
 * Streams the upstream body to the client chunk by chunk (SSE and chunked responses stay
 * unbuffered), honouring backpressure. Keeps a copy up to `keepMax` bytes for the cache;
 * returns it when the whole body fit.
 */
async function pipeBody(
  body: Dispatcher.ResponseData['body'],
  res: ServerResponse,
  out: Outcome,
  keepMax: number,
  signal: CallSignal,
  beforeEnd: (kept: Buffer | undefined) => void,
): Promise<void> {
  let kept: Buffer[] | undefined = keepMax > 0 ? [] : undefined;
  let keptBytes = 0;
  for await (const chunk of body) {
    const c = chunk as Buffer;
    out.bytesOut += c.length;
    if (kept) {
      keptBytes += c.length;
      if (keptBytes > keepMax) kept = undefined;
      else kept.push(c);
    }
    if (!res.write(c)) {
      await drained(res);
      if (signal.aborted) throw new GatewayError({ status: 499, type: 'api_error', code: 'client_closed', message: 'the client closed the request' });
    }
  }
  // The record is written before the last bytes leave: a kill -9 after a completed response
  // cannot lose it (docs/architecture.md §5); the cache store (maybe a Redis round trip) comes after.
  beforeEnd(kept && Buffer.concat(kept));
  res.end();
}

async function serveFromCache(call: ProxyCall, key: string, extra: OutgoingHttpHeaders, out: Outcome): Promise<boolean> {
  const varyRaw = await call.cache.get(`v ${key}`);
  if (!varyRaw) return false;
  const vary = JSON.parse(varyRaw.toString()) as string[];
  const buf = await call.cache.get(`e ${variantKey(key, vary, call.req.headers)}`);
  const entry = buf && decodeEntry(buf);
  if (!entry) return false;
  const age = Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
  call.res.writeHead(entry.status, {
    ...clientResponseHeaders(entry.headers, call.route.responseHeaders),
    ...extra,
    age: String(age),
    'x-tollgate-cache': 'hit',
    'content-length': String(entry.body.length),
  });
  out.status = entry.status;
  out.bytesOut = entry.body.length;
  out.cached = true;
  out.attempts = 0;
  recordOnce(call, out);
  call.res.end(call.req.method === 'HEAD' ? undefined : entry.body);
  return true;
}

async function storeInCache(call: ProxyCall, key: string, response: Dispatcher.ResponseData, body: Buffer, ttlMs: number): Promise<void> {
  const vary = varyNames(response.headers) ?? [];
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(response.headers)) if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') headers[k] = v;
  // Both writes leave at once (entry first): a reader that finds the vary list finds the entry.
  await Promise.all([
    call.cache.set(`e ${variantKey(key, vary, call.req.headers)}`, encodeEntry({ status: response.statusCode, headers, body, storedAt: Date.now() }), ttlMs),
    call.cache.set(`v ${key}`, Buffer.from(JSON.stringify(vary)), ttlMs),
  ]);
}

function asGatewayError(err: unknown, call: ProxyCall): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof undiciErrors.BodyTimeoutError) return transportFailure(call.route, err, call.signal);
  if (call.signal.aborted) return new GatewayError({ status: 499, type: 'api_error', code: 'client_closed', message: 'the client closed the request' });
  const msg = redactSecrets((err as Error)?.message ?? String(err), call.secrets);
  return upstreamError(502, 'upstream_failed', `route ${call.route.name}: ${msg}`);
}

/** The usage record of one proxied exchange (HTTP or WebSocket): kind `proxy`, bytes, no tokens. */
export function proxyUsageRecord(
  who: { requestId: string; principal: { teamId: string | null; keyId: string | null }; startedAt: number; route: string },
  what: { status: number; attempts: number; cached?: boolean; bytesIn: number; bytesOut: number },
): UsageRecord {
  return usageRecord(
    { requestId: who.requestId, teamId: who.principal.teamId, keyId: who.principal.keyId, kind: 'proxy', route: who.route, ...what },
    who.startedAt,
  );
}
