/**
 * TRAP: Anthropic refuses a `tool_use.id` (and the matching `tool_result.tool_use_id`) outside
 * `^[a-zA-Z0-9_-]+$` — 400 "tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'".
 * Other hosts mint ids that break it (Kimi/Moonshot `functions.get_weather:0`, Ollama ids with
 * colons or dots), and a conversation that started there and continues on Claude (a fallback,
 * a client switching model) replays them.
 *
 * The rewrite is a pure function of the id, so a call and its result (in this request and in
 * every later one replaying them) land on the same value: characters outside the pattern become
 * `_`, and a short hash of the original is appended so `a:b` and `a.b` stay distinct. Valid ids
 * (Anthropic's `toolu_…`, OpenAI's `call_…`) are kept unchanged.
 */
import { createHash } from 'node:crypto';

const VALID = /^[a-zA-Z0-9_-]+$/;

export function toAnthropicToolUseId(id: string): string {
  if (VALID.test(id)) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${id.replace(/[^a-zA-Z0-9_-]/g, '_')}_${hash}`;
}
