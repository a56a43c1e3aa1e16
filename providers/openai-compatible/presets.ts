/**
 * OpenAI-compatible hosts: data, not code. Each preset is the base URL in the sense
 * of the official OpenAI SDK's `baseURL` (the gateway appends `/chat/completions`,
 * `/embeddings`, `/completions`), the auth scheme, and the env var that holds the key.
 * A configured `base_url` always wins over the preset's.
 *
 * Base URLs from each host's public "OpenAI compatibility" docs (checked 2026-11).
 * `${VAR}` placeholders are interpolated from the environment like any config string, for hosts
 * whose URL names the account (Cloudflare, Azure, Databricks, Snowflake, Heroku).
 */

export type AuthScheme =
  /** `Authorization: Bearer <key>` (OpenAI and nearly everyone). */
  | 'bearer'
  /** `api-key: <key>` (Azure OpenAI). */
  | 'api-key'
  /** No auth header (local servers). */
  | 'none'
  /** The key alone in the named header: `header:x-portkey-api-key` sends `x-portkey-api-key: <key>`. */
  | `header:${string}`;

export interface OpenAICompatiblePreset {
  baseUrl: string;
  auth: AuthScheme;
  /** Environment variable read for the key when no `api_key` is configured. */
  envKey?: string;
  /** Environment variable that, when set, also configures the base URL (local servers). */
  envBaseUrl?: string;
  /** Azure-style: the model name is a deployment in the path, and `api-version` a query param. */
  deploymentInPath?: boolean;
  /** `api-version` query parameter sent unless the entry sets `api_version` (Azure OpenAI, Azure AI Foundry). */
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
  // Azure AI Foundry's model inference endpoint: one URL for every deployment (the model goes in
  // the body), `api-key` header, `api-version` in the query.
  azure_ai: {
    baseUrl: 'https://${AZURE_AI_RESOURCE}.services.ai.azure.com/models',
    auth: 'api-key',
    envKey: 'AZURE_AI_API_KEY',
    defaultApiVersion: '2024-05-01-preview',
  },
  ai21: { baseUrl: 'https://api.ai21.com/studio/v1', auth: 'bearer', envKey: 'AI21_API_KEY' },
  upstage: { baseUrl: 'https://api.upstage.ai/v1', auth: 'bearer', envKey: 'UPSTAGE_API_KEY' },
  friendli: { baseUrl: 'https://api.friendli.ai/serverless/v1', auth: 'bearer', envKey: 'FRIENDLI_TOKEN' },
  ovhcloud: { baseUrl: 'https://oai.endpoints.kepler.ai.cloud.ovh.net/v1', auth: 'bearer', envKey: 'OVH_AI_ENDPOINTS_ACCESS_TOKEN' },
  scaleway: { baseUrl: 'https://api.scaleway.ai/v1', auth: 'bearer', envKey: 'SCW_SECRET_KEY' },
  nscale: { baseUrl: 'https://inference.api.nscale.com/v1', auth: 'bearer', envKey: 'NSCALE_API_KEY' },
  vercel: { baseUrl: 'https://ai-gateway.vercel.sh/v1', auth: 'bearer', envKey: 'AI_GATEWAY_API_KEY' },
  // A LiteLLM proxy you run (its default port); the variables are the ones LiteLLM's own client reads.
  litellm: { baseUrl: 'http://127.0.0.1:4000/v1', auth: 'bearer', envKey: 'LITELLM_PROXY_API_KEY', envBaseUrl: 'LITELLM_PROXY_API_BASE' },
  // Portkey's gateway: its own key header; the target (`x-portkey-provider`, a virtual key) goes in `headers`.
  portkey: { baseUrl: 'https://api.portkey.ai/v1', auth: 'header:x-portkey-api-key', envKey: 'PORTKEY_API_KEY' },
  requesty: { baseUrl: 'https://router.requesty.ai/v1', auth: 'bearer', envKey: 'REQUESTY_API_KEY' },
  aihubmix: { baseUrl: 'https://aihubmix.com/v1', auth: 'bearer', envKey: 'AIHUBMIX_API_KEY' },
  aiml: { baseUrl: 'https://api.aimlapi.com/v1', auth: 'bearer', envKey: 'AIML_API_KEY' },
  zai: { baseUrl: 'https://api.z.ai/api/paas/v4', auth: 'bearer', envKey: 'ZAI_API_KEY', catalogProvider: 'zhipu' },
  volcengine: { baseUrl: 'https://ark.cn-beijing.volces.com/api/v3', auth: 'bearer', envKey: 'ARK_API_KEY' },
  qianfan: { baseUrl: 'https://qianfan.baidubce.com/v2', auth: 'bearer', envKey: 'QIANFAN_API_KEY' },
  hunyuan: { baseUrl: 'https://api.hunyuan.cloud.tencent.com/v1', auth: 'bearer', envKey: 'HUNYUAN_API_KEY' },
  stepfun: { baseUrl: 'https://api.stepfun.com/v1', auth: 'bearer', envKey: 'STEPFUN_API_KEY' },
  codestral: { baseUrl: 'https://codestral.mistral.ai/v1', auth: 'bearer', envKey: 'CODESTRAL_API_KEY' },
  meta: { baseUrl: 'https://api.llama.com/compat/v1', auth: 'bearer', envKey: 'LLAMA_API_KEY' },
  inference_net: { baseUrl: 'https://api.inference.net/v1', auth: 'bearer', envKey: 'INFERENCE_API_KEY' },
  chutes: { baseUrl: 'https://llm.chutes.ai/v1', auth: 'bearer', envKey: 'CHUTES_API_KEY' },
  gmi: { baseUrl: 'https://api.gmi-serving.com/v1', auth: 'bearer', envKey: 'GMI_API_KEY' },
  wandb: { baseUrl: 'https://api.inference.wandb.ai/v1', auth: 'bearer', envKey: 'WANDB_API_KEY' },
  digitalocean: { baseUrl: 'https://inference.do-ai.run/v1', auth: 'bearer', envKey: 'GRADIENT_MODEL_ACCESS_KEY' },
  publicai: { baseUrl: 'https://api.publicai.co/v1', auth: 'bearer', envKey: 'PUBLICAI_API_KEY' },
  llamagate: { baseUrl: 'https://api.llamagate.dev/v1', auth: 'bearer', envKey: 'LLAMAGATE_API_KEY' },
  venice: { baseUrl: 'https://api.venice.ai/api/v1', auth: 'bearer', envKey: 'VENICE_API_KEY' },
  poe: { baseUrl: 'https://api.poe.com/v1', auth: 'bearer', envKey: 'POE_API_KEY' },
  v0: { baseUrl: 'https://api.v0.dev/v1', auth: 'bearer', envKey: 'V0_API_KEY' },
  morph: { baseUrl: 'https://api.morphllm.com/v1', auth: 'bearer', envKey: 'MORPH_API_KEY' },
  // Sarvam takes its key in `api-subscription-key`.
  sarvam: { baseUrl: 'https://api.sarvam.ai/v1', auth: 'header:api-subscription-key', envKey: 'SARVAM_API_KEY' },
  // Databricks model serving: `DATABRICKS_HOST` is the workspace URL (https://…), the key a personal access token.
  databricks: { baseUrl: '${DATABRICKS_HOST}/serving-endpoints', auth: 'bearer', envKey: 'DATABRICKS_TOKEN' },
  // Snowflake Cortex's Chat Completions API; the key is a programmatic access token (PAT).
  snowflake: { baseUrl: 'https://${SNOWFLAKE_ACCOUNT}.snowflakecomputing.com/api/v2/cortex/v1', auth: 'bearer', envKey: 'SNOWFLAKE_PAT' },
  // Heroku Managed Inference: the add-on sets INFERENCE_URL (https://us.inference.heroku.com) and INFERENCE_KEY.
  heroku: { baseUrl: '${INFERENCE_URL}/v1', auth: 'bearer', envKey: 'INFERENCE_KEY' },
  // Local servers at their default ports.
  llamacpp: { baseUrl: 'http://127.0.0.1:8080/v1', auth: 'none', envBaseUrl: 'LLAMACPP_BASE_URL' },
  sglang: { baseUrl: 'http://127.0.0.1:30000/v1', auth: 'none', envBaseUrl: 'SGLANG_BASE_URL' },
  xinference: { baseUrl: 'http://127.0.0.1:9997/v1', auth: 'none', envBaseUrl: 'XINFERENCE_BASE_URL' },
  docker: { baseUrl: 'http://127.0.0.1:12434/engines/v1', auth: 'none', envBaseUrl: 'DOCKER_MODEL_RUNNER_BASE_URL' },
  lemonade: { baseUrl: 'http://127.0.0.1:8000/api/v1', auth: 'none', envBaseUrl: 'LEMONADE_BASE_URL' },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type PresetName = keyof typeof openAICompatiblePresets;

export function getPreset(name: string): OpenAICompatiblePreset | undefined {
  return (openAICompatiblePresets as Record<string, OpenAICompatiblePreset>)[name];
}
