/**
 * Mistral HTTP error → the gateway's error. Mistral's error bodies are not uniform
 * [docs/wire-facts.md §4; fixtures mistral-error-*.issue.json], so the reader is tolerant:
 * `{"object":"error","message","type","param","code"}`, `{"message":…}`, `{"detail":"…"}`,
 * FastAPI's `{"detail":[{loc,msg,type}]}`, or something that is not JSON at all.
 *
 * Status policy: the shared table (../kit/status-policy.ts) with the EXCEPTIONS below.
 * - 400 / 422 → 400 invalid_request_error: the client's request was refused; Mistral's own code kept.
 * - 401 / 403 → 502 upstream_error / upstream_auth_failed: the key is the GATEWAY's, not the
 *   client's. Mistral also answers 401 `{"detail":"Unauthorized"}` to a valid key whose quota is spent.
 * - 404 → 404 (an unknown model, usually); 413 → 413.
 * - 429 → 429 rate_limit_exceeded, `retryAfter` from the `retry-after` header.
 * - 503 → 503, 504 → 504, other 5xx and any other 4xx → 502 upstream_error.
 * - 400 "… too large for model with 32768 maximum context length" → code context_length_exceeded.
 * The API key is never part of the input; quoted upstream text goes through ./quote.ts.
 */
import type { UpstreamErrorInput } from '../adapter.js';
import { retryAfterSeconds } from '../kit/retry-after.js';
import { classifyStatus, CONTEXT_LENGTH_EXCEEDED, type StatusTable } from '../kit/status-policy.js';
import type { GatewayErrorShape } from '../types.js';
import { quote } from './quote.js';

const UPSTREAM_FAILURE = { status: 502, type: 'upstream_error', code: 'upstream_error' } as const;
const CLIENT_ERROR = { status: 400, type: 'invalid_request_error', code: null } as const;
const EXCEPTIONS: StatusTable = {
  400: CLIENT_ERROR,
  422: CLIENT_ERROR,
  '4xx': UPSTREAM_FAILURE,
  503: { status: 503, type: 'upstream_error', code: 'upstream_error' },
  504: { status: 504, type: 'upstream_error', code: 'upstream_error' },
  529: UPSTREAM_FAILURE,
  '5xx': UPSTREAM_FAILURE,
};

/** Mistral's words for a prompt over the context window: "Prompt contains 40012 tokens …, too large for model with 32768 maximum context length". */
const CONTEXT_WORDING = /too large for model with \d+ maximum context length/i;

export function parseMistralError(input: UpstreamErrorInput): GatewayErrorShape {
  const { status } = input;
  const detail = readErrorBody(input.body);
  const what = detail.message ?? describeRawBody(input.body);
  const upstreamType = detail.type ? ` ${detail.type}` : '';
  const said = `Mistral answered ${status}${upstreamType}: ${what}`;

  const cls = classifyStatus(status, EXCEPTIONS);
  if (cls.status === 400) {
    const code = detail.message !== undefined && CONTEXT_WORDING.test(detail.message) ? CONTEXT_LENGTH_EXCEEDED : (detail.code ?? null);
    return { ...cls, code, message: said, param: detail.param ?? null };
  }
  if (cls.code === 'upstream_auth_failed') {
    return { ...cls, message: `${said} (the gateway's Mistral API key was rejected or its quota is spent; this is not the client's key)` };
  }
  if (cls.status === 429) {
    const err: GatewayErrorShape = { ...cls, message: said };
    const retryAfter = retryAfterSeconds(input.headers);
    if (retryAfter !== undefined) err.retryAfter = retryAfter;
    return err;
  }
  return { ...cls, message: said };
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
