/**
 * Mistral HTTP error → the gateway's error. Mistral's error bodies are not uniform
 * [docs/wire-facts.md §4; fixtures mistral-error-*.issue.json], so the reader is tolerant:
 * `{"object":"error","message","type","param","code"}`, `{"message":…}`, `{"detail":"…"}`,
 * FastAPI's `{"detail":[{loc,msg,type}]}`, or something that is not JSON at all.
 *
 * Status policy (docs/contract.md §3):
 * - 400 / 422 → 400 invalid_request_error: the client's request was refused.
 * - 401 / 403 → 502 upstream_error / upstream_auth_failed: the key is the GATEWAY's, not the
 *   client's; telling the client "invalid API key" would send them hunting for the wrong key.
 *   Mistral also answers 401 `{"detail":"Unauthorized"}` to a valid key whose quota is spent.
 * - 404 → 404 (an unknown model, usually); 413 → 413.
 * - 429 → 429 rate_limit_exceeded, `retryAfter` from the `retry-after` header.
 * - 503 → 503, 504 → 504, other 5xx and anything else → 502.
 * The API key is never part of the input; quoted upstream text goes through ./quote.ts.
 */
import type { UpstreamErrorInput } from '../adapter.js';
import type { GatewayErrorShape } from '../types.js';
import { quote } from './quote.js';

export function parseMistralError(input: UpstreamErrorInput): GatewayErrorShape {
  const { status } = input;
  const detail = readErrorBody(input.body);
  const what = detail.message ?? describeRawBody(input.body);
  const upstreamType = detail.type ? ` ${detail.type}` : '';
  const said = `Mistral answered ${status}${upstreamType}: ${what}`;

  if (status === 400 || status === 422) {
    return { status: 400, type: 'invalid_request_error', code: detail.code ?? null, message: said, param: detail.param ?? null };
  }
  if (status === 401 || status === 403) {
    return {
      status: 502,
      type: 'upstream_error',
      code: 'upstream_auth_failed',
      message: `${said} (the gateway's Mistral API key was rejected or its quota is spent; this is not the client's key)`,
    };
  }
  if (status === 404) return { status: 404, type: 'invalid_request_error', code: 'model_not_found', message: said };
  if (status === 413) return { status: 413, type: 'invalid_request_error', code: 'request_too_large', message: said };
  if (status === 429) {
    const err: GatewayErrorShape = { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', message: said };
    const retryAfter = parseRetryAfter(header(input.headers, 'retry-after'));
    if (retryAfter !== undefined) err.retryAfter = retryAfter;
    return err;
  }
  if (status === 503 || status === 504) return { status, type: 'upstream_error', code: 'upstream_error', message: said };
  return { status: 502, type: 'upstream_error', code: 'upstream_error', message: said };
}

interface ErrorDetail {
  message?: string;
  type?: string;
  code?: string;
  param?: string;
}

/** Pull what we can from any of Mistral's error shapes; never throws. */
export function readErrorBody(body: string): ErrorDetail {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  if (json === null || typeof json !== 'object') return {};
  const j = json as Record<string, unknown>;
  const nested = j.error && typeof j.error === 'object' ? (j.error as Record<string, unknown>) : undefined;
  const src = nested ?? j;
  const out: ErrorDetail = {};
  if (typeof src.message === 'string') out.message = quote(src.message, 500);
  else if (typeof j.detail === 'string') out.message = quote(j.detail, 500);
  else if (Array.isArray(j.detail)) out.message = quote(j.detail.map(validationIssue).join('; '), 500);
  else if (typeof j.error === 'string') out.message = quote(j.error, 500);
  if (typeof src.type === 'string' && src.type !== '') out.type = src.type;
  if ((typeof src.code === 'string' && src.code !== '') || typeof src.code === 'number') out.code = String(src.code);
  if (typeof src.param === 'string' && src.param !== '') out.param = src.param;
  return out;
}

/** FastAPI validation issue `{loc:[…], msg, type}` → `body.messages.0.content: field required`. */
function validationIssue(issue: unknown): string {
  if (!issue || typeof issue !== 'object') return String(issue);
  const i = issue as { loc?: unknown; msg?: unknown };
  const loc = Array.isArray(i.loc) ? i.loc.join('.') : '';
  const msg = typeof i.msg === 'string' ? i.msg : JSON.stringify(issue);
  return loc ? `${loc}: ${msg}` : msg;
}

function describeRawBody(body: string): string {
  if (body.trim() === '') return '(empty body)';
  return `unreadable error body ${quote(body)}`;
}

function header(headers: UpstreamErrorInput['headers'], name: string): string | string[] | undefined {
  if (headers[name] !== undefined) return headers[name];
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** `retry-after` is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.ceil(Number(v));
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
