import type { CallSignal, UpstreamRequest, UpstreamResponse } from '../../providers/adapter.js';
import { GatewayError, invalidRequest, redactSecrets } from './errors.js';
import { Cooldowns } from './cooldown.js';
import { withCredential } from './credentials.js';
import type { Route } from './route.js';
import type { AliasTarget, Snapshot } from './runtime.js';
import { TargetSelector, targetKey } from './strategy.js';
import { send, transportError } from './transport.js';
import type { RequestTrace } from '../telemetry/tracing.js';

export interface Dispatched {
  target: AliasTarget;
  upstream: UpstreamResponse;
  /** Upstream requests made, retries and fallbacks included. */
  attempts: number;
}

/** Per-process routing state: strategy positions and latency windows, circuit breakers. */
export interface Routing {
  selector: TargetSelector;
  cooldowns: Cooldowns;
}

export function createRouting(): Routing {
  return { selector: new TargetSelector(), cooldowns: new Cooldowns() };
}

export interface DispatchOptions {
  routing?: Routing;
  /** Per-request deadline for each attempt's status line (`x-tollgate-timeout-ms`). */
  timeoutMs?: number;
  /** Extra fallback targets for this request (`x-tollgate-fallbacks`), tried after the route's. */
  extraTargets?: readonly AliasTarget[];
  /** The request's trace (tracing on): a span per attempt, its `traceparent` sent upstream. */
  trace?: RequestTrace;
}

/** Statuses worth another try elsewhere: rate limits and upstream failures, never a 4xx the request caused. */
export function isRetryable(e: GatewayError): boolean {
  const s = e.status;
  return s === 429 || s === 502 || s === 503 || s === 504;
}

/** A 400 that says the prompt does not fit the model: each adapter sets the code from its provider's wording. */
export function isContextWindowError(e: GatewayError): boolean {
  return (e.status === 400 || e.status === 413) && e.shape.code === 'context_length_exceeded';
}

const MAX_ERROR_BODY = 64 * 1024;
/** Deadlines shorter than this get a timer of their own (undici checks its timeouts ~once a second). */
const PRECISE_TIMEOUT_BELOW_MS = 30_000;

/**
 * Sends the request to the route's targets until one answers with a 2xx status line. The
 * strategy orders the targets (./strategy.ts); targets in cooldown go last (./cooldown.ts);
 * each target is retried up to its `max_retries` (exponential backoff with jitter, honouring
 * `retry-after`) on connection errors, timeouts, 429 and 5xx, then the next target is tried.
 * A 400 caused by the request is never retried — except a context-window error, which moves
 * on to a target with a larger window when the alias allows it. Only the status line is
 * awaited, so a stream can fall back before its first byte and never after.
 */
