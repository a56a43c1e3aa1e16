/**
 * TRAP: Mistral rejects any tool-call id that is not exactly 9 alphanumeric characters
 * (`^[a-zA-Z0-9]{9}$`, on the assistant `tool_calls[].id` and the tool message `tool_call_id`),
 * with 400 `invalid_function_call` code 3280 [docs/wire-facts.md §4, from mistral-common's validator].
 * Ids minted by OpenAI (`call_…`) or Anthropic (`toolu_…`) must therefore be rewritten.
 *
 * The rewrite is a pure function of the original id — the first 8 bytes of its SHA-256, reduced
 * modulo 62^9 and written in base62, 9 characters — so the assistant call and its tool result
 * get the same new id, in this request and in every later turn that replays them. Ids that are
 * already valid (Mistral's own, e.g. `gSIMJiOkT`) are kept, so Mistral round-trips are exact.
 * A per-request mapper still checks for collisions (two different ids landing on one 9-char id,
 * about 1 in 10^16) and re-salts deterministically if it ever happens.
 */
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SPACE = 62n ** 9n;
const VALID = /^[a-zA-Z0-9]{9}$/;

export function isMistralToolCallId(id: string): boolean {
  return VALID.test(id);
}

/** The deterministic 9-character base62 id for `id` (valid ids are returned unchanged). */
export function toMistralToolCallId(id: string, salt = 0): string {
  if (salt === 0 && VALID.test(id)) return id;
  const digest = createHash('sha256').update(salt === 0 ? id : `${salt}:${id}`).digest();
  let n = digest.readBigUInt64BE(0) % SPACE;
  let out = '';
  for (let i = 0; i < 9; i++) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

/** One request's id rewrite: same input → same output, distinct inputs → distinct outputs. */
export function createMistralToolCallIdMapper(): (id: string) => string {
  const byOriginal = new Map<string, string>();
  const taken = new Map<string, string>(); // mapped → original
  return (id) => {
    const known = byOriginal.get(id);
    if (known !== undefined) return known;
    let salt = 0;
    let mapped = toMistralToolCallId(id, salt);
    while (taken.has(mapped) && taken.get(mapped) !== id) mapped = toMistralToolCallId(id, ++salt);
    byOriginal.set(id, mapped);
    taken.set(mapped, id);
    return mapped;
  };
}
