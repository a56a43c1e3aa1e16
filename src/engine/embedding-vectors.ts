/**
 * Embedding vectors as the client asked for them (`encoding_format`), and the check that the
 * upstream honoured `dimensions`.
 */

/** OpenAI's `encoding_format: "base64"`: the vector's float32 values, little-endian, base64-encoded. */
export function float32Base64(vector: readonly number[]): string {
  const buf = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buf.writeFloatLE(vector[i]!, i * 4);
  return buf.toString('base64');
}

/**
 * An OpenAI-format `{data:[{embedding}]}` body whose vectors came as number arrays although the
 * client asked for base64 (hosts that ignore `encoding_format`, the built-in mock): re-encodes
 * them in place and says whether it changed anything.
 */
export function encodeDataAsBase64(json: unknown): boolean {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return false;
  let changed = false;
  for (const row of data) {
    if (row && typeof row === 'object' && Array.isArray((row as { embedding?: unknown }).embedding)) {
      const r = row as { embedding: unknown };
      r.embedding = float32Base64(r.embedding as number[]);
      changed = true;
    }
  }
  return changed;
}

/** Length of one vector as a client receives it: a number array, or base64 float32 (4 bytes each). */
function vectorLength(v: unknown): number | undefined {
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'string') return Math.floor(Buffer.byteLength(v, 'base64') / 4);
  return undefined;
}

/** The first vector's length when it differs from the `dimensions` the client asked for, else undefined. */
export function ignoredDimensions(requested: number, vectors: readonly unknown[]): number | undefined {
  for (const v of vectors) {
    const n = vectorLength(v);
    if (n !== undefined && n !== requested) return n;
  }
  return undefined;
}
