import type { UpstreamErrorInput } from '../adapter.js';
import { redactUpstreamText, snippet } from '../kit/redact.js';
import { retryAfterSeconds } from '../kit/retry-after.js';
import { classifyStatus, CONTEXT_LENGTH_EXCEEDED } from '../kit/status-policy.js';
import type { GatewayErrorShape } from '../types.js';

/**
 * An OpenAI-format upstream error → the gateway's error, by the shared status table
 * (../kit/status-policy.ts) with no exceptions. OpenAI's own `code` is kept on a 404 and other
 * 4xx; a 429 whose code or type is `insufficient_quota` (a spent account) says so.
 * OpenAI sends `code: "context_length_exceeded"` itself; OpenAI-compatible servers (vLLM, …)
 * often send only the wording — "This model's maximum context length is 4096 tokens" — and get
 * the code here, so the engine can fall back to a larger window.
 */
const CONTEXT_WORDING = /maximum context length|context[ _-]length|context window/i;

export function parseOpenAIError({ status, body, headers }: UpstreamErrorInput): GatewayErrorShape {
  let message: string | undefined;
  let code: string | null = null;
  let param: string | null = null;
  let upstreamType: string | undefined;
  try {
    const json = JSON.parse(body) as any;
    const e = json?.error ?? json;
    if (typeof e === 'string') message = e;
    else if (e && typeof e === 'object') {
      if (typeof e.message === 'string') message = e.message;
      if (typeof e.code === 'string') code = e.code;
      if (typeof e.param === 'string') param = e.param;
      if (typeof e.type === 'string') upstreamType = e.type;
    }
    if (!message && typeof json?.detail === 'string') message = json.detail;
  } catch {
    // not JSON: fall through to the raw-text message below
  }
  message = message === undefined ? (body.trim() ? `upstream said: ${snippet(body)}` : `upstream returned HTTP ${status}`) : redactUpstreamText(message);
  const cls = classifyStatus(status);
  const base = { message, param };
  if (status === 429) {
    const quota = code === 'insufficient_quota' || upstreamType === 'insufficient_quota';
    const retryAfter = retryAfterSeconds(headers);
    return { ...base, ...cls, ...(quota && { type: 'insufficient_quota', code: 'insufficient_quota' }), ...(retryAfter !== undefined && { retryAfter }) };
  }
  if (cls.code === 'upstream_auth_failed') return { ...base, ...cls, message: `the provider refused the gateway's credentials (HTTP ${status}): ${message}` };
  if (cls.status === 400 && (code === CONTEXT_LENGTH_EXCEEDED || CONTEXT_WORDING.test(message))) return { ...base, ...cls, code: CONTEXT_LENGTH_EXCEEDED };
  if (cls.status === 404 || cls.status === 400) return { ...base, ...cls, code: code ?? cls.code };
  if (cls.status === 503) {
    const retryAfter = retryAfterSeconds(headers);
    return { ...base, ...cls, ...(retryAfter !== undefined && { retryAfter }) };
  }
  return { ...base, ...cls };
}
