/**
 * The slice of Mistral's La Plateforme wire format this adapter writes and reads.
 * Source: @mistralai/mistralai 2.7 generated types (`ChatCompletionRequest$Outbound`,
 * `AssistantMessage`, `ThinkChunk`, `ToolCall`, `UsageInfo`) and the recorded fixtures in
 * ./__fixtures__ (see docs/wire-facts.md §4). Inbound shapes are deliberately loose:
 * we are a tolerant reader, so every field is optional and checked at the point of use.
 */

export interface MistralTextChunk {
  type: 'text';
  text: string;
}

/** Mistral takes the image as a bare URL string (http(s) or `data:` URL), not OpenAI's `{url}`. */
export interface MistralImageUrlChunk {
  type: 'image_url';
  image_url: string;
}

export type MistralUserChunk = MistralTextChunk | MistralImageUrlChunk;

export interface MistralWireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type MistralMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | MistralUserChunk[] }
  | { role: 'assistant'; content: string; tool_calls?: MistralWireToolCall[]; prefix?: true }
  | { role: 'tool'; content: string | MistralUserChunk[]; tool_call_id: string; name?: string };

export interface MistralTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };
}

export type MistralToolChoice = 'auto' | 'none' | 'any' | 'required' | { type: 'function'; function: { name: string } };

export type MistralResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema: Record<string, unknown>; strict?: boolean };
    };

/** `ChatCompletionRequest` as sent on the wire (snake_case). */
export interface MistralChatRequest {
  model: string;
  messages: MistralMessage[];
  stream: boolean;
  tools?: MistralTool[];
  tool_choice?: MistralToolChoice;
  parallel_tool_calls?: boolean;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  random_seed?: number;
  n?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  response_format?: MistralResponseFormat;
  /** SDK 2.7 `ReasoningEffort`: none | minimal | low | medium | high | xhigh. */
  reasoning_effort?: string;
}

/* ---------- inbound (responses, stream chunks): everything optional ---------- */

export interface MistralInboundToolCall {
  id?: string;
  type?: string;
  /** Absent on Mistral's own whole tool calls; present on OpenAI-style incremental hosts. */
  index?: number;
  function?: { name?: string; arguments?: string | Record<string, unknown> };
}

export interface MistralInboundMessage {
  role?: string;
  /** A string, or (reasoning models) an array of `text` / `thinking` chunks. */
  content?: unknown;
  tool_calls?: MistralInboundToolCall[] | null;
}

export interface MistralInboundUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  /** Only seen in vercel/ai's synthetic usage fixture; tolerated. */
  num_cached_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface MistralChatResponseBody {
  id?: string;
  model?: string;
  created?: number;
  choices?: Array<{ index?: number; finish_reason?: string | null; message?: MistralInboundMessage }>;
  usage?: MistralInboundUsage;
}

export interface MistralStreamChunk {
  id?: string;
  model?: string;
  created?: number;
  choices?: Array<{ index?: number; finish_reason?: string | null; delta?: MistralInboundMessage }>;
  usage?: MistralInboundUsage;
  /** A mid-stream error object (`{"object":"error","message":…}`), tolerated. */
  object?: string;
  message?: unknown;
}
