/**
 * What an image generation costs (integer nano-dollars), from the catalog's per-image prices and
 * price grids (`image`, `image_variant`) and gpt-image-1's image-token prices
 * (`image_input`/`image_output`). Money arithmetic in BigInt, pico-dollars summed and divided
 * into nano-dollars once (as ../../metering/cost.ts).
 */
import type { Catalog, CatalogEntry } from '../../metering/catalog/index.js';
import type { AliasTarget } from '../../engine/runtime.js';

/** The most output tokens one gpt-image-1 image takes (high quality, 1024×1536: 6,240). */
export const MAX_OUTPUT_TOKENS_PER_IMAGE = 6_240;

const PICOS_PER_NANO = 1_000n;
const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER);

/** What the request asked for; `auto` and absent are alike. */
export interface ImageAsk {
  size?: string;
  quality?: string;
}

export interface ImageCost {
  nanos: number;
  /** False when the catalog has no price for the model: the cost is unknown, not zero. */
  priced: boolean;
  /** True when the size or quality was not known and the dearest matching price was taken. */
  estimated: boolean;
}

/** The catalog entry of a model and its price grid (resolved as chat resolves a model: dated ids, case). */
export function imagePrices(catalog: Catalog, provider: string, model: string, region?: string): { entry?: CatalogEntry; grid: readonly CatalogEntry[] } {
  const entry = catalog.get(provider, model, region);
  const grid = catalog.imageGrid(provider, entry?.model ?? model);
  return { ...(entry && { entry }), grid };
}

/**
 * Pico-dollars for one image of `ask` (undefined: unpriced): the grid cell of that size and
 * quality. DALL·E's defaults (size `1024x1024`, quality `standard`) apply to its grids when the
 * request leaves them out; otherwise an unknown size or quality (`auto`) takes the dearest cell
 * that fits (`estimated` when those differ). No cell fits: the model's flat per-image price,
 * else the dearest cell of all.
 */
export function perImagePicos(entry: CatalogEntry | undefined, grid: readonly CatalogEntry[], ask: ImageAsk): { picos: number; estimated: boolean } | undefined {
  const dallE = grid.every((c) => [undefined, 'standard', 'hd'].includes(c.image_variant!.quality));
  const size = known(ask.size) ?? (ask.size === undefined && dallE ? '1024x1024' : undefined);
  const quality = known(ask.quality) ?? (ask.quality === undefined && dallE ? 'standard' : undefined);
  const fits = grid.filter((c) => {
    const v = c.image_variant!;
    return (!size || v.size === size) && (!quality || !v.quality || v.quality === quality);
  });
  if (fits.length) {
    const picos = dearest(fits);
    return { picos, estimated: fits.some((c) => c.image !== picos) };
  }
  if (entry?.image !== undefined) return { picos: entry.image, estimated: false };
  if (grid.length) return { picos: dearest(grid), estimated: true };
  return undefined;
}

/** gpt-image-1's `usage` of an answer (`input_tokens_details` splits text and image input). */
export interface ImageUsage {
  inputTokens: number;
  outputTokens: number;
  textInputTokens: number;
  imageInputTokens: number;
}

/** The answer's token usage when it reports one (numbers clamped to whole, non-negative counts), else undefined. */
export function imageUsage(usage: unknown): ImageUsage | undefined {
  const u = usage as { input_tokens?: unknown; output_tokens?: unknown; input_tokens_details?: { text_tokens?: unknown; image_tokens?: unknown } } | null | undefined;
  if (!u || typeof u.input_tokens !== 'number' || typeof u.output_tokens !== 'number') return undefined;
  const inputTokens = count(u.input_tokens);
  const imageInputTokens = Math.min(count(u.input_tokens_details?.image_tokens), inputTokens);
  return { inputTokens, outputTokens: count(u.output_tokens), imageInputTokens, textInputTokens: inputTokens - imageInputTokens };
}

/**
 * Cost of an answer with `images` images: by tokens when the answer reports usage and the model
 * has image-token prices (text input at `input`, image input at `image_input`, output at
 * `image_output`), else per image.
 */
export function imageCost(entry: CatalogEntry | undefined, grid: readonly CatalogEntry[], ask: ImageAsk, images: number, usage: ImageUsage | undefined): ImageCost {
  if (usage && entry?.image_output !== undefined) {
    const picos = big(usage.textInputTokens) * big(entry.input) + big(usage.imageInputTokens) * big(entry.image_input ?? entry.input) + big(usage.outputTokens) * big(entry.image_output);
    return { nanos: nanos(picos, false), priced: true, estimated: false };
  }
  const per = perImagePicos(entry, grid, ask);
  if (!per) return { nanos: 0, priced: false, estimated: false };
  return { nanos: nanos(big(count(images)) * big(per.picos), false), priced: true, estimated: per.estimated };
}

/**
 * The most `n` images can cost on any of the targets, reserved against budgets before the call:
 * n × the dearest cell of the model's grid (or its flat price, or the most output tokens an
 * image takes at the image-token price), plus every prompt token at the dearest input price.
 * Rounded up to the next nano-dollar.
 */
export function imageWorstCaseNanos(catalog: Catalog, targets: readonly AliasTarget[], n: number, promptTokens: number): number {
  let worst = 0n;
  for (const t of targets) {
    const { entry, grid } = imagePrices(catalog, t.provider.catalogProvider, t.model, t.provider.priceRegion);
    let perImage = grid.length ? dearest(grid) : 0;
    if (entry?.image !== undefined) perImage = Math.max(perImage, entry.image);
    if (entry?.image_output !== undefined) perImage = Math.max(perImage, MAX_OUTPUT_TOKENS_PER_IMAGE * entry.image_output);
    const inRate = entry ? Math.max(entry.input, entry.image_input ?? 0) : 0;
    const picos = big(n) * big(perImage) + big(count(promptTokens)) * big(inRate);
    if (picos > worst) worst = picos;
  }
  return nanos(worst, true);
}

function dearest(cells: readonly CatalogEntry[]): number {
  return cells.reduce((m, c) => Math.max(m, c.image ?? 0), 0);
}

function known(v: string | undefined): string | undefined {
  return v === undefined || v === 'auto' ? undefined : v;
}

/** Pico-dollars → nano-dollars: half up (a cost), or up (a reservation); capped where integers stop being exact. */
function nanos(picos: bigint, up: boolean): number {
  const n = (picos + (up ? PICOS_PER_NANO - 1n : PICOS_PER_NANO / 2n)) / PICOS_PER_NANO;
  return n > MAX_NANOS ? Number.MAX_SAFE_INTEGER : Number(n);
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function big(n: number): bigint {
  return BigInt(n);
}
