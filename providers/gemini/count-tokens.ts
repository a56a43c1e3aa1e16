/**
 * Gemini's token counter: `POST …/models/{model}:countTokens` with the whole request as
 * `generateContentRequest` (so the system instruction and tools count too), answered
 * `{"totalTokens": N, …}` (https://ai.google.dev/api/tokens#method:-models.counttokens).
 */
import type { ProviderAdapter } from '../adapter.js';
import { geminiEndpoint, geminiModelPath } from './endpoint.js';
import { convertToGeminiRequest } from './request.js';

const GENERATE = ':generateContent';

export const geminiCountTokens: NonNullable<ProviderAdapter['countTokens']> = {
  endpoint(cfg, model) {
    const { url, headers } = geminiEndpoint(cfg, 'chat', model, false);
    return { url: `${url.slice(0, -GENERATE.length)}:countTokens`, headers };
  },
  buildBody(request, cfg) {
    // Sampling settings do not change the prompt's size.
    const { generationConfig: _settings, ...prompt } = convertToGeminiRequest(request, cfg);
    return JSON.stringify({ generateContentRequest: { model: `models/${geminiModelPath(request.model)}`, ...prompt } });
  },
  parseResponse(body) {
    const n = (body as { totalTokens?: unknown } | null)?.totalTokens;
    // proto3 JSON omits a zero
    if (n === undefined && body !== null && typeof body === 'object') return 0;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('a countTokens answer without a whole totalTokens');
    return n;
  },
};
