/**
 * Gemini error → gateway error. Body shape (fixtures gemini-error-*.json, docs/wire-facts.md §3):
 * `{"error":{"code":<http>,"message","status":"<google.rpc.Code>","details":[…]}}`; a non-SSE
 * stream wraps it in an array. https://ai.google.dev/gemini-api/docs/troubleshooting
 */
import type { UpstreamErrorInput } from '../adapter.js';
import type { GatewayErrorShape } from '../types.js';
import type { GeminiErrorObject } from './wire.js';
import { isRecord } from './wire.js';

const RPC_STATUS_HTTP: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** Google API keys look like `AIza` + 35 chars; never let one reach a client or a log. */
export function redactGeminiSecrets(s: string): string {
  return s.replace(/AIza[0-9A-Za-z_-]{10,}/g, 'AIza…[redacted]');
}

export function parseGeminiError(input: UpstreamErrorInput): GatewayErrorShape {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.body);
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed)) parsed = parsed[0]; // `[{"error":{…}}]` from a non-SSE stream
  const err = isRecord(parsed) && isRecord(parsed.error) ? (parsed.error as GeminiErrorObject) : undefined;
  if (!err) {
    const text = input.body.trim();
    const quoted = text ? `: "${redactGeminiSecrets(text.slice(0, 200))}${text.length > 200 ? '…' : ''}"` : ' (empty body)';
    return mapGeminiError(input.status, undefined, input.headers, `Gemini returned HTTP ${input.status} with an unreadable error body${quoted}`);
  }
  return mapGeminiError(input.status, err, input.headers);
}

/** Also used for an `{"error":{…}}` object met inside a stream (status then comes from `code`). */
export function mapGeminiError(
  httpStatus: number | undefined,
  err: GeminiErrorObject | undefined,
  headers: UpstreamErrorInput['headers'] = {},
  fallbackMessage?: string,
): GatewayErrorShape {
  const rpc = typeof err?.status === 'string' ? err.status : undefined;
  const status =
    httpStatus && httpStatus >= 400 ? httpStatus : typeof err?.code === 'number' ? err.code : (rpc && RPC_STATUS_HTTP[rpc]) || 500;
  const reason = errorInfoReason(err?.details);
  const upstreamMessage = typeof err?.message === 'string' && err.message ? err.message.trim() : undefined;
  const label = [rpc, reason].filter(Boolean).join('/');
  let message = fallbackMessage ?? `${upstreamMessage ?? `HTTP ${status}`}${label ? ` (${label})` : ''}`;
  message = redactGeminiSecrets(message);
  if (message.length > 600) message = `${message.slice(0, 600)}…`;

  // A bad, missing or unauthorised key is the gateway's credential, not the client's: the client
  // cannot fix it, so it is an upstream failure (502), never a 401/403 that blames the caller.
  if (reason?.startsWith('API_KEY_') || status === 401 || rpc === 'UNAUTHENTICATED' || status === 403) {
    return { status: 502, type: 'upstream_error', code: 'upstream_auth_failed', message: `upstream rejected the gateway's credentials: ${message}` };
  }
  if (status === 404) return { status: 404, type: 'invalid_request_error', code: 'model_not_found', message };
  if (status === 429) {
    const retryAfter = retryAfterSeconds(headers, err?.details);
    return { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  }
  if (status === 413) return { status: 413, type: 'invalid_request_error', code: 'request_too_large', message };
  // Upstream failures use OpenAI's `api_error` type, like the OpenAI adapter and the engine.
  if (status === 503) return { status: 503, type: 'api_error', code: 'upstream_unavailable', message };
  if (status === 504 || status === 408) return { status: 504, type: 'api_error', code: 'upstream_timeout', message };
  if (status >= 400 && status < 500) return { status: 400, type: 'invalid_request_error', code: null, message };
  return { status: 502, type: 'api_error', code: 'upstream_error', message };
}

function errorInfoReason(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (isRecord(d) && String(d['@type'] ?? '').endsWith('google.rpc.ErrorInfo') && typeof d.reason === 'string') return d.reason;
  }
  return undefined;
}

/** `retry-after` header (seconds or HTTP date) first, else `google.rpc.RetryInfo.retryDelay` ("37s"). */
function retryAfterSeconds(headers: UpstreamErrorInput['headers'], details: unknown): number | undefined {
  const h = headers['retry-after'] ?? headers['Retry-After'];
  const v = Array.isArray(h) ? h[0] : h;
  if (v !== undefined && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
    const at = Date.parse(v);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - Date.now()) / 1000));
  }
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (!isRecord(d) || !String(d['@type'] ?? '').endsWith('google.rpc.RetryInfo')) continue;
    const delay = d.retryDelay;
    if (typeof delay === 'string') {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (m) return Math.ceil(Number(m[1]));
    } else if (isRecord(delay) && (typeof delay.seconds === 'number' || typeof delay.seconds === 'string')) {
      return Math.ceil(Number(delay.seconds) + (typeof delay.nanos === 'number' ? delay.nanos / 1e9 : 0));
    }
  }
  return undefined;
}
