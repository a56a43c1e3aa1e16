/**
 * One embedding vector from an upstream answer: a list of numbers, or (OpenAI's and Cohere's
 * `base64` encoding) little-endian float32 values in base64. Anything else: undefined, for the
 * adapter to report with its own words.
 */
export function readEmbeddingVector(v: unknown): number[] | undefined {
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  if (typeof v !== 'string') return undefined;
  const bytes = Buffer.from(v, 'base64');
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(bytes.readFloatLE(i));
  return out;
}
