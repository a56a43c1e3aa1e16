/**
 * Bedrock's column of the parameter table (../capabilities.ts), per inbound surface: where the
 * Converse adapter puts each parameter, or why it refuses it. Kept beside the adapter so the
 * column and the request builder (./request.ts) change together.
 */
import type { ParameterRule } from '../capabilities.js';
import { ANTHROPIC_ONLY as ANTHROPIC, GEMINI_ONLY as GEMINI, LEDGER_USER, MISTRAL_ONLY as MISTRAL, mapped as M, refused as R } from '../parameter-rules.js';

const NO_FIELD = 'Converse has no such parameter';
const STREAM = M('url /model/{model}/converse-stream');
const MODEL = M('url /model/{model}/converse');
const MAX_TOKENS = M('inferenceConfig.maxTokens');
const STOP = M('inferenceConfig.stopSequences');
const TOP_K = M('additionalModelRequestFields.top_k');
const THINKING = M('additionalModelRequestFields.thinking');

export const BEDROCK_FROM_OPENAI: Readonly<Record<string, ParameterRule>> = {
  messages: M('messages'),
  model: MODEL,
  metadata: R('Converse requestMetadata is not mapped'),
  top_logprobs: R('log probabilities are not translated'),
  temperature: M('inferenceConfig.temperature'),
  top_p: M('inferenceConfig.topP'),
  user: LEDGER_USER,
  safety_identifier: LEDGER_USER,
  prompt_cache_key: R(NO_FIELD),
  prompt_cache_retention: R(NO_FIELD),
  prompt_cache_options: R(NO_FIELD),
  service_tier: R('service tiers are named differently per provider'),
  modalities: R('text output only', ['text']),
  verbosity: R(NO_FIELD),
  reasoning_effort: THINKING,
  max_completion_tokens: MAX_TOKENS,
  frequency_penalty: R(NO_FIELD, 0),
  presence_penalty: R(NO_FIELD, 0),
  web_search_options: R('built-in web search is not translated'),
  response_format: R('JSON output modes are not translated for Converse', { type: 'text' }),
  audio: R('text output only'),
  store: R('stored completions are OpenAI-only', false),
  moderation: R(NO_FIELD),
  stream: STREAM,
  stop: STOP,
  logit_bias: R(NO_FIELD),
  logprobs: R('log probabilities are not translated', false),
  max_tokens: MAX_TOKENS,
  n: R('Converse returns one completion per request', 1),
  prediction: R(NO_FIELD),
  seed: R(NO_FIELD),
  stream_options: STREAM,
  tools: M('toolConfig.tools'),
  tool_choice: M('toolConfig.toolChoice'),
  parallel_tool_calls: R('Converse cannot turn parallel calls off', true),
  function_call: R('deprecated: send tool_choice'),
  functions: R('deprecated: send tools'),
  top_k: TOP_K,
  safe_prompt: MISTRAL,
  prompt_mode: MISTRAL,
  guardrails: MISTRAL,
  safetySettings: GEMINI,
  cachedContent: GEMINI,
};

export const BEDROCK_FROM_ANTHROPIC: Readonly<Record<string, ParameterRule>> = {
  model: MODEL,
  messages: M('messages'),
  max_tokens: MAX_TOKENS,
  system: M('system'),
  metadata: LEDGER_USER,
  stop_sequences: STOP,
  stream: STREAM,
  temperature: M('inferenceConfig.temperature'),
  top_p: M('inferenceConfig.topP'),
  top_k: TOP_K,
  tools: M('toolConfig.tools'),
  tool_choice: M('toolConfig.toolChoice'),
  thinking: THINKING,
  output_config: R('JSON output modes are not translated for Converse'),
  output_format: R('JSON output modes are not translated for Converse'),
  cache_control: R('automatic prompt caching is Anthropic-only'),
  container: R('code-execution containers are Anthropic-only'),
  diagnostics: ANTHROPIC,
  inference_geo: ANTHROPIC,
  service_tier: R('service tiers are named differently per provider'),
  speed: ANTHROPIC,
  mcp_servers: R('MCP servers are not supported by this gateway'),
};
