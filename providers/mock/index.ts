import type { ProviderAdapter } from '../adapter.js';
import { openAIAdapter } from '../openai/index.js';
import { mockTransport } from './transport.js';

/**
 * The built-in `mock` provider: for demos, smoke tests and benchmarks, never for production.
 * It speaks OpenAI's wire format from inside the process (no socket), so a newcomer with no
 * keys and no network can try the gateway: `model: "mock/echo"` answers with the last user
 * message; `mock/lorem` with filler text. Options (provider config): `latency_ms` (before the
 * first byte), `chunks` (stream chunk count for lorem), `chunk_delay_ms`.
 */
export const mockAdapter: ProviderAdapter = {
  ...openAIAdapter,
  // The in-process transport answers chat, completions, embeddings and images only: a Responses call is
  // translated to chat like any non-OpenAI provider's.
  passThrough: (openAIAdapter.passThrough ?? []).filter((w) => w !== 'openai-responses'),
  endpoint: (_cfg, op) => ({ url: `mock://local/${op}`, headers: { 'content-type': 'application/json' } }),
  chat: {
    ...openAIAdapter.chat,
    buildRequest(req, cfg) {
      const upstream = openAIAdapter.chat.buildRequest(req, cfg);
      return { ...upstream, url: 'mock://local/chat' };
    },
  },
  embeddings: {
    ...openAIAdapter.embeddings!,
    buildRequest(req, cfg) {
      return { ...openAIAdapter.embeddings!.buildRequest(req, cfg), url: 'mock://local/embeddings' };
    },
  },
  localTransport: mockTransport,
  staticModels: ['echo', 'lorem'],
};
