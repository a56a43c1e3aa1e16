import type { UpstreamRequest, UpstreamResponse } from '../../providers/adapter.js';
import { GatewayError, redactSecrets } from './errors.js';
import type { Route } from './route.js';
import type { AliasTarget, Snapshot } from './runtime.js';
import { send, transportError } from './transport.js';

export interface Dispatched {
  target: AliasTarget;
  upstream: UpstreamResponse;
  /** Upstream requests made, retries and fallbacks included. */
  attempts: number;
}

/** Statuses worth another try elsewhere: rate limits and upstream failures, never a 4xx the request caused. */
export function isRetryable(e: GatewayError): boolean {
  const s = e.status;
  return s === 429 || s === 502 || s === 503 || s === 504;
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Sends the request to the route's targets in order until one answers with a 2xx status line:
 * retries a target up to its `max_retries` (exponential backoff with jitter, honouring
 * `retry-after`), then falls back to the next target. Only the status line is awaited, so a
 * stream can still fall back before its first byte and never after.
 */
export async function dispatch(
  snapshot: Snapshot,
  route: Route,
  build: (target: AliasTarget) => UpstreamRequest,
  signal: AbortSignal,
): Promise<Dispatched> {
  let last: GatewayError | undefined;
  let attempts = 0;
  for (const target of route.targets) {
    const p = target.provider;
    for (let retry = 0; retry <= p.maxRetries; retry++) {
      attempts++;
      try {
        const upstream = await send(p, build(target), signal);
        if (upstream.status < 400) return { target, upstream, attempts };
        const body = await readText(upstream.body, MAX_ERROR_BODY).catch(() => '');
        const shape = p.adapter.parseError({ status: upstream.status, body, headers: upstream.headers });
        throw new GatewayError({ ...shape, message: redactSecrets(`${p.config.name}: ${shape.message}`, snapshot.secrets) });
      } catch (err) {
        const e = err instanceof GatewayError ? err : transportError(p.config.name, err, signal);
        if (signal.aborted || !isRetryable(e)) throw e;
        last = e;
        if (retry < p.maxRetries) await backoff(retry, e.shape.retryAfter, signal);
      }
    }
  }
  throw last ?? new GatewayError({ status: 502, type: 'api_error', code: 'no_target', message: `no target could serve '${route.requested}'` });
}

/** 2^n × 250 ms with full jitter, capped at 8 s; `retry-after` (seconds) wins when given, capped at 60 s. */
function backoff(retry: number, retryAfter: number | undefined, signal: AbortSignal): Promise<void> {
  const ms = retryAfter !== undefined ? Math.min(retryAfter * 1000, 60_000) : Math.random() * Math.min(8000, 250 * 2 ** retry);
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/** Reads a body to text, at most `limit` bytes (the rest is discarded). */
export async function readText(body: AsyncIterable<Uint8Array>, limit = Infinity): Promise<string> {
  // undici's body reader concatenates natively; much cheaper than async iteration.
  if (limit === Infinity && typeof (body as { text?: unknown }).text === 'function') return (body as unknown as { text(): Promise<string> }).text();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of body) {
    if (size < limit) chunks.push(c);
    size += c.byteLength;
  }
  return Buffer.concat(chunks).toString('utf8');
}
