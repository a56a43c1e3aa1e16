import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { CallSignal, UpstreamRequest, UpstreamResponse } from '../../providers/adapter.js';
import type { ProviderRuntime } from './runtime.js';
import { GatewayError, upstreamError } from './errors.js';

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

/** Sends one upstream request. Errors become GatewayErrors naming the provider, never its key. */
export async function send(provider: ProviderRuntime, req: UpstreamRequest, signal: CallSignal): Promise<UpstreamResponse> {
  if (provider.adapter.localTransport) return provider.adapter.localTransport(req, provider.config, signal);
  try {
    const res = await provider.dispatcher.request({
      ...splitUrl(req.url),
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  } catch (err) {
    throw transportError(provider.config.name, err, signal);
  }
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
