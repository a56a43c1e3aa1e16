/**
 * The neutral internal form every inbound surface (OpenAI chat, Anthropic messages) and every
 * upstream dialect (OpenAI, Anthropic, Gemini, Mistral) meets in. It carries what *both* inbound
 * surfaces can say: text and image parts, tools with ids, reasoning with its signature,
 * cache-control marks, stop reasons with the raw value beside the unified one, and usage with
 * cached-input, cache-write and reasoning tokens split out.
 *
 * Modelled on Vercel AI SDK's LanguageModelV3 prompt/stream parts. Adapters are pure functions
 * over these types (see ./adapter.ts); they never do I/O.
 */

/** Anthropic-style cache breakpoint; carried through so an Anthropic target can honour it. */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

/** An image either by URL (http(s)) or inline bytes (base64, with media type). */
export interface ImagePart {
  type: 'image';
  /** http(s) URL; absent when `data` is set. */
  url?: string;
  /** base64 payload (no `data:` prefix). */
  data?: string;
  /** e.g. `image/png`; required with `data`. */
  mediaType?: string;
  /** OpenAI's `detail` hint, kept for OpenAI-format targets. */
  detail?: 'auto' | 'low' | 'high';
  cacheControl?: CacheControl;
}

/** A tool call the assistant made. `arguments` is the raw JSON string (OpenAI's form). */
export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** JSON text of the arguments object, exactly as produced (never re-serialised needlessly). */
  arguments: string;
  /** Provider-specific opaque data that must round-trip (e.g. Gemini `thoughtSignature`). */
  providerMetadata?: Record<string, unknown>;
}

/** The result of a tool call, sent back by the client. */
export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** Name of the tool, when known (Gemini's functionResponse needs it). */
  toolName?: string;
  /** Text, or text/image parts (Anthropic allows blocks). */
  content: string | Array<TextPart | ImagePart>;
  isError?: boolean;
  cacheControl?: CacheControl;
}

/** Model reasoning ("thinking"). Anthropic needs `signature` back on the next turn. */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  /** Anthropic `redacted_thinking`: opaque data, no text. */
  redactedData?: string;
}

export type UserContentPart = TextPart | ImagePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart;

export type Message =
  | { role: 'system'; content: TextPart[] }
  | { role: 'user'; content: UserContentPart[]; name?: string }
  | { role: 'assistant'; content: AssistantContentPart[]; name?: string }
  | { role: 'tool'; content: ToolResultPart[] };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: CacheControl;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name?: string;
      description?: string;
      schema: Record<string, unknown>;
      strict?: boolean;
    };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

/** A chat request in the internal form. `model` is the upstream model id (provider prefix removed). */
export interface ChatRequest {
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  /** Cap on generated tokens (OpenAI max_completion_tokens / max_tokens, Anthropic max_tokens). */
  maxTokens?: number;
  /** Always in OpenAI's 0–2 range here; adapters rescale/clamp for their provider (documented there). */
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  n?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseFormat?: ResponseFormat;
  reasoningEffort?: ReasoningEffort;
  /** Explicit thinking budget (Anthropic `thinking.budget_tokens`); wins over reasoningEffort. */
  reasoningBudgetTokens?: number;
  /** End-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  metadata?: Record<string, string>;
  stream: boolean;
  /** Client asked for the final usage chunk (OpenAI `stream_options.include_usage`). */
  includeUsage?: boolean;
  /**
   * Top-level fields the client sent that this provider takes verbatim (`passed` in
   * ./capabilities.ts, e.g. Mistral `safe_prompt`, Gemini `safetySettings`); the adapter adds
   * each one its own translation did not set.
   */
  passedFields?: Record<string, unknown>;
}

/** Unified finish reasons (OpenAI's vocabulary) with the upstream's raw value beside it. */
export type UnifiedFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

export interface FinishReason {
  unified: UnifiedFinishReason;
  /** The provider's own value (`end_turn`, `MAX_TOKENS`, …), for metering and debugging. */
  raw: string | null;
  /** Anthropic `stop_sequence`: which stop string matched, if any. */
  stopSequence?: string | null;
}

