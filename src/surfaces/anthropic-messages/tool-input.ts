/** Small value conversions shared by the Anthropic response and stream writers. */
import { randomUUID } from 'node:crypto';

/**
 * Internal tool-call `arguments` (JSON text) → Anthropic `tool_use.input` (an object).
 * Anthropic's input is always a JSON object. Upstreams sometimes produce something else: an
 * empty string for a no-argument call (OpenAI-compatible hosts), truncated JSON when the answer
 * hit max_tokens, or a non-object. All of those become `{}`: a client SDK that gets a
 * non-object `input` crashes, while `{}` lets the tool fail on its own validation, visibly.
 */
export function toolInputFromArguments(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Message id on the Anthropic surface: an upstream `msg_…` id is kept (the client may quote it
 * to Anthropic support); any other id (`chatcmpl-…`, Gemini's responseId) gets the `msg_` prefix
 * so clients that check the prefix accept it.
 */
export function anthropicMessageId(id: string): string {
  if (id.startsWith('msg_')) return id;
  return `msg_${id === '' ? randomUUID().replaceAll('-', '') : id}`;
}
