/**
 * Where and how to reach La Plateforme. `cfg.baseUrl` means what it means in Mistral's SDK
 * (`serverURL`, default `https://api.mistral.ai`, docs/contract.md §2): the path `/v1/...` is appended here.
 */
import type { Operation, ProviderConfig } from '../adapter.js';

export const MISTRAL_DEFAULT_BASE_URL = 'https://api.mistral.ai';

const PATHS: Record<Operation, string | undefined> = {
  chat: '/v1/chat/completions',
  embeddings: '/v1/embeddings',
  // Mistral's FIM endpoint (`/v1/fim/completions`) is not OpenAI's /v1/completions: not offered.
  completions: undefined,
  responses: undefined,
  images: undefined,
};

export function mistralEndpoint(
  cfg: ProviderConfig,
  op: Operation,
  _model: string,
  _stream: boolean,
): { url: string; headers: Record<string, string> } {
  const path = PATHS[op];
  if (path === undefined) throw new Error(`the Mistral adapter does not support the "${op}" operation`);
  const base = (cfg.baseUrl || MISTRAL_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // Bearer auth [docs/wire-facts.md §4]. Without a key we send none: a keyless mock/proxy may accept it.
  if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
  // Configured headers last: an operator who sets them (a proxy's own auth, say) means them.
  return { url: `${base}${path}`, headers: { ...headers, ...cfg.headers } };
}
