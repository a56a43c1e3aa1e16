import { createHmac } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { AlertWebhook } from '../../engine/runtime.js';

/** A configured webhook, ready to call: credentials in a URL become a Basic header. */
export interface PreparedWebhook {
  url: string;
  /** `webhook 2 (hooks.example.com)`: how logs and `last_error` name it (never the path: Slack's holds its token). */
  label: string;
  format: 'json' | 'slack';
  secret?: string;
  authorization?: string;
}

export function prepareWebhook(w: AlertWebhook, index: number): PreparedWebhook {
  const u = new URL(w.url);
  let authorization: string | undefined;
  if (u.username || u.password) {
    authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  return { url: u.toString(), label: `webhook ${index + 1} (${u.host})`, format: w.format, ...(w.secret && { secret: w.secret }), ...(authorization && { authorization }) };
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` — the `x-tollgate-signature` value. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface RetryPolicy {
  /** Tries in all (the first included). */
  attempts: number;
  /** Wait before the first retry; doubles after each. */
  backoffMs: number;
  /** Per try: connecting, the status line and the (discarded) answer body. */
  timeoutMs: number;
  /** The alerts' own connection pool (closed with the gateway). */
  dispatcher?: Dispatcher;
}

/** Shutdown: `retries` aborts the waits between tries (no new try starts), `requests` the tries in flight. */
export interface StopSignals {
  retries: AbortSignal;
  requests: AbortSignal;
}

export interface TryOutcome {
  ok: boolean;
  /** No URL in it: the webhook's label and a status or an error message (the caller redacts). */
  error?: string;
  /** false: retrying cannot help (a 4xx other than 408/429, a redirect). */
  retryable: boolean;
}

/** Longest wait between two tries, whatever the doubling reaches. */
export const MAX_BACKOFF_MS = 3_600_000;

/**
 * POSTs one alert to one webhook until it answers 2xx, retrying network errors, timeouts, 408,
 * 429 and 5xx with exponential backoff. A fresh timestamp (and signature) per try; the body and
 * `x-tollgate-alert-id` stay the same, so a receiver can drop a retry it already handled.
 * `onTry` hears each outcome (the caller keeps the delivery state).
 */
export async function deliver(hook: PreparedWebhook, alertId: string, body: string, policy: RetryPolicy, stop: StopSignals, onTry: (outcome: TryOutcome) => void): Promise<TryOutcome & { abandoned: boolean }> {
  let last: TryOutcome = { ok: false, error: `${hook.label}: not sent`, retryable: true };
  for (let i = 0; i < policy.attempts; i++) {
    if (stop.retries.aborted || (i > 0 && !(await sleep(Math.min(policy.backoffMs * 2 ** (i - 1), MAX_BACKOFF_MS), stop.retries)))) return { ...last, abandoned: true };
    last = await tryOnce(hook, alertId, body, policy, stop.requests);
    onTry(last);
    if (last.ok || !last.retryable) break;
  }
  return { ...last, abandoned: stop.requests.aborted && !last.ok };
}

async function tryOnce(hook: PreparedWebhook, alertId: string, body: string, policy: RetryPolicy, stop: AbortSignal): Promise<TryOutcome> {
  const { timeoutMs, dispatcher } = policy;
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'tollgate-alerts',
    'x-tollgate-alert-id': alertId,
    'x-tollgate-timestamp': String(timestamp),
    ...(hook.secret && { 'x-tollgate-signature': signature(hook.secret, timestamp, body) }),
    ...(hook.authorization && { authorization: hook.authorization }),
  };
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(hook.url, { method: 'POST', headers, body, signal: AbortSignal.any([stop, timeout]), headersTimeout: timeoutMs, bodyTimeout: timeoutMs, ...(dispatcher && { dispatcher }) });
    // Nothing in the answer's body is used: drain a bounded amount so the connection is reused.
    await res.body.dump({ limit: 65_536 }).catch(() => {});
    const s = res.statusCode;
    if (s >= 200 && s < 300) return { ok: true, retryable: false };
    return { ok: false, error: `${hook.label}: HTTP ${s}`, retryable: s === 408 || s === 429 || s >= 500 };
  } catch (err) {
    const why = stop.aborted ? 'abandoned: the gateway closed' : timeout.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message;
    return { ok: false, error: `${hook.label}: ${why}`, retryable: !stop.aborted };
  }
}

/** Resolves true after `ms`, false at once when `stop` aborts. The timer does not hold the process open. */
function sleep(ms: number, stop: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      stop.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    timer.unref();
    stop.addEventListener('abort', onAbort, { once: true });
  });
}
