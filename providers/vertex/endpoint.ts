/**
 * Where a Vertex AI request goes. The host is regional, `https://{location}-aiplatform.googleapis.com`,
 * except the `global` location: `https://aiplatform.googleapis.com` (a configured `base_url` — a
 * Private Service Connect endpoint, a proxy, a mock — is taken as is). A model lives under its
 * publisher: `/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}`,
 * Gemini models under `google` (`:generateContent`, `:streamGenerateContent?alt=sse`), Claude
 * models under `anthropic` (`:rawPredict`, `:streamRawPredict`). The bearer token is added per
 * attempt by the adapter's `credential` hook (./token.ts).
 */
import type { Operation, ProviderConfig } from '../adapter.js';
import { modelPathSegment } from '../model-path-segment.js';

export const VERTEX_DEFAULT_BASE_URL = 'https://{location}-aiplatform.googleapis.com';
export const VERTEX_GLOBAL_BASE_URL = 'https://aiplatform.googleapis.com';

export type Publisher = 'google' | 'anthropic';

/** Claude models (`claude-sonnet-4-5@20250929`) are Anthropic's on Vertex; every other model is Google's. */
export function publisherOf(model: string): Publisher {
  return model.startsWith('claude') ? 'anthropic' : 'google';
}

/** As Anthropic's Vertex SDK sends it: the `@` of a dated version is a legal path character, left unencoded. */
const modelSegment = (model: string): string => modelPathSegment(model).replace(/%40/g, '@');

export function vertexBaseUrl(cfg: ProviderConfig): string {
  const location = String(cfg.options.location);
  const base = cfg.baseUrl || VERTEX_DEFAULT_BASE_URL;
  if (!base.includes('{location}')) return base.replace(/\/+$/, '');
  return location === 'global' ? VERTEX_GLOBAL_BASE_URL : base.replace('{location}', location);
}

export function vertexEndpoint(cfg: ProviderConfig, op: Operation, model: string, stream: boolean): { url: string; headers: Record<string, string> } {
  if (op !== 'chat') throw new Error(`the Vertex adapter does not support the "${op}" operation`);
  const publisher = publisherOf(model);
  const method = publisher === 'anthropic' ? (stream ? 'streamRawPredict' : 'rawPredict') : stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  const { project, location } = cfg.options as { project: string; location: string };
  const url = `${vertexBaseUrl(cfg)}/v1/projects/${project}/locations/${location}/publishers/${publisher}/models/${modelSegment(model)}:${method}`;
  return { url, headers: { ...cfg.headers, 'content-type': 'application/json' } };
}
