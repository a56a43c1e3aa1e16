/**
 * Errors on the Anthropic Messages surface (`POST /v1/messages`): the 400 the request parser
 * throws, and the rendering of any gateway error in Anthropic's envelope
 * `{"type":"error","error":{"type","message"}}` (docs/wire-facts.md §2, fixture
 * `__fixtures__/anthropic-error-not-found.docs.json`).
 */
import type { GatewayErrorShape } from '../../../providers/types.js';

/**
 * A client request the gateway refuses before any upstream is contacted. `param` is the failing
 * field as a dotted path in Anthropic's own style (`messages.1.content.0.source.media_type`),
 * and the message starts with it so a client reading only `error.message` sees it too.
 */
export class InvalidRequest extends Error {
  readonly status = 400;
  readonly param: string;

  constructor(param: string, reason: string) {
    super(`${param}: ${reason}`);
    this.name = 'InvalidRequest';
    this.param = param;
  }

  /** The neutral error shape, so the engine can meter/log it like any other failure. */
  toGatewayError(): GatewayErrorShape {
    return { status: 400, type: 'invalid_request_error', code: null, message: this.message, param: this.param };
  }
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

/**
 * Error types only Anthropic uses (docs/wire-facts.md §2 and its [I] extras). A gateway error already
 * carrying one (an Anthropic upstream's error relayed as is) keeps it; the types both dialects
 * share (`invalid_request_error`, `api_error`…) are not trusted, because OpenAI uses
 * `invalid_request_error` for a 404 model_not_found where Anthropic says `not_found_error`.
 */
const ANTHROPIC_ONLY_TYPES = new Set(['billing_error', 'conflict_error', 'not_found_error', 'request_too_large', 'timeout_error', 'overloaded_error']);

/**
 * Anthropic error type for an HTTP status (docs/wire-facts.md §2). The gateway's own upstream-failure
 * statuses have no exact Anthropic twin, so:
 * - 502 (bad upstream answer) → `api_error`, Anthropic's generic server-side type;
 * - 503 (no upstream can serve now) → `overloaded_error`, the type Anthropic uses for
 *   "temporarily unable to serve, retry with backoff" (its 529); the SDKs retry both;
 * - 504 (upstream timed out) → `timeout_error`, which Anthropic itself sends with 504 [I].
 * Any other 4xx → `invalid_request_error` and any other 5xx → `api_error`, as Anthropic does.
 */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 409:
      return 'conflict_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/**
 * Renders a gateway error in Anthropic's envelope. The HTTP status is kept as the gateway
 * decided it; the error type follows the status, unless the error already carries an Anthropic
 * type (e.g. an Anthropic upstream's `overloaded_error` relayed as is), which is more precise.
 * `message` is passed through: producing it without secrets is the job of whoever built it.
 */
export function toAnthropicError(err: GatewayErrorShape, requestId?: string): { status: number; body: AnthropicErrorBody } {
  const type = ANTHROPIC_ONLY_TYPES.has(err.type) ? err.type : anthropicErrorType(err.status);
  const body: AnthropicErrorBody = { type: 'error', error: { type, message: err.message } };
  if (requestId !== undefined) body.request_id = requestId;
  return { status: err.status, body };
}