export async function dispatch(
  snapshot: Snapshot,
  route: Route,
  build: (target: AliasTarget) => UpstreamRequest,
  signal: CallSignal,
  opts: DispatchOptions = {},
): Promise<Dispatched> {
  const routing = opts.routing;
  // Circuit breaking is opt-in per alias (`cooldown:`): a plain route tries its targets every time.
  const breaker = route.cooldown ? routing?.cooldowns : undefined;
  let ordered = routing ? routing.selector.order(route) : route.targets;
  if (opts.extraTargets?.length) ordered = [...ordered, ...opts.extraTargets];
  if (breaker && ordered.length > 1) {
    // Cooling targets go last: still tried when nothing else is left.
    const cooling = ordered.filter((t) => breaker.isCooling(targetKey(t)));
    if (cooling.length) ordered = [...ordered.filter((t) => !cooling.includes(t)), ...cooling];
  }

  let last: GatewayError | undefined;
  let refusal: GatewayError | undefined;
  let attempts = 0;
  let minWindow = 0;
  try {
    for (let i = 0; i < ordered.length; i++) {
      // One request never makes more than `server.max_attempts` upstream calls, retries and
      // fallbacks together (`x-tollgate-fallbacks` can name any number of targets).
      if (attempts >= snapshot.maxAttempts) throw attemptsExhausted(last, snapshot.maxAttempts, route);
      const target = ordered[i]!;
      const key = targetKey(target);
      if (minWindow && (target.contextWindow ?? 0) <= minWindow) continue;
      const isLast = i === ordered.length - 1;
      if (breaker && !breaker.acquire(key) && !isLast) continue;
      const p = target.provider;
      let request: UpstreamRequest;
      try {
        request = buildFor(target, build);
      } catch (err) {
        // This target cannot express the request (a parameter it refuses, a model name that cannot
        // go into its URL): the next target may. The refusal is the answer only when no target
        // could take the request — a primary's outage is not hidden behind a fallback's 400.
        if (!(err instanceof GatewayError) || err.status !== 400) throw err;
        breaker?.success(key); // releases a half-open probe slot: nothing was sent
        refusal ??= err;
        continue;
      }
      for (let retry = 0; retry <= p.maxRetries; retry++) {
        if (retry > 0 && attempts >= snapshot.maxAttempts) throw attemptsExhausted(last, snapshot.maxAttempts, route);
        attempts++;
        // The per-request deadline covers the wait for the status line only: once send() resolves
        // the timer is cleared and the body (a long stream) is bounded by the client signal alone.
        // undici checks its own timeouts only about once a second: a timer of ours makes
        // `timeout_ms` (and x-tollgate-timeout-ms) precise for the wait to the status line.
        // Long deadlines (the 600 s default) are left to undici's headersTimeout: no per-request
        // timer and controller on the hot path where a second of slack does not matter.
        const deadlineMs = Math.min(opts.timeoutMs ?? Infinity, p.timeoutMs);
        let attemptSignal = signal;
        let timer: NodeJS.Timeout | undefined;
        if (deadlineMs < PRECISE_TIMEOUT_BELOW_MS) {
          const ac = new AbortController();
          if (signal.aborted) ac.abort(signal.reason);
          else signal.addEventListener('abort', () => ac.abort(signal.reason), { once: true });
          timer = setTimeout(() => ac.abort(new Error('timeout')), deadlineMs);
          attemptSignal = ac.signal;
        }
        const span = opts.trace?.attempt(attempts, request.method, request.url, target);
        let status: number | undefined;
        const started = performance.now();
        try {
          // Auth over the whole request and the time (SigV4), per attempt: a retry is signed afresh.
          // Inside the try: a token endpoint that fails is retried and fallen back from like the upstream.
          const sent = p.adapter.sign || p.adapter.credential ? await authorize(p, request) : request;
          const upstream = await send(p, span ? { ...sent, headers: { ...sent.headers, ...span.headers } } : sent, attemptSignal).finally(() => clearTimeout(timer));
          status = upstream.status;
          if (upstream.status < 400) {
            span?.end(status);
            breaker?.success(key);
            routing?.selector.observe(target, performance.now() - started);
            return { target, upstream, attempts };
          }
          // Scrubbed before the adapter reads it: adapters quote unreadable bodies cut short, and a
          // key cut in half by that would no longer be recognised — and leak its first half.
          const body = redactSecrets(await readText(upstream.body, MAX_ERROR_BODY).catch(() => ''), snapshot.secrets);
          const shape = p.adapter.parseError({ status: upstream.status, body, headers: upstream.headers });
          throw new GatewayError({ ...shape, message: redactSecrets(`${p.config.name}: ${shape.message}`, snapshot.secrets) });
        } catch (err) {
          clearTimeout(timer); // signing may have failed before send() could clear it
          let e = err instanceof GatewayError ? err : transportError(p.config.name, err, signal);
          if (!signal.aborted && attemptSignal.aborted) {
            const why = opts.timeoutMs !== undefined && opts.timeoutMs <= p.timeoutMs ? 'x-tollgate-timeout-ms' : 'timeout_ms';
            e = new GatewayError({ status: 504, type: 'api_error', code: 'upstream_timeout', message: `provider ${p.config.name} did not answer within ${deadlineMs} ms (${why})` });
          }
          span?.end(status, e.shape);
          if (signal.aborted) throw e;
          if (!isRetryable(e)) {
            if (route.contextWindowFallback && isContextWindowError(e) && ordered.slice(i + 1).some((t) => (t.contextWindow ?? 0) > (target.contextWindow ?? 0))) {
              // Release a half-open probe slot: the target is healthy, the prompt was too long.
              breaker?.success(key);
              minWindow = target.contextWindow ?? 0;
              last = e;
              break;
            }
            breaker?.success(key);
            throw e;
          }
          breaker?.failure(key, route.cooldown);
          last = e;
          if (retry < p.maxRetries) await backoff(retry, e.shape.retryAfter, signal);
        }
      }
    }
    throw last ?? refusal ?? new GatewayError({ status: 503, type: 'api_error', code: 'no_target', message: `no target could serve '${route.requested}' (all cooling down)` });

  } catch (err) {
    // The usage record counts the upstream calls a failed request made too.
    if (err instanceof GatewayError) err.attempts = attempts;
    throw err;
  }
}

/**
 * The upstream request for a target. An adapter that cannot build one from this request (a model
 * name that cannot go into its URL, a field it cannot express) throws: that is the client's 400,
 * before anything is sent — never a transport failure to retry or fall back from.
 */
function buildFor(target: AliasTarget, build: (target: AliasTarget) => UpstreamRequest): UpstreamRequest {
  try {
    return build(target);
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    const param = (err as { param?: unknown }).param;
    throw invalidRequest(`${target.provider.config.name}: ${(err as Error).message}`, typeof param === 'string' ? param : null);
  }
}

/**
 * The request with its per-attempt auth: a fetched token (the adapter's `credential`, cached; its
 * failures are already the gateway's errors), then the adapter's signature. A provider that cannot
 * sign (no credentials) is the gateway's fault, not the client's.
 */
async function authorize(p: AliasTarget['provider'], request: UpstreamRequest): Promise<UpstreamRequest> {
  const now = new Date();
  const withToken = p.adapter.credential ? await withCredential(p, request, now) : request;
  if (!p.adapter.sign) return withToken;
  try {
    return await p.adapter.sign(withToken, p.config, now);
  } catch (err) {
    throw new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed', message: `${p.config.name}: cannot sign the upstream request: ${(err as Error).message}` });
  }
}

/** The last upstream error, saying the attempt cap stopped the request. */
function attemptsExhausted(last: GatewayError | undefined, max: number, route: Route): GatewayError {
  const shape = last?.shape ?? { status: 503, type: 'api_error', code: 'no_target' as string | null, message: `no target could serve '${route.requested}'` };
  return new GatewayError({ ...shape, message: `${shape.message} (gave up after ${max} attempts: server.max_attempts)` });
}

/** 2^n × 250 ms with full jitter, capped at 8 s; `retry-after` (seconds) wins when given, capped at 60 s. */
function backoff(retry: number, retryAfter: number | undefined, signal: CallSignal): Promise<void> {
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
  // The transport's body (upstream-body.ts) concatenates once at the end; much cheaper than async iteration.
  if (limit === Infinity && typeof (body as { text?: unknown }).text === 'function') return (body as unknown as { text(): Promise<string> }).text();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of body) {
    if (size < limit) chunks.push(c);
    size += c.byteLength;
  }
  return Buffer.concat(chunks).toString('utf8');
}
