/**
 * `POST /v1/messages` request body (Anthropic Messages, client side) → internal ChatRequest.
 * Field list: docs/wire-facts.md §2 "Request" (MessageCreateParams). Validation is strict: a body
 * Anthropic would refuse is refused here with a 400 naming the field (InvalidRequest), and a
 * feature the internal form cannot carry (server tools, documents, Files API sources, MCP
 * servers) is refused rather than silently dropped. Top-level fields the internal form does not
 * carry (`service_tier`, `inference_geo`, `container`…) are not read here: an `anthropic/…`
 * target gets them in the passed-through bytes, any other target refuses them by name
 * (providers/capabilities.ts, applied by the engine).
 *
 * `model` is left exactly as the client sent it; the engine resolves it (alias, provider).
 */
import type { ChatRequest, ReasoningEffort, ResponseFormat } from '../../../providers/types.js';
import { convertAnthropicMessages, convertAnthropicSystem } from './convert-messages.js';
import { convertAnthropicToolChoice, convertAnthropicTools } from './convert-tools.js';
import { InvalidRequest } from './errors.js';
import { isRecord, optionalBoolean, optionalNumberIn, requireIntegerAtLeast, requireNonEmptyString, requireRecord, requireString } from './validate.js';

/** Anthropic requires thinking budgets of at least 1,024 tokens (docs/wire-facts.md §2). */
const MIN_THINKING_BUDGET = 1024;

function parseThinking(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const t = requireRecord(v, 'thinking');
  switch (t.type) {
    case 'enabled':
      return requireIntegerAtLeast(t.budget_tokens, 'thinking.budget_tokens', MIN_THINKING_BUDGET);
    // `adaptive` lets the model decide how much to think: the provider's default, no budget.
    case 'disabled':
    case 'adaptive':
      return undefined;
    default:
      throw new InvalidRequest('thinking.type', 'must be "enabled", "disabled" or "adaptive"');
  }
}

/** `{type: "json_schema", schema}` — the only structured-output format Anthropic has. */
function parseOutputFormat(v: unknown, param: string): ResponseFormat | undefined {
  if (v === undefined || v === null) return undefined;
  const f = requireRecord(v, param);
  if (f.type !== 'json_schema') throw new InvalidRequest(`${param}.type`, 'must be "json_schema"');
  return { type: 'json_schema', schema: requireRecord(f.schema, `${param}.schema`) };
}

/**
 * `output_config.effort` → reasoningEffort. Anthropic's `xhigh`/`max` exceed the internal scale
 * and become `high`, its ceiling.
 */
function parseEffort(v: unknown): ReasoningEffort | undefined {
  if (v === undefined || v === null) return undefined;
  switch (v) {
    case 'low':
    case 'medium':
    case 'high':
      return v as ReasoningEffort;
    case 'xhigh':
    case 'max':
      return 'high';
    default:
      throw new InvalidRequest('output_config.effort', 'must be one of "low", "medium", "high", "xhigh", "max"');
  }
}

export function parseMessagesRequest(body: unknown): ChatRequest {
  if (!isRecord(body)) throw new InvalidRequest('body', 'must be a JSON object');

  const model = requireNonEmptyString(body.model, 'model');
  // Required by Anthropic. Its `0` (cache pre-warm, no answer) means nothing to other providers.
  const maxTokens = requireIntegerAtLeast(body.max_tokens, 'max_tokens', 1);

  const messages = convertAnthropicMessages(body.messages);
  const system = convertAnthropicSystem(body.system);
  const stream = optionalBoolean(body.stream, 'stream') ?? false;

  const req: ChatRequest = { model, messages: system ? [system, ...messages] : messages, maxTokens, stream };
  // Anthropic streams always carry usage (message_start + message_delta), so ask for it upstream.
  if (stream) req.includeUsage = true;

  // Anthropic's 0–1 temperature is a subset of the internal 0–2 range: passed as is.
  const temperature = optionalNumberIn(body.temperature, 'temperature', 0, 1);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optionalNumberIn(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) req.topP = topP;
  if (body.top_k !== undefined && body.top_k !== null) req.topK = requireIntegerAtLeast(body.top_k, 'top_k', 0);

  if (body.stop_sequences !== undefined && body.stop_sequences !== null) {
    if (!Array.isArray(body.stop_sequences)) throw new InvalidRequest('stop_sequences', 'must be an array of strings');
    const stop = body.stop_sequences.map((s: unknown, i) => requireString(s, `stop_sequences.${i}`));
    if (stop.length > 0) req.stop = stop;
  }

  if (body.tools !== undefined && body.tools !== null) {
    const tools = convertAnthropicTools(body.tools);
    if (tools.length > 0) req.tools = tools;
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const { toolChoice, parallelToolCalls } = convertAnthropicToolChoice(body.tool_choice, req.tools);
    req.toolChoice = toolChoice;
    if (parallelToolCalls !== undefined) req.parallelToolCalls = parallelToolCalls;
  }

  const budget = parseThinking(body.thinking);
  if (budget !== undefined) req.reasoningBudgetTokens = budget;

  if (body.output_config !== undefined && body.output_config !== null) {
    const oc = requireRecord(body.output_config, 'output_config');
    const format = parseOutputFormat(oc.format, 'output_config.format');
    if (format) req.responseFormat = format;
    const effort = parseEffort(oc.effort);
    if (effort) req.reasoningEffort = effort;
  }
  // The structured-outputs beta sent the same format as top-level `output_format`.
  const betaFormat = parseOutputFormat(body.output_format, 'output_format');
  if (betaFormat && !req.responseFormat) req.responseFormat = betaFormat;

  if (body.metadata !== undefined && body.metadata !== null) {
    const md = requireRecord(body.metadata, 'metadata');
    if (md.user_id !== undefined && md.user_id !== null) req.user = requireString(md.user_id, 'metadata.user_id');
  }

  if (body.mcp_servers !== undefined && body.mcp_servers !== null) {
    throw new InvalidRequest('mcp_servers', 'MCP servers run on Anthropic\'s side and are not supported by this gateway');
  }
  return req;
}
