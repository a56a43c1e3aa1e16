import { snippet } from '../kit/redact.js';

/**
 * Upstream text quoted in our error messages: one line, at most `max` characters, JSON-quoted,
 * with anything shaped like a key or a credential field masked (../kit/redact.ts) — a proxy
 * that echoes our request must not make the gateway's key appear in a client-visible message.
 */
export function quote(text: string, max = 200): string {
  return JSON.stringify(snippet(text, max));
}
