/**
 * Where and how to reach Cohere. `cfg.baseUrl` means what it means in Cohere's SDK
 * (`environment`/`baseUrl`, default `https://api.cohere.com`): the versioned paths are appended
 * here. Auth is a bearer key, as the SDK sends it.
 */
import type { Operation, ProviderConfig } from '../adapter.js';

export const COHERE_DEFAULT_BASE_URL = 'https://api.cohere.com';

const PATHS: Record<Operation, string | undefined> = {
  chat: '/v2/chat',
  embeddings: '/v2/embed',
  // Cohere's /v1/generate is not OpenAI's /v1/completions; Cohere has no Responses API.
  completions: undefined,
  responses: undefined,
  images: undefined,
};

/** Base URL without a trailing slash, plus the auth and content headers (configured headers last: an operator means them). */
export function cohereBase(cfg: ProviderConfig): { base: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
  return { base: (cfg.baseUrl || COHERE_DEFAULT_BASE_URL).replace(/\/+$/, ''), headers: { ...headers, ...cfg.headers } };
}

export function cohereEndpoint(cfg: ProviderConfig, op: Operation, _model: string, stream: boolean): { url: string; headers: Record<string, string> } {
  const path = PATHS[op];
  if (path === undefined) throw new Error(`the Cohere adapter does not support the "${op}" operation`);
  const { base, headers } = cohereBase(cfg);
  return { url: `${base}${path}`, headers: { accept: stream ? 'text/event-stream' : 'application/json', ...headers } };
}
