/**
 * The one secret redactor: for upstream text the gateway logs, returns or stores. Known values
 * (the configured keys, header credentials) are cut out wherever they appear; text shaped like
 * an API key is masked too, since some providers echo part of a key in their 401 message.
 */

const MASK = '[redacted]';
/**
 * OpenAI/Anthropic (`sk-…`, `sk-ant-…`), Google (`AIza…`), Google OAuth2 access tokens (`ya29.…`,
 * which Vertex providers fetch at run time, so no configured value names them) and tollgate
 * (`tg_…`) key shapes.
 */
const KEY_SHAPED = /\b(sk-[A-Za-z0-9_-]{6,}|AIza[0-9A-Za-z_-]{10,}|ya29\.[0-9A-Za-z_-]{10,}|tg_[A-Za-z0-9_]{10,})/g;
/** A credential field a proxy may echo from our request: `x-api-key: …`, `"api_key":"…"`, `Authorization: Bearer …`. */
const CREDENTIAL_FIELD = /((?:x-api-key|api[_-]?key|authorization)["']?\s*[:=]\s*["']?(?:(?:bearer|basic)\s+)?)[^\s"',;}]+/gi;
const BEARER = /(\bbearer\s+)[^\s"',;}]+/gi;

/**
 * `text` with every occurrence of the given exact values cut out — the same string, unallocated,
 * when it holds none. Used before an adapter reads upstream text it may quote and cut short: a
 * value scrubbed first cannot be cut in half and leak the half (scrub first, then truncate).
 */
export function withoutValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (v.length >= 6 && out.includes(v)) out = out.split(v).join(MASK);
  return out;
}

/** Known values and key-shaped text masked. Safe on any text, model answers included. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  return withoutValues(text, secrets).replace(KEY_SHAPED, MASK);
}

/**
 * For an upstream's error text an adapter quotes: key shapes and credential fields masked
 * (`x-api-key: [redacted]`, `Bearer [redacted]`). Not for answers: it would mask prose.
 */
export function redactUpstreamText(text: string): string {
  return redactSecrets(text).replace(CREDENTIAL_FIELD, `$1${MASK}`).replace(BEARER, `$1${MASK}`);
}

/** Upstream text quoted in a message: one line, redacted, then cut to `max` characters (redact before truncate). */
export function snippet(text: string, max = 200): string {
  const flat = redactUpstreamText(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
