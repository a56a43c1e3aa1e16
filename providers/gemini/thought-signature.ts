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

/**
 * Google's documented stand-in for a signature the client does not have: function calls replayed
 * from another model, or through a surface that cannot carry signatures (OpenAI chat messages,
 * Anthropic tool_use blocks). Gemini 3 refuses such a turn with 400 "Function call is missing a
 * thought_signature in functionCall parts" unless this value is set.
 * https://ai.google.dev/gemini-api/docs/thought-signatures (FAQ: "dummy signatures").
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/**
 * Gemini 2.x and older do not validate signatures; everything else (gemini-3…, and the
 * `gemini-flash-latest`-style aliases that now point at 3.x) does.
 */
export function validatesThoughtSignatures(model: string): boolean {
  return !/^(models\/)?gemini-(1|2)(\.|-)/.test(model);
}

/**
 * Gemini validates the signature of the FIRST functionCall of each model step (parallel calls
 * carry one signature, on the first call). A model turn whose calls have none gets the
 * documented stand-in on its first call; real signatures are never replaced.
 */
export function fillMissingCallSignatures(contents: Array<{ role?: string; parts: Array<{ functionCall?: unknown; thoughtSignature?: string }> }>): void {
  for (const turn of contents) {
    if (turn.role !== 'model') continue;
    const calls = turn.parts.filter((p) => p.functionCall !== undefined);
    if (calls.length > 0 && !calls.some((p) => p.thoughtSignature)) calls[0]!.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  }
}
