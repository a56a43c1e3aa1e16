import type { GatewayErrorShape } from '../../providers/types.js';

/** An error the client sees, in whichever envelope its surface speaks (OpenAI's or Anthropic's). */
export class GatewayError extends Error {
  /** Upstream calls made before this error (set by dispatch), for the usage record. */
  attempts?: number;
  constructor(readonly shape: GatewayErrorShape) {
    super(shape.message);
    this.name = 'GatewayError';
  }
  get status(): number {
    return this.shape.status;
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new GatewayError({ status: 400, type: 'invalid_request_error', code, message, param });

export const unauthorized = (message: string) =>
  new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_api_key', message });

export const forbidden = (message: string) => new GatewayError({ status: 403, type: 'permission_error', code: null, message });

export const modelNotFound = (message: string) =>
  new GatewayError({ status: 404, type: 'invalid_request_error', code: 'model_not_found', message, param: 'model' });

export const notFound = (message: string) => new GatewayError({ status: 404, type: 'invalid_request_error', code: 'not_found', message });

export const upstreamError = (status: 502 | 503 | 504, code: string, message: string) =>
  new GatewayError({ status, type: 'api_error', code, message });

/**
 * The retry headers of an error response: `retry-after` (seconds, honest — a budget that resets
 * in ten hours says so), and `x-should-retry: false` when waiting a few seconds cannot cure it;
 * the openai and Anthropic SDKs obey that header before any `retry-after`, so they fail at once
 * instead of sleeping and retrying.
 */
export function retryHeaders(e: GatewayErrorShape): Record<string, string> {
  const out: Record<string, string> = {};
  if (e.retryAfter !== undefined) out['retry-after'] = String(Math.ceil(e.retryAfter));
  if (e.noRetry) out['x-should-retry'] = 'false';
  return out;
}

/** OpenAI's envelope: `{"error": {"message", "type", "param", "code"}}` — all four keys, always. */
export function openAIErrorBody(e: GatewayErrorShape): { error: { message: string; type: string; param: string | null; code: string | null } } {
  return { error: { message: e.message, type: e.type, param: e.param ?? null, code: e.code } };
}

/** The one secret redactor lives with the provider kit; the engine scrubs with it too. */
export { redactSecrets, withoutValues } from '../../providers/kit/redact.js';
