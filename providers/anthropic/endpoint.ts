/**
 * Where an Anthropic request goes and how it authenticates.
 * https://docs.anthropic.com/en/api/messages — `POST {base}/v1/messages`, `x-api-key`, and the
 * required `anthropic-version` header (docs/wire-facts.md §2; seen in the recorded exchange fixture).
 */
import type { Operation, ProviderConfig } from '../adapter.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export function anthropicEndpoint(
  cfg: ProviderConfig,
  op: Operation,
): { url: string; headers: Record<string, string> } {
  // Anthropic has no embeddings or legacy completions endpoint; the adapter declares no
  // `embeddings`, so reaching here with another operation is an engine bug worth a loud error.
  if (op !== 'chat') throw new Error(`Anthropic has no '${op}' endpoint; only chat (/v1/messages) is supported`);
  const headers: Record<string, string> = {
    'anthropic-version': ANTHROPIC_VERSION,
    'content-type': 'application/json',
  };
  if (cfg.apiKey) headers['x-api-key'] = cfg.apiKey;
  // Configured headers last, so an operator can add `anthropic-beta` or pin another version.
  return { url: `${cfg.baseUrl.replace(/\/+$/, '')}/v1/messages`, headers: { ...headers, ...cfg.headers } };
}
