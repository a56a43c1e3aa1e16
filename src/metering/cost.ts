/**
 * Cost of a request in integer nano-dollars, from its Usage and its catalog entry.
 *
 * Arithmetic: prices are integer µ$/Mtok = pico-dollars per token (catalog/types.ts), so
 * tokens × price is an exact integer of pico-dollars. Everything is summed in BigInt, then
 * divided by 1e3 into nano-dollars **once**, rounding half up (0.5 n$ → 1 n$). Rounding each
 * line item instead would make the total depend on how usage was split.
 *
 * Usage (providers/types.ts): `inputTokens` is the whole prompt, cached and cache-write tokens
 * included (OpenAI `prompt_tokens`); `outputTokens` includes reasoning (OpenAI
 * `completion_tokens`). So:
 *   fresh input  = inputTokens − cachedInputTokens − cacheWriteTokens   at `input`
 *   cached input = cachedInputTokens     at `cached_input`, else `input`
 *   cache write  = cacheWriteTokens      at `cache_write`,  else `input`
 *   output       = reasoningTokens at `reasoning` + the rest at `output` when the entry has a
 *                  separate reasoning price; else all outputTokens at `output`.
 * Long context: when inputTokens (the whole prompt, as Anthropic and Google count it for their
 * "prompts > 200k tokens" prices) is strictly above a tier's `above_input_tokens`, the highest
 * such tier's prices apply to every token of the request; prices the tier omits keep the base.
 * Rerank is priced by rerankCostNanos (search units or tokens, not both).
 * Service tier: when the upstream reports the request served in a tier the entry prices
 * (`usage.serviceTier`: OpenAI's `priority`, `flex`), that tier's prices replace the base ones
 * it names (on top of any long-context tier).
 * Counts that are negative, NaN or larger than their whole (cached > input) are clamped, never
 * allowed to make a cost negative.
 */
import type { Usage } from '../../providers/types.js';
import type { CatalogEntry, PriceSet, ServiceTier } from './catalog/types.js';

export interface Cost {
  /** Integer nano-dollars. */
  nanos: number;
  /** False when the model is not in the catalog: the cost is unknown, not zero. */
  priced: boolean;
}

const PICOS_PER_NANO = 1_000n;
const MAX_NANOS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Prices in effect for a prompt of `inputTokens`: the base, or the highest tier it exceeds;
 * then the service tier's prices when the entry has that tier.
 */
export function effectivePrices(price: CatalogEntry, inputTokens: number, serviceTier?: string): PriceSet {
  let p: PriceSet = price;
  for (const tier of price.tiers ?? []) {
    if (inputTokens > tier.above_input_tokens) {
      const { above_input_tokens: _threshold, ...fields } = tier;
      p = { ...p, ...fields };
    }
  }
  const service = serviceTier ? price.service_tiers?.[serviceTier as ServiceTier] : undefined;
  return service ? { ...p, ...service } : p;
}

export function costNanos(usage: Usage, price: CatalogEntry | undefined): Cost {
  if (!price) return { nanos: 0, priced: false };
  const input = count(usage.inputTokens);
  const cached = Math.min(count(usage.cachedInputTokens), input);
  const written = Math.min(count(usage.cacheWriteTokens), input - cached);
  const fresh = input - cached - written;
  const output = count(usage.outputTokens);
  const reasoning = Math.min(count(usage.reasoningTokens), output);

  const p = effectivePrices(price, input, usage.serviceTier);
  let picos =
    big(fresh) * big(p.input) +
    big(cached) * big(p.cached_input ?? p.input) +
    big(written) * big(p.cache_write ?? p.input);
  if (p.reasoning !== undefined) {
    picos += big(reasoning) * big(p.reasoning) + big(output - reasoning) * big(p.output);
  } else {
    picos += big(output) * big(p.output);
  }
  return { nanos: Number((picos + PICOS_PER_NANO / 2n) / PICOS_PER_NANO), priced: true };
}

/**
 * Cost of a rerank: search units at the entry's `search_unit` price where it has one and the
 * upstream reported units (Cohere), else the tokens at `input` (Jina, Voyage). Pico-dollars,
 * rounded half up into nano-dollars once, as costNanos does.
 */
export function rerankCostNanos(usage: { searchUnits?: number; inputTokens?: number }, price: CatalogEntry | undefined): Cost {
  if (!price) return { nanos: 0, priced: false };
  const picos =
    price.search_unit !== undefined && usage.searchUnits !== undefined
      ? big(count(usage.searchUnits)) * big(price.search_unit)
      : big(count(usage.inputTokens)) * big(price.input);
  return { nanos: Number((picos + PICOS_PER_NANO / 2n) / PICOS_PER_NANO), priced: true };
}

/**
 * Upper bound of a request's cost, reserved against budgets at admission (docs/architecture.md §4): every
 * prompt token at the dearer of the input and cache-write prices (a client may mark the whole
 * prompt for caching), every possible output token at the dearer of the output and reasoning
 * prices, long-context tier applied from the prompt size, and the service tier the request asks
 * for (`priority`) when the entry prices it and it is dearer. Rounded *up* to the next nano-dollar,
 * so for the same token counts the settled cost never exceeds it (the
 * caller owns how good its token estimate is). Unknown model → 0.
 */
export function worstCaseNanos(inputTokens: number, maxOutputTokens: number, price: CatalogEntry | undefined, serviceTier?: string): number {
  if (!price) return 0;
  // A count that is not finite has no bound: reserve everything (never clamp it to 0 as `count` does).
  if (!Number.isFinite(inputTokens) || !Number.isFinite(maxOutputTokens)) return Number.MAX_SAFE_INTEGER;
  const input = count(inputTokens);
  // The tier the client asked for, or the base when the upstream serves it otherwise: the dearer.
  const sets = [effectivePrices(price, input), ...(serviceTier ? [effectivePrices(price, input, serviceTier)] : [])];
  let inRate = 0;
  let outRate = 0;
  for (const p of sets) {
    inRate = Math.max(inRate, p.input, p.cache_write ?? 0, p.cached_input ?? 0);
    outRate = Math.max(outRate, p.output, p.reasoning ?? 0);
  }
  const picos = big(input) * big(inRate) + big(count(maxOutputTokens)) * big(outRate);
  const nanos = (picos + PICOS_PER_NANO - 1n) / PICOS_PER_NANO;
  // Capped where integers stop being exact (counters compare it with budgets ≤ 2^53).
  return nanos > MAX_NANOS ? Number.MAX_SAFE_INTEGER : Number(nanos);
}

function count(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function big(n: number): bigint {
  return BigInt(n);
}
