/**
 * Gemini error → gateway error. Body shape (fixtures gemini-error-*.json, docs/wire-facts.md §3):
 * `{"error":{"code":<http>,"message","status":"<google.rpc.Code>","details":[…]}}`; a non-SSE
 * stream wraps it in an array. https://ai.google.dev/gemini-api/docs/troubleshooting
 */
import type { UpstreamErrorInput } from '../adapter.js';
import { redactUpstreamText, snippet } from '../kit/redact.js';
import { MAX_RETRY_AFTER_S, retryAfterSeconds } from '../kit/retry-after.js';
import { classifyStatus, CONTEXT_LENGTH_EXCEEDED, type StatusTable } from '../kit/status-policy.js';
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

/** Where Gemini differs from the shared table (../kit/status-policy.ts): 408 is its deadline, a timeout. */
const EXCEPTIONS: StatusTable = { 408: { status: 504, type: 'api_error', code: 'upstream_timeout' } };

/** Gemini's words for a prompt over the context window: "The input token count (1204712) exceeds the maximum number of tokens allowed (1048576)." */
const CONTEXT_WORDING = /input token count .*exceeds the maximum number of tokens/i;

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
    const quoted = text ? `: "${snippet(text)}"` : ' (empty body)';
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
  message = redactUpstreamText(message);
  if (message.length > 600) message = `${message.slice(0, 600)}…`;

  // A bad, missing or unauthorised key is the gateway's credential, not the client's: the client
  // cannot fix it, so it is an upstream failure (502), never a 401/403 that blames the caller.
  const cls = classifyStatus(reason?.startsWith('API_KEY_') || rpc === 'UNAUTHENTICATED' ? 401 : status, EXCEPTIONS);
  if (cls.code === 'upstream_auth_failed') return { ...cls, message: `upstream rejected the gateway's credentials: ${message}` };
  if (cls.status === 429) {
    const retryAfter = retryAfterSeconds(headers) ?? retryDelaySeconds(err?.details);
    return { ...cls, message, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  }
  if (cls.status === 400 && upstreamMessage && CONTEXT_WORDING.test(upstreamMessage)) return { ...cls, code: CONTEXT_LENGTH_EXCEEDED, message };
  return { ...cls, message };
}

function errorInfoReason(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (isRecord(d) && String(d['@type'] ?? '').endsWith('google.rpc.ErrorInfo') && typeof d.reason === 'string') return d.reason;
  }
  return undefined;
}

/** `google.rpc.RetryInfo.retryDelay` ("37s", or `{seconds, nanos}`), whole seconds, read when there is no `retry-after` header. */
function retryDelaySeconds(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (!isRecord(d) || !String(d['@type'] ?? '').endsWith('google.rpc.RetryInfo')) continue;
    const delay = d.retryDelay;
    if (typeof delay === 'string') {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (m) return bounded(Number(m[1]));
    } else if (isRecord(delay) && (typeof delay.seconds === 'number' || typeof delay.seconds === 'string')) {
      return bounded(Number(delay.seconds) + (typeof delay.nanos === 'number' ? delay.nanos / 1e9 : 0));
    }
  }
  return undefined;
}

const bounded = (s: number): number | undefined => (Number.isFinite(s) && s >= 0 ? Math.min(Math.ceil(s), MAX_RETRY_AFTER_S) : undefined);
