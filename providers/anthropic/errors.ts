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
 * | 429 rate_limit_error                   | 429         | rate_limit_error / rate_limit_exceeded, `retryAfter` from `retry-after` (seconds) |
 * | 429 with details.error_code enforced_spend_limit_reached | 429 | insufficient_quota / insufficient_quota | do not retry (docs/wire-facts.md §2) |
 * | 500 api_error (other 5xx)              | 502         | upstream_error / upstream_error               | |
 * | 504 timeout_error                      | 504         | upstream_error / upstream_timeout             | |
 * | 529 overloaded_error (any status)      | 503         | upstream_error / upstream_overloaded          | Anthropic-wide overload, retry with backoff |
 *
 * Messages never carry an API key: anything shaped like one is masked (`redactSecrets`).
 */
import type { UpstreamErrorInput } from '../adapter.js';
import type { GatewayErrorShape } from '../types.js';

/** How much of an unreadable (HTML, garbage) body is quoted in the message. */
const SNIPPET_CHARS = 200;

export function redactSecrets(text: string): string {
  return text
    .replace(/sk-ant-[A-Za-z0-9_-]*/g, 'sk-ant-***')
    .replace(/\bsk-[A-Za-z0-9_-]{16,}/g, 'sk-***')
    .replace(/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1***');
}

function snippet(text: string): string {
  // Redact before cutting, so a key straddling the cut cannot leak its first half.
  const flat = redactSecrets(text.replace(/\s+/g, ' ').trim());
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

function header(headers: UpstreamErrorInput['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `retry-after` in seconds; Anthropic sends an integer (docs "Rate limits"). HTTP-dates are ignored. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

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
  const detail = redactSecrets([fields.message, type && `(${type})`].filter(Boolean).join(' ') || 'no error message');
  const effective = status ?? STATUS_BY_TYPE.get(type) ?? 500;
  const shape = (s: number, t: string, code: string | null, message: string): GatewayErrorShape => {
    const out: GatewayErrorShape = { status: s, type: t, code, message, param: null };
    if (retryAfter !== undefined) out.retryAfter = retryAfter;
    return out;
  };

  if (type === 'overloaded_error' || effective === 529) {
    return shape(503, 'upstream_error', 'upstream_overloaded', `Anthropic is overloaded: ${detail}`);
  }
  switch (effective) {
    case 401:
      return shape(502, 'upstream_error', 'upstream_auth_failed', `Anthropic rejected the gateway's credentials: ${detail}`);
    case 403:
      return shape(502, 'upstream_error', 'upstream_permission_denied', `Anthropic refused the gateway's credentials for this request: ${detail}`);
    case 402:
      return shape(502, 'upstream_error', 'upstream_billing_error', `Anthropic billing problem on the gateway's account: ${detail}`);
    case 404:
      return shape(404, 'invalid_request_error', /\bmodel\b/i.test(fields.message) ? 'model_not_found' : null, detail);
    case 413:
      return shape(413, 'invalid_request_error', 'request_too_large', detail);
    case 429:
      if (fields.detailCode === 'enforced_spend_limit_reached') return shape(429, 'insufficient_quota', 'insufficient_quota', detail);
      return shape(429, 'rate_limit_error', 'rate_limit_exceeded', detail);
    case 504:
      return shape(504, 'upstream_error', 'upstream_timeout', `Anthropic timed out: ${detail}`);
  }
  if (effective >= 400 && effective < 500) return shape(effective, 'invalid_request_error', null, detail);
  return shape(502, 'upstream_error', 'upstream_error', `Anthropic failed: ${detail}`);
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
  const retryAfter = retryAfterSeconds(header(input.headers, 'retry-after'));
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
