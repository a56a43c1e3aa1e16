/**
 * Anthropic errors → the gateway's error shape.
 *
 * Upstream body: `{"type":"error","error":{"type","message"},"request_id"}` (docs "Errors",
 * fixture anthropic-error-not-found.docs.json). The same `error` object arrives as an SSE
 * `event: error` after HTTP 200 (anthropic-stream-error-overloaded.docs.sse).
 *
 * | upstream                               | client gets | type / code                                   | why |
 * |----------------------------------------|-------------|-----------------------------------------------|-----|
 * | 400 invalid_request_error (other 4xx)  | same status | invalid_request_error / null                  | the client's request was bad |
 * | 401 authentication_error               | 502         | upstream_error / upstream_auth_failed         | the GATEWAY's key was refused: not the client's fault |
 * | 403 permission_error                   | 502         | upstream_error / upstream_permission_denied   | idem |
 * | 402 billing_error                      | 502         | upstream_error / upstream_billing_error       | idem (the gateway's account) |
 * | 404 not_found_error                    | 404         | invalid_request_error / model_not_found when the message names the model, else null |
 * | 413 request_too_large                  | 413         | invalid_request_error / request_too_large     | |
 * | 429 rate_limit_error                   | 429         | rate_limit_error / rate_limit_exceeded, `retryAfter` from `retry-after` |
 * | 429 with details.error_code enforced_spend_limit_reached | 429 | insufficient_quota / insufficient_quota | do not retry (docs/wire-facts.md §2) |
 * | 500 api_error (other 5xx)              | 502         | upstream_error / upstream_error               | |
 * | 504 timeout_error                      | 504         | upstream_error / upstream_timeout             | |
 * | 529 overloaded_error (any status)      | 503         | upstream_error / upstream_overloaded          | Anthropic-wide overload, retry with backoff |
 * | 400 "prompt is too long…"              | 400         | invalid_request_error / context_length_exceeded | the engine may fall back to a larger window |
 *
 * The status rows are the shared table's (../kit/status-policy.ts) plus EXCEPTIONS below.
 * Messages never carry an API key: anything shaped like one is masked (../kit/redact.ts).
 */
import type { UpstreamErrorInput } from '../adapter.js';
import { redactUpstreamText, snippet } from '../kit/redact.js';
import { retryAfterSeconds } from '../kit/retry-after.js';
import { classifyStatus, CONTEXT_LENGTH_EXCEEDED, type StatusTable } from '../kit/status-policy.js';
import type { GatewayErrorShape } from '../types.js';

/** Where Anthropic differs from the shared table (../kit/status-policy.ts): its own error types, and 4xx keep their status. */
const UPSTREAM_FAILURE = { status: 502, type: 'upstream_error', code: 'upstream_error' } as const;
const EXCEPTIONS: StatusTable = {
  402: { status: 502, type: 'upstream_error', code: 'upstream_billing_error' },
  403: { status: 502, type: 'upstream_error', code: 'upstream_permission_denied' },
  '4xx': { status: 'same', type: 'invalid_request_error', code: null },
  503: UPSTREAM_FAILURE,
  504: { status: 504, type: 'upstream_error', code: 'upstream_timeout' },
  529: { status: 503, type: 'upstream_error', code: 'upstream_overloaded' },
  '5xx': UPSTREAM_FAILURE,
};

/** Anthropic's words for a prompt over the context window: "prompt is too long: 208310 tokens > 200000 maximum", "input length and `max_tokens` exceed context limit". */
const CONTEXT_WORDING = /prompt is too long|exceed context limit/i;

export interface AnthropicErrorFields {
  /** `error.type`, e.g. `overloaded_error`; undefined when the body was unreadable. */
  type: string | undefined;
  message: string;
  /** `error.details.error_code`, seen on spend-limit 429s. */
  detailCode?: string;
}

/** Reads `{type:"error", error:{type, message}}`; undefined when it is not that shape. */
export function readAnthropicErrorObject(json: unknown): AnthropicErrorFields | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const error = (json as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { type?: unknown; message?: unknown; details?: { error_code?: unknown } };
  const fields: AnthropicErrorFields = {
    type: typeof e.type === 'string' ? e.type : undefined,
    message: typeof e.message === 'string' ? e.message : '',
  };
  if (typeof e.details?.error_code === 'string') fields.detailCode = e.details.error_code;
  return fields;
}

/**
 * The mapping table above. `status` is the upstream HTTP status, or undefined for an error
 * that arrived inside a 200 stream (then the Anthropic error type decides).
 */
export function gatewayErrorFromAnthropic(
  status: number | undefined,
  fields: AnthropicErrorFields,
  retryAfter?: number,
): GatewayErrorShape {
  const type = fields.type ?? '';
  const detail = redactUpstreamText([fields.message, type && `(${type})`].filter(Boolean).join(' ') || 'no error message');
  const effective = type === 'overloaded_error' ? 529 : (status ?? STATUS_BY_TYPE.get(type) ?? 500);
  const cls = classifyStatus(effective, EXCEPTIONS);
  const out: GatewayErrorShape = { ...cls, message: detail, param: null };
  if (retryAfter !== undefined) out.retryAfter = retryAfter;
  switch (cls.code) {
    case 'upstream_overloaded':
      return { ...out, message: `Anthropic is overloaded: ${detail}` };
    case 'upstream_auth_failed':
      return { ...out, message: `Anthropic rejected the gateway's credentials: ${detail}` };
    case 'upstream_permission_denied':
      return { ...out, message: `Anthropic refused the gateway's credentials for this request: ${detail}` };
    case 'upstream_billing_error':
      return { ...out, message: `Anthropic billing problem on the gateway's account: ${detail}` };
    case 'upstream_timeout':
      return { ...out, message: `Anthropic timed out: ${detail}` };
    case 'upstream_error':
      return { ...out, message: `Anthropic failed: ${detail}` };
    case 'model_not_found':
      return /\bmodel\b/i.test(fields.message) ? out : { ...out, code: null };
    case 'rate_limit_exceeded':
      return fields.detailCode === 'enforced_spend_limit_reached' ? { ...out, type: 'insufficient_quota', code: 'insufficient_quota' } : out;
  }
  if (cls.status === 400 && CONTEXT_WORDING.test(fields.message)) return { ...out, code: CONTEXT_LENGTH_EXCEEDED };
  return out;
}

/** For stream errors (no HTTP status): the status Anthropic documents for each error type. */
const STATUS_BY_TYPE: ReadonlyMap<string, number> = new Map([
  ['invalid_request_error', 400],
  ['authentication_error', 401],
  ['billing_error', 402],
  ['permission_error', 403],
  ['not_found_error', 404],
  ['request_too_large', 413],
  ['rate_limit_error', 429],
  ['api_error', 500],
  ['timeout_error', 504],
  ['overloaded_error', 529],
]);

export function parseAnthropicError(input: UpstreamErrorInput): GatewayErrorShape {
  const retryAfter = retryAfterSeconds(input.headers);
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    json = undefined;
  }
  const fields = readAnthropicErrorObject(json) ?? {
    type: undefined,
    message: input.body.trim()
      ? `HTTP ${input.status} with an unreadable body: "${snippet(input.body)}"`
      : `HTTP ${input.status} with an empty body`,
  };
  return gatewayErrorFromAnthropic(input.status, fields, retryAfter);
}
