/**
 * Cohere's column of the parameter table (../capabilities.ts), per inbound surface: where the
 * chat adapter (./request.ts) puts each parameter, or why it refuses it. Kept beside the adapter
 * so the column and the request builder change together.
 */
import type { ParameterRule } from '../capabilities.js';
import { ANTHROPIC_ONLY as ANTHROPIC, GEMINI_ONLY as GEMINI, LEDGER_USER, MISTRAL_ONLY as MISTRAL, mapped as M, refused as R } from '../parameter-rules.js';

const NO_FIELD = 'Cohere has no such parameter';
const MODEL = M('model');
const STREAM = M('stream');
const MAX_TOKENS = M('max_tokens');
const THINKING = M('thinking.token_budget');
const JSON_MODE = M('response_format');

export const COHERE_FROM_OPENAI: Readonly<Record<string, ParameterRule>> = {
  messages: M('messages'),
  model: MODEL,
  metadata: R(NO_FIELD),
  top_logprobs: R('log probabilities are not translated'),
  temperature: M('temperature'),
  top_p: M('p'),
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
  frequency_penalty: M('frequency_penalty'),
  presence_penalty: M('presence_penalty'),
  web_search_options: R('built-in web search is not translated'),
  response_format: JSON_MODE,
  audio: R('text output only'),
  store: R('stored completions are OpenAI-only', false),
  moderation: R(NO_FIELD),
  stream: STREAM,
  stop: M('stop_sequences'),
  logit_bias: R(NO_FIELD),
  logprobs: R('log probabilities are not translated', false),
  max_tokens: MAX_TOKENS,
  n: R('Cohere returns one completion per request', 1),
  prediction: R(NO_FIELD),
  seed: M('seed'),
  stream_options: STREAM,
  tools: M('tools'),
  tool_choice: M('tool_choice'),
  parallel_tool_calls: R('Cohere cannot turn parallel calls off', true),
  function_call: R('deprecated: send tool_choice'),
  functions: R('deprecated: send tools'),
  top_k: M('k'),
  safe_prompt: MISTRAL,
  prompt_mode: MISTRAL,
  guardrails: MISTRAL,
  safetySettings: GEMINI,
  cachedContent: GEMINI,
};

export const COHERE_FROM_ANTHROPIC: Readonly<Record<string, ParameterRule>> = {
  model: MODEL,
  messages: M('messages'),
  max_tokens: MAX_TOKENS,
  system: M('messages'),
  metadata: LEDGER_USER,
  stop_sequences: M('stop_sequences'),
  stream: STREAM,
  temperature: M('temperature'),
  top_p: M('p'),
  top_k: M('k'),
  tools: M('tools'),
  tool_choice: M('tool_choice'),
  thinking: THINKING,
  output_config: JSON_MODE,
  output_format: JSON_MODE,
  cache_control: R('automatic prompt caching is Anthropic-only'),
  container: R('code-execution containers are Anthropic-only'),
  diagnostics: ANTHROPIC,
  inference_geo: ANTHROPIC,
  service_tier: R('service tiers are named differently per provider'),
  speed: ANTHROPIC,
  mcp_servers: R('MCP servers are not supported by this gateway'),
};

/** Cohere's own chat fields an OpenAI client sends as extra body properties: forwarded verbatim to Cohere, refused elsewhere. */
export const COHERE_ONLY_FIELDS = ['documents', 'citation_options', 'safety_mode'] as const;
