/**
 * LiteLLM `litellm_provider` → the tollgate provider the catalog build (./build.ts) files its
 * prices under, the key prefixes it uses, and whether it is the provider's main name. The
 * tollgate name is a provider type's catalog name or a host preset's (providers/registry.ts
 * `catalogNames`), so a configured provider finds its prices. `rerank`: the gateway can rerank
 * there (`POST /v1/rerank`), so its rerank models are kept. `github_copilot` is not GitHub
 * Models (a subscription with no token prices): not mapped.
 */
export const LITELLM_PROVIDERS: Readonly<Record<string, { provider: string; prefixes: string[]; main: boolean; rerank?: true }>> = {
  openai: { provider: 'openai', prefixes: ['openai/'], main: true },
  'text-completion-openai': { provider: 'openai', prefixes: ['openai/', 'text-completion-openai/'], main: false },
  anthropic: { provider: 'anthropic', prefixes: ['anthropic/'], main: true },
  gemini: { provider: 'gemini', prefixes: ['gemini/'], main: true },
  mistral: { provider: 'mistral', prefixes: ['mistral/'], main: true },
  cohere_chat: { provider: 'cohere', prefixes: ['cohere_chat/', 'cohere/'], main: true },
  cohere: { provider: 'cohere', prefixes: ['cohere/'], main: false, rerank: true },
  groq: { provider: 'groq', prefixes: ['groq/'], main: true },
  together_ai: { provider: 'together', prefixes: ['together_ai/'], main: true },
  fireworks_ai: { provider: 'fireworks', prefixes: ['fireworks_ai/'], main: true },
  'fireworks_ai-embedding-models': { provider: 'fireworks', prefixes: ['fireworks_ai/'], main: false },
  deepseek: { provider: 'deepseek', prefixes: ['deepseek/'], main: true },
  xai: { provider: 'xai', prefixes: ['xai/'], main: true },
  openrouter: { provider: 'openrouter', prefixes: ['openrouter/'], main: true },
  perplexity: { provider: 'perplexity', prefixes: ['perplexity/'], main: true },
  cerebras: { provider: 'cerebras', prefixes: ['cerebras/'], main: true },
  deepinfra: { provider: 'deepinfra', prefixes: ['deepinfra/'], main: true },
  azure: { provider: 'azure', prefixes: ['azure/'], main: true },
  azure_text: { provider: 'azure', prefixes: ['azure_text/', 'azure/'], main: false },
  ollama: { provider: 'ollama', prefixes: ['ollama/'], main: true },
  nvidia_nim: { provider: 'nvidia', prefixes: ['nvidia_nim/'], main: true },
  sambanova: { provider: 'sambanova', prefixes: ['sambanova/'], main: true },
  hyperbolic: { provider: 'hyperbolic', prefixes: ['hyperbolic/'], main: true },
  novita: { provider: 'novita', prefixes: ['novita/'], main: true },
  moonshot: { provider: 'moonshot', prefixes: ['moonshot/'], main: true },
  dashscope: { provider: 'dashscope', prefixes: ['dashscope/'], main: true },
  zai: { provider: 'zhipu', prefixes: ['zai/'], main: true },
  zhipu: { provider: 'zhipu', prefixes: ['zhipu/'], main: true },
  nebius: { provider: 'nebius', prefixes: ['nebius/'], main: true },
  lambda_ai: { provider: 'lambda', prefixes: ['lambda_ai/'], main: true },
  github: { provider: 'github', prefixes: ['github/'], main: true },
  huggingface: { provider: 'huggingface', prefixes: ['huggingface/'], main: true },
  cloudflare: { provider: 'cloudflare', prefixes: ['cloudflare/'], main: true },
  vllm: { provider: 'vllm', prefixes: ['vllm/', 'hosted_vllm/'], main: true },
  hosted_vllm: { provider: 'vllm', prefixes: ['hosted_vllm/'], main: true },
  lm_studio: { provider: 'lmstudio', prefixes: ['lm_studio/'], main: true },
  jina_ai: { provider: 'jina', prefixes: ['jina_ai/'], main: true, rerank: true },
  voyage: { provider: 'voyage', prefixes: ['voyage/'], main: true, rerank: true },
};
