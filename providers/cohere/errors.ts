/**
 * Cohere HTTP error → the gateway's error. Cohere's error body is `{"id":"…","message":"…"}`
 * (sometimes without the id); anything else is quoted as unreadable. The status decides through
 * the shared table (../kit/status-policy.ts), with the EXCEPTIONS Cohere's API reference
 * documents beyond it:
 * - 498 "invalid token": the GATEWAY's API key was refused → 502 upstream_auth_failed, like 401.
 * - 499 "client closed request": Cohere saw the call cancelled; not the client's request at
 *   fault → 502 upstream_error.
 * The rest follow the table: 400/422 → 400 (context_length_exceeded when Cohere says the prompt
 * has too many tokens), 401/403 → 502 upstream_auth_failed, 404 → 404, 429 → 429 with
 * `retry-after`, 500 → 502, 503 → 503, 504 → 504.
 */
import type { UpstreamErrorInput } from '../adapter.js';
import { snippet } from '../kit/redact.js';
import { retryAfterSeconds } from '../kit/retry-after.js';
import { classifyStatus, CONTEXT_LENGTH_EXCEEDED, type StatusTable } from '../kit/status-policy.js';
import type { GatewayErrorShape } from '../types.js';

const EXCEPTIONS: StatusTable = {
  498: { status: 502, type: 'upstream_error', code: 'upstream_auth_failed' },
  499: { status: 502, type: 'api_error', code: 'upstream_error' },
};

/** Cohere's words for a prompt over the context window: "too many tokens: total number of tokens in the prompt cannot exceed …". */
const CONTEXT_WORDING = /too many tokens|exceeds? (?:the )?(?:model's )?(?:maximum )?context (?:length|window)/i;

export function parseCohereError(input: UpstreamErrorInput): GatewayErrorShape {
  const message = readMessage(input.body);
  const said = `Cohere answered ${input.status}: ${message !== undefined ? snippet(message, 500) : describeRaw(input.body)}`;
  const cls = classifyStatus(input.status, EXCEPTIONS);
  if (cls.status === 400) {
    return { ...cls, code: message !== undefined && CONTEXT_WORDING.test(message) ? CONTEXT_LENGTH_EXCEEDED : cls.code, message: said };
  }
  if (cls.code === 'upstream_auth_failed') {
    return { ...cls, message: `${said} (the gateway's Cohere API key was refused; this is not the client's key)` };
  }
  if (cls.status === 429 || cls.status === 503) {
    const retryAfter = retryAfterSeconds(input.headers);
    return { ...cls, message: said, ...(retryAfter !== undefined && { retryAfter }) };
  }
  return { ...cls, message: said };
}

function readMessage(body: string): string | undefined {
  try {
    const json: unknown = JSON.parse(body);
    if (json === null || typeof json !== 'object') return undefined;
    const j = json as { message?: unknown; error?: unknown };
    if (typeof j.message === 'string') return j.message;
    if (typeof j.error === 'string') return j.error;
    const nested = j.error as { message?: unknown } | undefined;
    return typeof nested?.message === 'string' ? nested.message : undefined;
  } catch {
    return undefined;
  }
}

function describeRaw(body: string): string {
  return body.trim() === '' ? '(empty body)' : `unreadable error body ${snippet(body)}`;
}
