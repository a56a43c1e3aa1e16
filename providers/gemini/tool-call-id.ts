/**
 * Gemini function calls carry no id (fixtures gemini-*-thinking-function-call.*), but OpenAI
 * and Anthropic clients need one to match results to calls. We mint `call_<index>_<hash>`:
 * unique within a response (index), stable for a given upstream response (the hash is over
 * responseId, index and name), different between responses. When an upstream call does carry
 * an `id` (newer API versions may), it is used as is.
 */

/** FNV-1a 32-bit, base36: short, deterministic, no crypto needed for an identifier. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** A per-response salt: the upstream responseId when present, else a random token. */
export function responseSalt(responseId: unknown): string {
  return typeof responseId === 'string' && responseId ? responseId : Math.random().toString(36).slice(2, 12);
}

export function geminiToolCallId(salt: string, index: number, name: string, upstreamId?: unknown): string {
  if (typeof upstreamId === 'string' && upstreamId) return upstreamId;
  return `call_${index}_${fnv1a(`${salt}:${index}:${name}`)}${fnv1a(`${name}:${salt}`).slice(0, 4)}`;
}

/** Response id when the upstream gave none. */
export function syntheticResponseId(salt: string): string {
  return `gemini-${salt}`;
}
