/**
 * The slice of Cohere's v2 wire format the adapter writes and reads, snake_case as on the wire
 * (cohere-ai SDK 8 serialization schemas: `V2ChatRequest`, `ChatMessageV2`, `ToolCallV2`,
 * `V2ChatResponse`, the `V2ChatStreamResponse` events, `Usage`). Inbound shapes are read
 * tolerantly: every field is checked where it is used.
 */

export type CohereUserContent = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | CohereUserContent[] }
  | { role: 'assistant'; content?: string; tool_plan?: string; tool_calls?: CohereToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string | Array<{ type: 'text'; text: string }> };

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type CohereResponseFormat = { type: 'text' } | { type: 'json_object'; json_schema?: Record<string, unknown> };

/** `POST /v2/chat` body. */
export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream: boolean;
  tools?: CohereTool[];
  strict_tools?: boolean;
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: CohereResponseFormat;
  max_tokens?: number;
  stop_sequences?: string[];
  temperature?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  k?: number;
  p?: number;
  thinking?: { type: 'enabled'; token_budget?: number };
}

/** `usage` of a chat answer or of `message-end`: billed units (what Cohere charges) and raw token counts. */
export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number; search_units?: number };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}
