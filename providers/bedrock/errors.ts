/**
 * Bedrock HTTP error → the gateway's error. Bedrock names the error in the `x-amzn-errortype`
 * header (`ValidationException:http://internal.amazon.com/…`), and the body is
 * `{"message":"…"}` (sometimes `Message`, or `__type` holding the name). The status decides
 * through the shared table (../kit/status-policy.ts), with these EXCEPTIONS, by error name:
 * - ModelNotReadyException (429) → 503 upstream_unavailable: the model is being loaded, not our
 *   rate limit; retried like an overload.
 * - ModelTimeoutException (408) → 504 upstream_timeout; ModelErrorException (424) → 502.
 * The rest follow the table: ThrottlingException 429 → 429 (with `retry-after`),
 * ValidationException 400 → 400 (context_length_exceeded when the message says the input is too
 * long), AccessDeniedException 403 → 502 upstream_auth_failed, ResourceNotFoundException 404 →
 * 404, ServiceUnavailableException 503 → 503, InternalServerException 500 → 502.
 */
import type { UpstreamErrorInput } from '../adapter.js';
import { snippet } from '../kit/redact.js';
import { retryAfterSeconds } from '../kit/retry-after.js';
import { classifyStatus, CONTEXT_LENGTH_EXCEEDED, type StatusTable } from '../kit/status-policy.js';
import type { GatewayErrorShape } from '../types.js';

/** Error names whose meaning is not their status's: classified as this status instead. */
const STATUS_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['ModelNotReadyException', 503],
  ['ModelTimeoutException', 504],
  ['ModelErrorException', 502],
]);
const EXCEPTIONS: StatusTable = { 408: { status: 504, type: 'api_error', code: 'upstream_timeout' } };

/** Bedrock's words for a prompt over the context window. */
const CONTEXT_WORDING = /input is too long|too many input tokens|prompt is too long|exceeds? the (?:model's )?(?:maximum )?context/i;

export function parseBedrockError(input: UpstreamErrorInput): GatewayErrorShape {
  const { name, message } = readError(input);
  const said = `Bedrock answered ${input.status}${name ? ` ${name}` : ''}: ${message !== undefined ? snippet(message, 500) : describeRaw(input.body)}`;
  const cls = classifyStatus(STATUS_BY_NAME.get(name ?? '') ?? input.status, EXCEPTIONS);
  if (cls.status === 400) {
    const code = message !== undefined && CONTEXT_WORDING.test(message) ? CONTEXT_LENGTH_EXCEEDED : cls.code;
    return { ...cls, code, message: said };
  }
  if (cls.code === 'upstream_auth_failed') {
    return { ...cls, message: `${said} (the gateway's AWS credentials or Bedrock API key were refused; this is not the client's key)` };
  }
  if (cls.status === 429 || cls.status === 503) {
    const retryAfter = retryAfterSeconds(input.headers);
    return { ...cls, message: said, ...(retryAfter !== undefined && { retryAfter }) };
  }
  return { ...cls, message: said };
}

function readError(input: UpstreamErrorInput): { name?: string; message?: string } {
  let body: Record<string, unknown> = {};
  try {
    const json: unknown = JSON.parse(input.body);
    if (json !== null && typeof json === 'object') body = json as Record<string, unknown>;
  } catch {
    // not JSON: the name may still be in the header
  }
  const header = input.headers['x-amzn-errortype'];
  const rawName = (Array.isArray(header) ? header[0] : header) ?? (typeof body.__type === 'string' ? body.__type : undefined);
  // `ValidationException:http://…` or `com.amazon.coral.validate#ValidationException`.
  const name = rawName?.split(':')[0]?.split('#').pop() || undefined;
  const msg = body.message ?? body.Message;
  return { ...(name && { name }), ...(typeof msg === 'string' && { message: msg }) };
}

function describeRaw(body: string): string {
  return body.trim() === '' ? '(empty body)' : `unreadable error body ${snippet(body)}`;
}
