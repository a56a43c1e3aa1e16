/* Which configured values are secrets, for the snapshot's redaction list. */

/** Path segments and query values of a URL that look like tokens (16+ characters mixing letters and digits). */
export function urlTokens(url: string): string[] {
  try {
    const u = new URL(url);
    const parts = [...u.pathname.split('/'), ...[...u.searchParams.values()]].map((p) => decodeURIComponent(p));
    return parts.filter((p) => TOKEN_SHAPED.test(p));
  } catch {
    return [];
  }
}

/**
 * Configured header values that are credentials: by the header's name (authorization, cookie,
 * anything with key/token/secret/password/auth/session/signature/credential in it), or by the
 * value's shape (16+ characters of a token alphabet mixing letters and digits). Ordinary values
 * — `anthropic-version: 2023-06-01`, an `HTTP-Referer` URL, an `X-Title` — are not secrets: were
 * they scrubbed, they would be cut out of model answers too.
 */
const CREDENTIAL_HEADER = /auth|cookie|key|token|secret|passw|session|signature|credential/i;
const TOKEN_SHAPED = /^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_\-+/=.:~]{16,}$/;

export function secretHeaderValues(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([name, value]) => CREDENTIAL_HEADER.test(name) || (TOKEN_SHAPED.test(value) && !/^https?:/i.test(value)))
    .map(([, value]) => value.replace(/^(Bearer|Basic|Token)\s+/i, ''))
    // Shorter values would cut ordinary words out of answers; a credential is longer.
    .filter((value) => value.length >= 8);
}

/**
 * Distinct non-empty values, longest first (a secret containing another is cut out whole). A
 * value with characters JSON escapes (a PEM key's newlines) is listed as written inside a JSON
 * string too: upstream bodies are scrubbed as raw text, before they are parsed.
 */
export function redactionList(values: readonly string[]): string[] {
  const all = values.filter((v) => v.length > 0).flatMap((v) => {
    const inJson = JSON.stringify(v).slice(1, -1);
    return inJson === v ? [v] : [v, inJson];
  });
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

/** The password of a `scheme://user:pass@host` URL ('' when none or not a URL). */
export function urlPassword(url: string | undefined): string {
  if (!url) return '';
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
