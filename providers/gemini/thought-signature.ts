/**
 * Gemini 2.5/3 thinking models put an opaque `thoughtSignature` beside a functionCall part and
 * require it back, on that same part, when the model turn is replayed (Gemini 3 rejects a
 * function call without it). It travels in the internal form's `providerMetadata`, keyed by
 * dialect so it cannot collide with another provider's data: `{ gemini: { thoughtSignature } }`.
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */

export function geminiProviderMetadata(signature: string | undefined): Record<string, unknown> | undefined {
  return signature ? { gemini: { thoughtSignature: signature } } : undefined;
}

/** Reads the signature back; a flat `{ thoughtSignature }` is accepted too (tolerant reader). */
export function readThoughtSignature(meta: Record<string, unknown> | undefined): string | undefined {
  if (!meta) return undefined;
  const nested = meta.gemini;
  if (typeof nested === 'object' && nested !== null) {
    const sig = (nested as Record<string, unknown>).thoughtSignature;
    if (typeof sig === 'string' && sig) return sig;
  }
  return typeof meta.thoughtSignature === 'string' && meta.thoughtSignature ? meta.thoughtSignature : undefined;
}
