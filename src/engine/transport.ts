import { Agent, errors as undiciErrors, util as undiciUtil, type Dispatcher } from 'undici';
import type { CallSignal, UpstreamRequest, UpstreamResponse } from '../../providers/adapter.js';
import type { ProviderRuntime } from './runtime.js';
import { GatewayError, upstreamError } from './errors.js';
import { UpstreamBody } from './upstream-body.js';

/**
 * One undici Agent per configured provider (a keep-alive pool per upstream origin inside it),
 * created at start-up with the provider's timeout. `headersTimeout` bounds the wait for the
 * first byte, `bodyTimeout` the silence between two body chunks.
 */
export function createDispatcher(timeoutMs: number): Dispatcher {
  return new Agent({
    connections: 256,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: Math.min(timeoutMs, 10_000) },
  });
}

/**
 * Sends one upstream request: resolves at the status line, the body read through UpstreamBody
 * (./upstream-body.ts) on undici's dispatch handler. Errors become GatewayErrors naming the
 * provider, never its key; a failure after the status line reaches the body's reader as it
 * came (undici's timeout and socket errors), for bodyReadError to map.
 */
export function send(provider: ProviderRuntime, req: UpstreamRequest, signal: CallSignal): Promise<UpstreamResponse> {
  if (provider.adapter.localTransport) return provider.adapter.localTransport(req, provider.config, signal);
  const name = provider.config.name;
  if (signal.aborted) return Promise.reject(transportError(name, signal.reason, signal));
  let target: { origin: string; path: string };
  try {
    target = splitUrl(req.url);
  } catch (err) {
    return Promise.reject(transportError(name, err, signal));
  }
  return new Promise<UpstreamResponse>((resolve, reject) => {
    const body = new UpstreamBody();
    let answered = false;
    const onAbort = () => {
      signal.removeEventListener('abort', onAbort);
      if (body.abort) return body.abort(abortReason(signal));
      // Still queued or connecting: the caller hears now (a deadline is a deadline); the request is
      // aborted as soon as undici hands it a connection (onConnect below).
      if (!answered) reject(transportError(name, signal.reason, signal));
    };
    signal.addEventListener('abort', onAbort);
    provider.dispatcher.dispatch(
      { origin: target.origin, path: target.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body ?? null },
      {
        onConnect(abort) {
          if (signal.aborted) abort(abortReason(signal));
          else body.abort = abort;
        },
        onHeaders(statusCode, rawHeaders, resume) {
          // 1xx (102 Processing, 103 Early Hints): not the answer, which follows on the same request.
          if (statusCode < 200) return true;
          body.resume = resume;
          answered = true;
          resolve(new Answer(statusCode, rawHeaders, body));
          return true;
        },
        onData(chunk) {
          return body.push(chunk);
        },
        onComplete() {
          signal.removeEventListener('abort', onAbort);
          body.end();
        },
        onError(err) {
          signal.removeEventListener('abort', onAbort);
          if (answered) body.fail(err);
          else reject(transportError(name, err, signal));
        },
      },
    );
  });
}

/** The status line and body; the headers are parsed when first read (a successful chat call never reads them). */
class Answer implements UpstreamResponse {
  private parsed: Record<string, string | string[]> | undefined;
  constructor(
    readonly status: number,
    private readonly raw: Buffer[] | string[] | null,
    readonly body: UpstreamBody,
  ) {}

  get headers(): Record<string, string | string[]> {
    // undici's own parser, as its request() used: lower-cased names, repeated headers in an array, __proto__ an own key.
    return (this.parsed ??= this.raw ? (undiciUtil.parseHeaders(this.raw) as Record<string, string | string[]>) : {});
  }
}

function abortReason(signal: CallSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the client closed the request');
}


/** origin + path of an absolute URL; memoised (a provider uses a handful of URLs, parsing each costs µs). */
const splitCache = new Map<string, { origin: string; path: string }>();
function splitUrl(url: string): { origin: string; path: string } {
  let s = splitCache.get(url);
  if (!s) {
    const u = new URL(url);
    s = { origin: u.origin, path: u.pathname + u.search };
    if (splitCache.size > 10_000) splitCache.clear();
    splitCache.set(url, s);
  }
  return s;
}

/** Maps a transport failure (refused, reset, timeout, client abort) to the gateway's error. */
export function transportError(providerName: string, err: unknown, signal?: CallSignal): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  if (signal?.aborted) return new GatewayError({ status: 499, type: 'api_error', code: 'client_closed', message: 'the client closed the request' });
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || e.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return upstreamError(504, 'upstream_timeout', `provider ${providerName} did not answer in time`);
  }
  const code = e.code ?? e.cause?.code ?? e.name ?? 'error';
  if (code === 'ECONNREFUSED') return upstreamError(502, 'upstream_unreachable', `provider ${providerName} refused the connection`);
  return upstreamError(502, 'upstream_unreachable', `could not reach provider ${providerName} (${code})`);
}
