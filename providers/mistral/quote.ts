/**
 * Upstream text quoted in our error messages: one line, at most 200 characters, and anything
 * shaped like a bearer token or a Mistral key field masked — a proxy that echoes our request
 * must not make the gateway's key appear in a client-visible message.
 */
export function quote(text: string, max = 200): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(bearer\s+)[^\s"',;]+/gi, '$1***')
    .replace(/("?(?:api[_-]?key|authorization)"?\s*[:=]\s*"?)[^\s"',;]+/gi, '$1***');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}
