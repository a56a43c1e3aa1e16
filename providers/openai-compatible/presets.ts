/**
 * OpenAI-compatible hosts: data, not code. Each preset is the base URL in the sense
 * of the official OpenAI SDK's `baseURL` (the gateway appends `/chat/completions`,
 * `/embeddings`, `/completions`), the auth scheme, and the env var that holds the key.
 * A configured `base_url` always wins over the preset's.
 *
 * Base URLs from each host's public "OpenAI compatibility" docs (checked 2026-11).
 * `${VAR}` placeholders are interpolated from the environment like any config string, for hosts
 * whose URL names the account (Cloudflare, Azure).
 */

export type AuthScheme =
  /** `Authorization: Bearer <key>` (OpenAI and nearly everyone). */
  | 'bearer'
  /** `api-key: <key>` (Azure OpenAI). */
  | 'api-key'
  /** No auth header (local servers). */
  | 'none';

export interface OpenAICompatiblePreset {
  baseUrl: string;
  auth: AuthScheme;
  /** Environment variable read for the key when no `api_key` is configured. */
  envKey?: string;
  /** Environment variable that, when set, also configures the base URL (local servers). */
  envBaseUrl?: string;
  /** Azure-style: the model name is a deployment in the path, and `api-version` a query param. */
  deploymentInPath?: boolean;
  defaultApiVersion?: string;
  /** Catalog provider whose prices apply (defaults to the preset name). */
  catalogProvider?: string;
  /** Does the host support `stream_options.include_usage`? (it is asked for unless false) */
  streamUsage?: boolean;
  /** The host's rerank endpoint relative to `baseUrl`, and its body format (`POST /v1/rerank`); absent: it does not rerank. */
  rerank?: { path: string; format: 'cohere' | 'voyage' };
}

export const openAICompatiblePresets = {
  openai: { baseUrl: 'https://api.openai.com/v1', auth: 'bearer', envKey: 'OPENAI_API_KEY', envBaseUrl: 'OPENAI_BASE_URL' },
  azure: {
    // e.g. https://my-resource.openai.azure.com/openai — the deployment goes in the path.
    baseUrl: 'https://${AZURE_OPENAI_RESOURCE}.openai.azure.com/openai',
    auth: 'api-key',
    envKey: 'AZURE_OPENAI_API_KEY',
    deploymentInPath: true,
    defaultApiVersion: '2024-10-21',
  },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', auth: 'bearer', envKey: 'GROQ_API_KEY' },
  together: { baseUrl: 'https://api.together.xyz/v1', auth: 'bearer', envKey: 'TOGETHER_API_KEY' },
  fireworks: { baseUrl: 'https://api.fireworks.ai/inference/v1', auth: 'bearer', envKey: 'FIREWORKS_API_KEY' },
  deepseek: { baseUrl: 'https://api.deepseek.com/v1', auth: 'bearer', envKey: 'DEEPSEEK_API_KEY' },
  xai: { baseUrl: 'https://api.x.ai/v1', auth: 'bearer', envKey: 'XAI_API_KEY' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', auth: 'bearer', envKey: 'OPENROUTER_API_KEY' },
  perplexity: { baseUrl: 'https://api.perplexity.ai', auth: 'bearer', envKey: 'PERPLEXITY_API_KEY' },
  cerebras: { baseUrl: 'https://api.cerebras.ai/v1', auth: 'bearer', envKey: 'CEREBRAS_API_KEY' },
  deepinfra: { baseUrl: 'https://api.deepinfra.com/v1/openai', auth: 'bearer', envKey: 'DEEPINFRA_API_KEY' },
  nvidia: { baseUrl: 'https://integrate.api.nvidia.com/v1', auth: 'bearer', envKey: 'NVIDIA_API_KEY' },
  sambanova: { baseUrl: 'https://api.sambanova.ai/v1', auth: 'bearer', envKey: 'SAMBANOVA_API_KEY' },
  hyperbolic: { baseUrl: 'https://api.hyperbolic.xyz/v1', auth: 'bearer', envKey: 'HYPERBOLIC_API_KEY' },
  novita: { baseUrl: 'https://api.novita.ai/openai/v1', auth: 'bearer', envKey: 'NOVITA_API_KEY' },
  moonshot: { baseUrl: 'https://api.moonshot.ai/v1', auth: 'bearer', envKey: 'MOONSHOT_API_KEY' },
  dashscope: { baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', auth: 'bearer', envKey: 'DASHSCOPE_API_KEY' },
  zhipu: { baseUrl: 'https://open.bigmodel.cn/api/paas/v4', auth: 'bearer', envKey: 'ZHIPUAI_API_KEY' },
  siliconflow: { baseUrl: 'https://api.siliconflow.cn/v1', auth: 'bearer', envKey: 'SILICONFLOW_API_KEY' },
  nebius: { baseUrl: 'https://api.studio.nebius.com/v1', auth: 'bearer', envKey: 'NEBIUS_API_KEY' },
  lambda: { baseUrl: 'https://api.lambda.ai/v1', auth: 'bearer', envKey: 'LAMBDA_API_KEY' },
  github: { baseUrl: 'https://models.github.ai/inference', auth: 'bearer', envKey: 'GITHUB_TOKEN' },
  huggingface: { baseUrl: 'https://router.huggingface.co/v1', auth: 'bearer', envKey: 'HF_TOKEN' },
  cloudflare: {
    baseUrl: 'https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1',
    auth: 'bearer',
    envKey: 'CLOUDFLARE_API_TOKEN',
  },
  ollama: { baseUrl: 'http://127.0.0.1:11434/v1', auth: 'none', envBaseUrl: 'OLLAMA_BASE_URL' },
  vllm: { baseUrl: 'http://127.0.0.1:8000/v1', auth: 'bearer', envKey: 'VLLM_API_KEY', envBaseUrl: 'VLLM_BASE_URL' },
  lmstudio: { baseUrl: 'http://127.0.0.1:1234/v1', auth: 'none', envBaseUrl: 'LMSTUDIO_BASE_URL' },
  featherless: { baseUrl: 'https://api.featherless.ai/v1', auth: 'bearer', envKey: 'FEATHERLESS_API_KEY' },
  baseten: { baseUrl: 'https://inference.baseten.co/v1', auth: 'bearer', envKey: 'BASETEN_API_KEY' },
  minimax: { baseUrl: 'https://api.minimax.io/v1', auth: 'bearer', envKey: 'MINIMAX_API_KEY' },
  // Embeddings at /v1/embeddings (OpenAI's body); rerank at /v1/rerank in Cohere's body (Jina) or with top_k (Voyage).
  jina: { baseUrl: 'https://api.jina.ai/v1', auth: 'bearer', envKey: 'JINA_API_KEY', rerank: { path: '/rerank', format: 'cohere' } },
  voyage: { baseUrl: 'https://api.voyageai.com/v1', auth: 'bearer', envKey: 'VOYAGE_API_KEY', rerank: { path: '/rerank', format: 'voyage' } },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type PresetName = keyof typeof openAICompatiblePresets;

export function getPreset(name: string): OpenAICompatiblePreset | undefined {
  return (openAICompatiblePresets as Record<string, OpenAICompatiblePreset>)[name];
}