/**
 * Token usage. `inputTokens` is the *total* prompt size (cached and cache-write included),
 * as OpenAI's `prompt_tokens`; `outputTokens` includes reasoning, as OpenAI's `completion_tokens`.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Subset of inputTokens read from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** Subset of inputTokens written to the provider's prompt cache (Anthropic cache_creation). */
  cacheWriteTokens?: number;
  /** Subset of outputTokens spent on reasoning. */
  reasoningTokens?: number;
  /** True when counted by the gateway (o200k) because the provider gave none. */
  estimated?: boolean;
  /** The service tier the upstream says served the request (OpenAI `service_tier`): priced by it. */
  serviceTier?: string;
  /** Rerank search units billed (Cohere `billed_units.search_units`): priced per unit. */
  searchUnits?: number;
  /**
   * A running count sent at a stream's start (Anthropic's message_start: output_tokens 1), not
   * the final one: if the stream ends without a final count, the output is counted from what
   * was delivered.
   */
  partial?: boolean;
}

export interface ChatResponse {
  id: string;
  /** Model name as reported by the upstream. */
  model: string;
  /** Unix seconds. */
  created: number;
  content: AssistantContentPart[];
  finish: FinishReason;
  usage?: Usage;
  /**
   * Choices 1…n-1 when the request asked for `n` > 1 (Gemini `candidateCount`, Mistral `n`);
   * `content`/`finish` above are choice 0. Only the OpenAI surface has `n`.
   */
  moreChoices?: Array<{ content: AssistantContentPart[]; finish: FinishReason }>;
}

/**
 * Stream events in the internal form. A provider stream mapper turns upstream events into
 * these; a surface (OpenAI chunks, Anthropic events) turns these into client frames.
 * Tool calls are identified by `index`, 0-based over tool calls only, in order of appearance.
 * `choice` (absent = 0) says which of `n` > 1 choices a content or finish event belongs to;
 * tool-call indexes count per choice.
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; created?: number; usage?: Usage }
  | { type: 'text-delta'; text: string; choice?: number }
  | { type: 'reasoning-delta'; text: string; choice?: number }
  | { type: 'reasoning-signature'; signature: string }
  | { type: 'reasoning-redacted'; data: string }
  | {
      type: 'tool-call-start';
      index: number;
      id: string;
      name: string;
      providerMetadata?: Record<string, unknown>;
      choice?: number;
    }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string; choice?: number }
  | { type: 'finish'; finish: FinishReason; choice?: number }
  /** Usage so far; the last one wins (mappers emit cumulative values, never increments). */
  | { type: 'usage'; usage: Usage }
  | { type: 'error'; error: GatewayErrorShape };

/** What an error looks like before a surface renders it in its own envelope. */
export interface GatewayErrorShape {
  /** HTTP status the client gets. */
  status: number;
  /** OpenAI error `type`: invalid_request_error, authentication_error, rate_limit_error, api_error… */
  type: string;
  /** OpenAI error `code`: model_not_found, rate_limit_exceeded, upstream_error… or null. */
  code: string | null;
  message: string;
  param?: string | null;
  /** Seconds, from upstream `retry-after`. */
  retryAfter?: number;
  /** Waiting cannot cure it (a spent budget): the response says `x-should-retry: false`. */
  noRetry?: boolean;
}

export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
  encodingFormat?: 'float' | 'base64';
  user?: string;
  /** What the texts are for (Cohere `input_type`: search_document, search_query, classification, clustering); adapters without it ignore it. */
  inputType?: string;
}

export interface EmbeddingResponse {
  model: string;
  embeddings: number[][];
  usage: { inputTokens: number };
}

/** A rerank request in the internal form (`POST /v1/rerank`): documents are plain texts by now. */
export interface RerankRequest {
  model: string;
  query: string;
  documents: string[];
  /** How many of the best results to return (all when absent). */
  topN?: number;
  /** Cohere's cap on the tokens of each document (longer ones are truncated upstream). */
  maxTokensPerDoc?: number;
}

export interface RerankResponse {
  /** Best first, each naming its document by position in the request. */
  results: Array<{ index: number; relevanceScore: number }>;
  /** What the upstream billed: search units (Cohere), or tokens (Jina, Voyage). */
  usage: { searchUnits?: number; inputTokens?: number };
}
