/**
 * The Anthropic adapter (wire dialect `anthropic`, Messages API). Each concern lives in its own
 * file beside this one; this file only assembles them into the ProviderAdapter contract.
 */
import type { ProviderAdapter } from '../adapter.js';
import { anthropicCountTokens } from './count-tokens.js';
import { anthropicEndpoint } from './endpoint.js';
import { parseAnthropicError } from './errors.js';
import { anthropicUsageFromBody, sniffAnthropicStreamUsage } from './passthrough-usage.js';
import { convertToAnthropicRequest } from './request.js';
import { withPassedFields } from '../passed-fields.js';
import { parseAnthropicResponse } from './response.js';
import { anthropicStreamMapper } from './stream.js';

export const anthropicAdapter: ProviderAdapter = {
  dialect: 'anthropic',
  passThrough: ['anthropic-messages'],
  endpoint: (cfg, op) => anthropicEndpoint(cfg, op),
  chat: {
    buildRequest(request, cfg) {
      const { url, headers } = anthropicEndpoint(cfg, 'chat');
      return { method: 'POST', url, headers, body: JSON.stringify(withPassedFields(convertToAnthropicRequest(request, cfg), request.passedFields)) };
    },
    parseResponse: parseAnthropicResponse,
    stream: anthropicStreamMapper,
  },
  countTokens: anthropicCountTokens,
  parseError: parseAnthropicError,
  usageFromBody: anthropicUsageFromBody,
  sniffStreamUsage: sniffAnthropicStreamUsage,
};

export { convertToAnthropicRequest } from './request.js';
export { parseAnthropicResponse } from './response.js';
export { mapAnthropicStopReason } from './finish-reason.js';
export { convertAnthropicUsage } from './usage.js';
export { parseAnthropicError } from './errors.js';
export { anthropicStreamMapper, type AnthropicStreamState } from './stream.js';
