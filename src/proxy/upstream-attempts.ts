/**
 * The proxy's upstream attempts: the request body (replayable or streamed), the balancer's picks,
 * retries with backoff, and transport failures as the client's errors.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import { GatewayError, upstreamError } from '../engine/errors.js';
import { pickUpstream } from './balancer.js';
import type { ProxyCall } from './forward.js';
import { reportFailure, reportSuccess } from './health.js';
import type { CompiledRoute, Upstream } from './types.js';
import type { CallSignal } from '../../providers/adapter.js';

/** What the attempts tell the usage record (forward.ts: the call's outcome). */
interface Outcome {
  attempts: number;
  bytesIn: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const RETRY_STATUS = new Set([502, 503, 504]);
/** A retriable request body up to this size is kept in memory so another upstream can get it too. */
const REPLAYABLE_BODY_BYTES = 256 * 1024;

type Body = { replay: Buffer } | { stream: IncomingMessage } | undefined;

function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0');
}

/** The request body: kept in memory when small and the request may be retried, else streamed as it arrives. */
export async function requestBody(req: IncomingMessage, method: string, route: CompiledRoute, out: Outcome): Promise<Body> {
  if (!hasBody(req)) return undefined;
  const len = Number(req.headers['content-length'] ?? NaN);
  if (retriable(method, route) && route.retries.max > 0 && len <= REPLAYABLE_BODY_BYTES) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const replay = Buffer.concat(chunks);
    out.bytesIn = replay.length;
    return { replay };
  }
  return { stream: req };
}

const retriable = (method: string, route: CompiledRoute) => IDEMPOTENT.has(method) || route.retries.nonIdempotent;

/** Counts the request bytes as undici pulls them; `pulled` says whether the stream was touched. */
function counted(src: IncomingMessage, out: Outcome, state: { pulled: boolean }): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      state.pulled = true;
      for await (const c of src) {
        out.bytesIn += (c as Buffer).length;
        yield c as Buffer;
      }
    },
  };
}

/**
 * Attempts on upstreams picked by the balancer (another one each retry when there is one).
 * Retried: connection errors and 502/503/504, for idempotent methods (or when the route
 * allows it), with exponential backoff. A streamed request body is retried only if no byte
 * of it was sent yet. The last attempt's 5xx response is passed through as it is.
 */
export async function dispatch(call: ProxyCall, method: string, headers: Record<string, string | string[]>, body: Body, out: Outcome) {
  const { route } = call;
  const tried: Upstream[] = [];
  const maxAttempts = retriable(method, route) ? 1 + route.retries.max : 1;
  const streamState = { pulled: false };
  for (let attempt = 1; ; attempt++) {
    const upstream = pickUpstream(route, tried, Date.now());
    tried.push(upstream);
    out.attempts = attempt;
    const canRetry = () => attempt < maxAttempts && !(body && 'stream' in body && streamState.pulled) && !call.signal.aborted;
    upstream.state.active++;
    let response: Dispatcher.ResponseData;
    // The route's timeout to the response headers, on a timer of our own: undici checks its
    // timeouts only about once a second. Cleared once the headers are in; the body is then
    // bounded by the client's signal (and the route's idle timeout).
    const ac = new AbortController();
    const onClientAbort = () => ac.abort(call.signal.reason);
    call.signal.addEventListener('abort', onClientAbort, { once: true });
    let timedOut = false;
    // Tracing on: a span per attempt, and its traceparent replaces the client's (the client's is the request span's parent).
    const span = call.trace?.attempt(attempt, method, upstream.origin, undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error('route timeout'));
    }, route.timeoutMs);
    try {
      response = await route.dispatcher.request({
        origin: upstream.origin,
        path: upstream.basePath + call.path,
        method: method as Dispatcher.HttpMethod,
        // The upstream's own Host, unless the route's request_headers.set names one (virtual hosts).
        headers: { ...headers, host: (headers.host as string) || upstream.host, ...span?.headers },
        // undici takes any async iterable as a body (its types list only Readable).
        body: body === undefined ? null : 'replay' in body ? body.replay : (counted(body.stream, out, streamState) as unknown as Readable),
        signal: ac.signal,
      });
      clearTimeout(timer);
    } catch (err) {
      clearTimeout(timer);
      upstream.state.active--;
      const e = timedOut ? upstreamError(504, 'upstream_timeout', `route ${route.name}: the upstream did not answer within ${route.timeoutMs} ms`) : transportFailure(route, err, call.signal);
      span?.end(undefined, e.shape);
      if (e.status !== 499) reportFailure(route, upstream, Date.now());
      // A timeout already cost the client the route's whole budget: answer, do not retry.
      if (e.shape.code === 'upstream_timeout' || !canRetry()) throw e;
      await backoff(route, attempt);
      continue;
    }
    span?.end(response.statusCode, response.statusCode >= 400 ? { message: `route ${route.name}: the upstream answered ${response.statusCode}` } : undefined);
    if (RETRY_STATUS.has(response.statusCode)) {
      reportFailure(route, upstream, Date.now());
      if (canRetry()) {
        upstream.state.active--;
        await response.body.dump().catch(() => undefined);
        await backoff(route, attempt);
        continue;
      }
    } else reportSuccess(upstream);
    return { upstream, response };
  }
}

function backoff(route: CompiledRoute, attempt: number): Promise<void> {
  const base = route.retries.backoffMs * 2 ** (attempt - 1);
  const ms = Math.min(2_000, base / 2 + Math.random() * (base / 2)); // jittered
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** A failed attempt (refused, reset, timed out, the client gone) as the client's error, naming the route. */
export function transportFailure(route: CompiledRoute, err: unknown, signal: CallSignal): GatewayError {
  if (err instanceof GatewayError) return err;
  if (signal.aborted) return new GatewayError({ status: 499, type: 'api_error', code: 'client_closed', message: 'the client closed the request' });
  const e = err as { code?: string; cause?: { code?: string } };
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return upstreamError(504, 'upstream_timeout', `route ${route.name}: the upstream did not answer within ${route.timeoutMs} ms`);
  }
  const code = e.code ?? e.cause?.code ?? 'error';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return upstreamError(504, 'upstream_timeout', `route ${route.name}: connecting to the upstream timed out`);
  return upstreamError(502, 'upstream_unreachable', `route ${route.name}: could not reach the upstream (${code})`);
}
