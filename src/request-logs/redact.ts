/**
 * What a stored body may hold: secrets are replaced by `[REDACTED]` first, then the body is cut
 * to `max_body_bytes` (UTF-8 safe). That order matters: a secret cut in half by the size cap
 * would no longer be recognised, and its first half would be stored.
 */
export const REDACTED = '[REDACTED]';

/**
 * Text kept past the cap for redaction to see: a secret (or pattern match) shorter than this
 * that starts before the cap is redacted whole before the cut; text beyond it is never stored.
 */
export const REDACT_MARGIN = 65_536;

/**
 * Tollgate keys — `tg_` + 40 base62 characters wherever they stand (glued to other text too), other
 * `tg_…`/`tg-…` tokens at a word start — and the usual provider key shapes.
 */
const KEY_SHAPES = /tg_[A-Za-z0-9]{40}|\b(?:tg[_-][A-Za-z0-9_-]{10,}|sk-ant-[A-Za-z0-9_-]{6,}|sk-[A-Za-z0-9_-]{6,}|AIza[0-9A-Za-z_-]{20,})/g;
/** A JSON member whose name says it holds a credential: its string value goes. */
const CREDENTIAL_MEMBER =
  /("(?:[A-Za-z0-9_-]*[_-])?(?:authorization|api[_-]?key|apikey|password|passwd|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token|auth[_-]?token|id[_-]?token|session[_-]?token|private[_-]?key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
/** `Bearer …` / `Basic …` credentials in text (a pasted curl command); the token has a digit. */
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{8,}=*/gi;
/**
 * `Authorization: …`, `x-api-key=…` written as text (headers, query strings), the value maybe
 * quoted. A backslash is never consumed: inside a JSON string it escapes the next character,
 * and the stored body must stay valid JSON.
 */
const AUTH_TEXT = /\b(authorization|x-api-key|api[_-]?key)(\s*[:=]\s*(?:\\?["'])?)(?!Bearer\b|Basic\b|\[REDACTED\])[^\s"'\\,;&]{8,}/gi;

export interface RedactionRules {
  /** Exact configured values (`snapshot.secrets`), longest first. */
  secrets: readonly string[];
  /** `request_logs.redact`, compiled with the global flag. */
  patterns: readonly RegExp[];
}

/** Every secret the rules know of, and every credential-shaped value, → `[REDACTED]`. */
export function redact(text: string, rules: RedactionRules): string {
  let out = text;
  for (const s of rules.secrets) {
    if (s.length < 6) continue; // shorter values would cut ordinary words (as engine/errors.ts does)
    if (out.includes(s)) out = out.split(s).join(REDACTED);
    // In a JSON body a value holding `"` or `\` appears escaped.
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
  }
  out = out.replace(KEY_SHAPES, REDACTED).replace(CREDENTIAL_MEMBER, `$1"${REDACTED}"`).replace(AUTH_SCHEME, `$1$2${REDACTED}`).replace(AUTH_TEXT, `$1$2${REDACTED}`);
  for (const re of rules.patterns) out = out.replace(re, (m) => (m ? REDACTED : m));
  return out;
}

/** `text` cut to at most `maxBytes` of UTF-8, never inside a character. */
export function capUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: short text needs no encoding to know it fits.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const buf = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) to the start of the character the cap falls in.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return { text: buf.toString('utf8', 0, end), truncated: true };
}

/**
 * A body as stored: at most `maxBytes + REDACT_MARGIN` characters are looked at (bounded work,
 * whatever the body's size), redacted, then cut to `maxBytes`. `cut` says the text given is
 * already not the whole body (a capped stream assembly): the row is marked truncated either way.
 */
export function storedBody(text: string | null, cut: boolean, maxBytes: number, rules: RedactionRules): { body: string | null; truncated: boolean } {
  if (text === null) return { body: null, truncated: cut };
  let t = text;
  let truncated = cut;
  const keep = maxBytes + REDACT_MARGIN;
  if (t.length > keep) {
    t = t.slice(0, keep);
    truncated = true;
  }
  const capped = capUtf8(redact(t, rules), maxBytes);
  return { body: capped.text, truncated: truncated || capped.truncated };
}
