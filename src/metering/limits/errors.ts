import { GatewayError } from '../../engine/errors.js';

/**
 * A 429 that names the limit (docs/contract.md §4) and carries the rate-limit headers for the response
 * (engine/chat.ts adds `headers` of any thrown error that has them).
 */
export class LimitError extends GatewayError {
  constructor(
    message: string,
    quota: boolean,
    retryAfterS: number,
    readonly headers: Record<string, string>,
    /** Waiting a few seconds cannot cure it (a spent budget or token quota, a request larger than the limit). */
    noRetry = quota,
  ) {
    super({
      status: 429,
      type: quota ? 'insufficient_quota' : 'rate_limit_error',
      code: quota ? 'insufficient_quota' : 'rate_limit_exceeded',
      message,
      retryAfter: retryAfterS,
      ...(noRetry && { noRetry }),
    });
    this.name = 'LimitError';
  }
}
