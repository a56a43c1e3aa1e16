/**
 * Where Bedrock's runtime is: `https://bedrock-runtime.{region}.amazonaws.com`, the endpoint
 * AWS's SDK derives from the region (the registry's default base URL is that template; a
 * configured `base_url` — a VPC endpoint, a proxy, a mock — is taken as is). Converse lives at
 * `/model/{modelId}/converse` (`/converse-stream` for streams), embeddings at `/model/{modelId}/invoke`; the model id (`anthropic.claude-…-v1:0`,
 * an inference profile or ARN) is encoded as one path segment. Auth headers are not set here:
 * a Bedrock API key or a SigV4 signature is added by the adapter's `sign` step (./sign.ts).
 */
import type { Operation, ProviderConfig } from '../adapter.js';
import { modelPathSegment } from '../model-path-segment.js';
import { bedrockRegion } from './auth.js';

export const BEDROCK_DEFAULT_BASE_URL = 'https://bedrock-runtime.{region}.amazonaws.com';

export function bedrockBaseUrl(cfg: ProviderConfig, env: Readonly<Record<string, string | undefined>>): string {
  const base = cfg.baseUrl || BEDROCK_DEFAULT_BASE_URL;
  return base.includes('{region}') ? base.replace('{region}', bedrockRegion(cfg, env)) : base.replace(/\/+$/, '');
}

export function bedrockEndpoint(cfg: ProviderConfig, op: Operation, model: string, stream: boolean): { url: string; headers: Record<string, string> } {
  if (op !== 'chat' && op !== 'embeddings') throw new Error(`the Bedrock adapter does not support the "${op}" operation`);
  // Embeddings have no Converse API: InvokeModel with the model's own body (./embeddings.ts).
  const action = op === 'embeddings' ? 'invoke' : stream ? 'converse-stream' : 'converse';
  const url = `${bedrockBaseUrl(cfg, process.env)}/model/${modelPathSegment(model)}/${action}`;
  return { url, headers: { 'content-type': 'application/json', accept: stream ? 'application/vnd.amazon.eventstream' : 'application/json', ...cfg.headers } };
}
