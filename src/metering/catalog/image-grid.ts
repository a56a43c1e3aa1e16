/**
 * LiteLLM's image price grids: one key per size (and quality, and step count) of an image
 * model, `[quality/][W-x-H/][N-steps|max-steps/]model` (`hd/1024-x-1792/dall-e-3`,
 * `1024-x-1024/50-steps/bedrock/amazon.nova-canvas-v1:0`). build.ts keeps each as a priced
 * catalog entry carrying `image_variant`; the gateway prices `POST /v1/images/generations` with it.
 */
import { scaleDecimal } from '../money.js';
import type { ImageVariant } from './types.js';

const GRID = /^(?:(hd|standard|low|medium|high)\/)?(?:(\d+)-x-(\d+)\/)?(?:(\d+|max)-steps\/)?(.+)$/;

export interface GridKey {
  variant: Omit<ImageVariant, 'of'>;
  /** Pixels per image (0 when the key names no size). */
  pixels: number;
  /** The model key that follows the grid segments (may still carry a provider prefix). */
  rest: string;
}

/** The grid segments of a source key, or undefined when it has neither a quality nor a size. */
export function parseGridKey(key: string): GridKey | undefined {
  const m = GRID.exec(key);
  if (!m || (!m[1] && !m[2])) return undefined;
  const variant: Omit<ImageVariant, 'of'> = {};
  if (m[1]) variant.quality = m[1];
  if (m[2]) variant.size = `${m[2]}x${m[3]}`;
  if (m[4]) variant.steps = m[4];
  return { variant, pixels: m[2] ? Number(m[2]) * Number(m[3]) : 0, rest: m[5]! };
}

/**
 * Pico-dollars per image of a grid entry: `output_cost_per_image`, else `input_cost_per_image`
 * (LiteLLM files OpenAI's per-image prices under both), else the per-pixel price × pixels,
 * computed exactly and rounded half up only below a pico-dollar (`inexact` then says so).
 * Undefined when the entry has none of them.
 */
export function gridImagePrice(raw: Record<string, unknown>, pixels: number): { picos: number; inexact: boolean } | undefined {
  for (const v of [raw.output_cost_per_image, raw.input_cost_per_image]) {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) {
      const { value, exact } = scaleDecimal(v, 12);
      return { picos: Number(value), inexact: !exact };
    }
  }
  const px = raw.input_cost_per_pixel;
  if (typeof px !== 'number' || !Number.isFinite(px) || px < 0 || pixels <= 0) return undefined;
  // Atto-dollars per pixel × pixels, then once into pico-dollars (half up).
  const atto = scaleDecimal(px, 18).value * BigInt(pixels);
  const picos = (atto + 500_000n) / 1_000_000n;
  return { picos: Number(picos), inexact: atto % 1_000_000n !== 0n };
}
