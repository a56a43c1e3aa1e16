/**
 * Anthropic's token counter: `POST {base}/v1/messages/count_tokens`, the Messages body without
 * `max_tokens`, answered `{"input_tokens": N}` (https://docs.anthropic.com/en/api/messages-count-tokens).
 * Only the pass-through uses it (an Anthropic client's own body), so there is no translated body.
 */
import type { ProviderAdapter } from '../adapter.js';
import { anthropicEndpoint } from './endpoint.js';

export const anthropicCountTokens: NonNullable<ProviderAdapter['countTokens']> = {
  endpoint(cfg) {
    const { url, headers } = anthropicEndpoint(cfg, 'chat');
    return { url: `${url}/count_tokens`, headers };
  },
  parseResponse(body) {
    const n = (body as { input_tokens?: unknown } | null)?.input_tokens;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('a count_tokens answer without a whole input_tokens');
    return n;
  },
};
