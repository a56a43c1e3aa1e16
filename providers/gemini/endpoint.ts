/**
 * URLs and auth headers for the Generative Language API.
 * The key goes in the `x-goog-api-key` header, never in a `?key=` query: URLs end up in access
 * logs, proxies and error messages, headers do not (docs/wire-facts.md §3: both forms are accepted).
 */
import type { Operation, ProviderConfig } from '../adapter.js';
import { modelPathSegment } from '../model-path-segment.js';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/** `gemini-2.5-flash` and `models/gemini-2.5-flash` both name the same model. */
export function geminiModelPath(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}

export function geminiEndpoint(
  cfg: ProviderConfig,
  op: Operation,
  model: string,
  stream: boolean,
): { url: string; headers: Record<string, string> } {
  const base = (cfg.baseUrl || GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  // `options.apiVersion` lets an operator pin `v1`; v1beta is where thinking, JSON-schema
  // parameters and responseJsonSchema live, so it is the default.
  const version = typeof cfg.options.apiVersion === 'string' ? cfg.options.apiVersion : 'v1beta';
  const prefix = `${base}/${version}/models/${modelPathSegment(geminiModelPath(model))}`;
  let url: string;
  if (op === 'chat') url = stream ? `${prefix}:streamGenerateContent?alt=sse` : `${prefix}:generateContent`;
  else if (op === 'embeddings') url = `${prefix}:batchEmbedContents`;
  else throw new Error(`Gemini has no '${op}' operation (only chat and embeddings)`);

  const headers: Record<string, string> = { ...cfg.headers, 'content-type': 'application/json' };
  if (cfg.apiKey) headers['x-goog-api-key'] = cfg.apiKey;
  return { url, headers };
}
