import type { Operation, ProviderConfig } from '../adapter.js';
import { modelPathSegment } from '../model-path-segment.js';
import type { AuthScheme } from '../openai-compatible/presets.js';

const PATHS: Record<Operation, string> = {
  chat: '/chat/completions',
  embeddings: '/embeddings',
  completions: '/completions',
  responses: '/responses',
  images: '/images/generations',
};

/**
 * URL and auth headers for an OpenAI-format host. `cfg.options` carries the preset's data:
 * `auth` (bearer | api-key | none | header:<name>), `api_version`, and for Azure `deployment_in_path` + `api_version`
 * (https://learn.microsoft.com/azure/ai-services/openai/reference: the deployment name is in
 * the path, `api-version` in the query, the key in an `api-key` header).
 */
export function openAIEndpoint(cfg: ProviderConfig, op: Operation, model: string): { url: string; headers: Record<string, string> } {
  const o = cfg.options;
  let url = o.deployment_in_path
    ? `${cfg.baseUrl}/deployments/${modelPathSegment(model)}${PATHS[op]}`
    : cfg.baseUrl + PATHS[op];
  if (typeof o.api_version === 'string') url += `?api-version=${encodeURIComponent(o.api_version)}`;
  return { url, headers: openAIHeaders(cfg) };
}

/** Content type, the configured headers, and the key in the preset's auth scheme. */
export function openAIHeaders(cfg: ProviderConfig): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...cfg.headers };
  const auth = (cfg.options.auth as AuthScheme | undefined) ?? 'bearer';
  if (cfg.apiKey) {
    if (auth === 'bearer') headers.authorization = `Bearer ${cfg.apiKey}`;
    else if (auth === 'api-key') headers['api-key'] = cfg.apiKey;
    else if (auth.startsWith('header:')) headers[auth.slice(7)] = cfg.apiKey;
  }
  return headers;
}
