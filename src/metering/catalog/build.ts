/**
 * Derives src/metering/catalog/models.json from LiteLLM's price table (a copy of its
 * `model_prices_and_context_window.json`), so the gateway reads no price source at run time,
 * and build-report.md beside it (kept per provider, every skipped key by reason):
 *
 *   npx tsx src/metering/catalog/build.ts path/to/model_prices_and_context_window.json
 *
 * Output is deterministic: entries sorted by provider then model, object keys sorted, one
 * entry per line.
 *
 * Source: LiteLLM `model_prices_and_context_window.json` as published 2026-02-24, fetched from
 * the verbatim mirror Wei-Shaw/claude-relay-service@993774379ba7 (branch price-mirror); see
 * docs/wire-facts.md §7.
 *
 * Rules, in order (each skip is counted in the output's `build_notes.skipped`):
 * 1. Only LiteLLM providers tollgate supports (./litellm-providers.ts), renamed to tollgate's names.
 *    `github_copilot` is not GitHub Models (it is a subscription with no token prices) and is
 *    not mapped. Providers absent from the file (nebius, huggingface, vllm, lm_studio, …) simply
 *    produce nothing.
 * 2. Only `mode` chat | completion | embedding | responses (models served only by the Responses
 *    API) | rerank | image_generation. Audio, video, OCR, moderation, image-edit and search prices
 *    have no unit in the catalog: skipped (the report lists them by mode). Image models keep a
 *    per-image price (`image`) and/or their token prices (image tokens: `image_input`,
 *    `image_output`); each key of a size/quality price grid (`1024-x-1024/dall-e-2`, `hd/…`) is
 *    kept as its own entry with `image_variant` (./image-grid.ts; per-pixel prices × pixels).
 *    Rerank is kept only where the gateway reranks (the provider's `rerank` flag); its
 *    `input_cost_per_query` becomes `search_unit` (pico-dollars per search unit).
 * 3. The provider prefix is stripped from the key (`gemini/gemini-2.5-flash` → gemini-2.5-flash).
 * 4. Skipped as not-a-model: fine-tune templates (`ft:…`); Together's size-class price buckets
 *    (`together-ai-4.1b-8b`, no prefix); Bedrock's provisioned-throughput commitments
 *    (`…/1-month-commitment/…`, priced per hour, not per token) and its other keys whose path names
 *    no region (`bedrock/invoke/…`, a model priced under its own id; Stability's `max-x-max/…` steps).
 *    Kept as regional entries (`region` set, same provider and model id as the standard entry):
 *    Bedrock's regional prices (`bedrock/eu-central-1/<model id>` → region `eu-central-1`) and
 *    Azure's data-zone prices (`azure/eu/…`, `azure/us/…` → `eu`, `us`; `azure/global-standard/…`
 *    and LiteLLM's other spelling of the same Global Standard deployment, `azure/global/…`, →
 *    `global-standard`). A provider configured in that region / data zone is billed them.
 * 5. Skipped: entries with no token price (no `input_cost_per_token`, or a chat/completion entry
 *    with no `output_cost_per_token`, and no `tiered_pricing`). A price of 0 is kept: it is a
 *    real price (local Ollama models, free previews). A rerank model's `input_cost_per_query`
 *    becomes `search_unit` (pico-dollars per search unit: Cohere bills one per query of up to
 *    100 documents); its token prices default to 0.
 * 6. Collisions (two keys → the same provider/model, e.g. `deepseek-chat` and
 *    `deepseek/deepseek-chat`): the key that carried its provider prefix wins, then the
 *    provider's main LiteLLM name (`azure` over `azure_text`), then the smaller key. Losers are
 *    counted as `duplicate`.
 * 7. Prices become integer µ$/Mtok (= pico-dollars per token), converted from the decimal text
 *    exactly; anything that would need rounding is rounded half up and listed in
 *    `build_notes.rounded` (none for the 2026-02-24 file).
 * 8. `output_cost_per_reasoning_token` is kept only when it differs from the output price.
 *    Cache-read price: `cache_read_input_token_cost`, else DeepSeek-style
 *    `input_cost_per_token_cache_hit`.
 * 9. Service tiers: `*_priority` and `*_flex` token prices (input, output, cache read) become
 *    `service_tiers.priority` / `.flex`.
 * Not modelled (dropped): 1-hour cache-write prices (Usage does not split TTLs; the 5-minute
 * price is used), per-request/per-query/search fees, audio/image/character prices, batch
 * prices, long-context prices of the priority tier. (Per-query prices of rerank models are kept:
 * rule 2.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaleDecimal } from '../money.js';
import { gridImagePrice, parseGridKey } from './image-grid.js';
import { LITELLM_PROVIDERS as PROVIDERS, UNMAPPED_REASONS } from './litellm-providers.js';
import type { Capabilities, CatalogEntry, CatalogFile, CatalogMode, PriceSet, PriceTier } from './types.js';

export const SOURCE =
  'litellm model_prices_and_context_window.json (BerriAI/litellm via Wei-Shaw/claude-relay-service price-mirror 993774379ba7)';
export const AS_OF = '2026-02-24';

const MODES = new Set<string>(['chat', 'completion', 'embedding', 'responses', 'rerank', 'image_generation']);
const IMAGE_SIZE_GRID = /^(\d+-x-\d+|hd|standard|low|medium|high)\//;
const AZURE_REGIONAL = /^(eu|us|global|global-standard)\//;
/** An AWS region name (`eu-central-1`, `us-gov-west-1`). */
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;

type Raw = Record<string, unknown>;
type Candidate = { key: string; prefixed: boolean; main: boolean; entry: CatalogEntry };
/** Skipped source keys: reason → group (LiteLLM provider, mode, or the winning key) → keys. */
export type SkippedKeys = Record<string, Record<string, string[]>>;

export function buildCatalog(table: Record<string, Raw>): CatalogFile {
  return build(table).file;
}

function build(table: Record<string, Raw>): { file: CatalogFile; skippedKeys: SkippedKeys } {
  const skipped: Record<string, number> = {};
  const skippedKeys: SkippedKeys = {};
  const skip = (why: string, key: string, group = ''): void => {
    skipped[why] = (skipped[why] ?? 0) + 1;
    ((skippedKeys[why] ??= {})[group] ??= []).push(key);
  };
  const rounded: string[] = [];

  /** $/token (number as parsed) → µ$/Mtok integer. */
  const price = (key: string, field: string, v: unknown): number | undefined => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
    const { value, exact } = scaleDecimal(v, 12);
    if (!exact) rounded.push(`${key}.${field}=${v}`);
    return Number(value);
  };

  const chosen = new Map<string, Candidate>();
  for (const [key, raw] of Object.entries(table)) {
    const lp = typeof raw.litellm_provider === 'string' ? raw.litellm_provider : '';
    const map = PROVIDERS[lp];
    if (!map) {
      skip('provider_not_supported', key, lp);
      continue;
    }
    if (map.retired?.includes(key)) {
      skip('retired_model', key, lp);
      continue;
    }
    const mode = typeof raw.mode === 'string' ? raw.mode : '';
    if (!MODES.has(mode) || (mode === 'rerank' && !map.rerank)) {
      skip('mode_not_supported', key, mode || '(none)');
      continue;
    }
    if (mode === 'image_generation' && IMAGE_SIZE_GRID.test(key)) {
      const variant = imageVariantEntry(key, raw, map, rounded);
      if (!variant) skip('no_token_price', key, lp);
      else chosen.set(`${variant.provider}/${variant.model}`, { key, prefixed: true, main: map.main, entry: variant });
      continue;
    }
    const prefix = map.prefixes.find((p) => key.startsWith(p));
    const model = prefix ? key.slice(prefix.length) : key;
    if (model.startsWith('ft:')) {
      skip('fine_tune_template', key, lp);
      continue;
    }
    if (lp === 'together_ai' && !prefix && key.startsWith('together-ai-')) {
      skip('together_size_bucket', key, lp);
      continue;
    }
    const regional = regionOf(map.provider, model);
    if (regional === 'skip') {
      skip(model.includes('-commitment/') ? 'bedrock_provisioned_throughput' : 'bedrock_non_regional_path', key, lp);
      continue;
    }
    const base = basePrices(key, raw, mode as CatalogMode, price);
    if (!base) {
      skip('no_token_price', key, lp);
      continue;
    }
    const entry: CatalogEntry = {
      provider: map.provider,
      model: regional ? regional.model : model,
      ...(regional && { region: regional.region }),
      mode: mode as CatalogMode,
      ...base.prices,
      ...(base.tiers.length > 0 ? { tiers: base.tiers } : {}),
      ...(base.searchUnit !== undefined ? { search_unit: base.searchUnit } : {}),
      ...(base.image !== undefined ? { image: base.image } : {}),
      ...(base.imageInput !== undefined ? { image_input: base.imageInput } : {}),
      ...(base.imageOutput !== undefined ? { image_output: base.imageOutput } : {}),
      ...serviceTiers(key, raw, price),
      ...positiveInt('context_window', raw.max_input_tokens),
      ...positiveInt('max_output_tokens', raw.max_output_tokens),
      capabilities: capabilities(raw),
      source: SOURCE,
      as_of: AS_OF,
    };
    const cand: Candidate = { key, prefixed: prefix !== undefined, main: map.main, entry };
    const id = entryId(entry);
    const prev = chosen.get(id);
    if (!prev) {
      chosen.set(id, cand);
    } else if (better(cand, prev)) {
      chosen.set(id, cand);
      skip('duplicate', prev.key, id);
    } else {
      skip('duplicate', key, id);
    }
  }

  const models = [...chosen.values()]
    .map((c) => c.entry)
    .sort((a, b) => cmp(a.provider, b.provider) || cmp(a.region ?? '', b.region ?? '') || cmp(a.model, b.model));
  const file: CatalogFile = {
    generated_by: 'src/metering/catalog/build.ts',
    source: SOURCE,
    as_of: AS_OF,
    price_unit: 'micro-USD per million tokens (integer; equals pico-USD per token); search_unit and image: pico-USD per search unit / image',
    build_notes: { kept: models.length, skipped, rounded: rounded.sort(cmp) },
    models,
  };
  return { file, skippedKeys };
}

/** `provider/model`, or `provider/region/model` for a regional entry (as LiteLLM writes the key). */
function entryId(e: CatalogEntry): string {
  return e.region ? `${e.provider}/${e.region}/${e.model}` : `${e.provider}/${e.model}`;
}

/**
 * A regional price key's region and model id; undefined for a standard key; 'skip' for a Bedrock
 * key with a slash that names no region (provisioned throughput, `invoke/`). A Bedrock model id
 * has no slash.
 */
function regionOf(provider: string, model: string): { region: string; model: string } | 'skip' | undefined {
  const slash = model.indexOf('/');
  if (provider === 'azure' && AZURE_REGIONAL.test(model)) {
    const zone = model.slice(0, slash);
    return { region: zone === 'global' ? 'global-standard' : zone, model: model.slice(slash + 1) };
  }
  if (provider !== 'bedrock' || slash === -1) return undefined;
  const region = model.slice(0, slash);
  const id = model.slice(slash + 1);
  return AWS_REGION.test(region) && !id.includes('/') ? { region, model: id } : 'skip';
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.prefixed !== b.prefixed) return a.prefixed;
  if (a.main !== b.main) return a.main;
  return cmp(a.key, b.key) < 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type PriceFn = (key: string, field: string, v: unknown) => number | undefined;

/** Base prices and long-context tiers, or undefined when the entry has no token price. */
function basePrices(
  key: string,
  raw: Raw,
  mode: CatalogMode,
  price: PriceFn,
): { prices: PriceSet; tiers: PriceTier[]; searchUnit?: number; image?: number; imageInput?: number; imageOutput?: number } | undefined {
  if (Array.isArray(raw.tiered_pricing)) return fromTieredPricing(key, raw, raw.tiered_pricing as Raw[], price);
  if (mode === 'image_generation') {
    // OpenAI's per-image prices are filed as `input_cost_per_image` (dall-e-2/-3).
    const image = price(key, 'image', raw.output_cost_per_image) ?? price(key, 'image', raw.input_cost_per_image);
    const input = price(key, 'input', raw.input_cost_per_token);
    const imageOutput = price(key, 'image_output', raw.output_cost_per_image_token);
    // gpt-image-1 bills its images as output image tokens and has no text output price.
    const output = price(key, 'output', raw.output_cost_per_token) ?? (imageOutput !== undefined ? 0 : undefined);
    if (image === undefined && (input === undefined || output === undefined)) return undefined;
    const imageInput = price(key, 'image_input', raw.input_cost_per_image_token);
    return {
      prices: priceSet(key, raw, input ?? 0, output ?? 0, price),
      tiers: [],
      image,
      ...(imageInput !== undefined && { imageInput }),
      ...(imageOutput !== undefined && { imageOutput }),
    };
  }
  if (mode === 'rerank') {
    const searchUnit = price(key, 'search_unit', raw.input_cost_per_query);
    const input = price(key, 'input', raw.input_cost_per_token);
    if (searchUnit === undefined && input === undefined) return undefined;
    return { prices: { input: input ?? 0, output: price(key, 'output', raw.output_cost_per_token) ?? 0 }, tiers: [], searchUnit };
  }
  const input = price(key, 'input', raw.input_cost_per_token);
  // Embeddings and rerankers have no output tokens; LiteLLM sometimes omits their output price.
  const output = price(key, 'output', raw.output_cost_per_token) ?? (mode === 'embedding' ? 0 : undefined);
  if (input === undefined || output === undefined) return undefined;
  const prices = priceSet(key, raw, input, output, price);
  const tiers: PriceTier[] = [];
  for (const threshold of [128_000, 200_000]) {
    const k = `${threshold / 1000}k`;
    const tier = compact({
      above_input_tokens: threshold,
      input: price(key, `input_above_${k}`, raw[`input_cost_per_token_above_${k}_tokens`]),
      output: price(key, `output_above_${k}`, raw[`output_cost_per_token_above_${k}_tokens`]),
      cached_input: price(key, `cached_input_above_${k}`, raw[`cache_read_input_token_cost_above_${k}_tokens`]),
      cache_write: price(key, `cache_write_above_${k}`, raw[`cache_creation_input_token_cost_above_${k}_tokens`]),
      reasoning: price(key, `reasoning_above_${k}`, raw[`output_cost_per_reasoning_token_above_${k}_tokens`]),
    });
    if (Object.keys(tier).length > 1) tiers.push(tier as PriceTier);
  }
  return { prices, tiers };
}

function priceSet(key: string, raw: Raw, input: number, output: number, price: PriceFn): PriceSet {
  const reasoning = price(key, 'reasoning', raw.output_cost_per_reasoning_token);
  return compact({
    input,
    output,
    cached_input:
      price(key, 'cached_input', raw.cache_read_input_token_cost) ??
      price(key, 'cached_input', raw.input_cost_per_token_cache_hit),
    cache_write: price(key, 'cache_write', raw.cache_creation_input_token_cost),
    reasoning: reasoning !== undefined && reasoning !== output ? reasoning : undefined,
  }) as PriceSet;
}

/** `input_cost_per_token_priority` & co → `{service_tiers: {priority: {…}, flex: {…}}}`, or nothing. */
function serviceTiers(key: string, raw: Raw, price: PriceFn): { service_tiers?: CatalogEntry['service_tiers'] } {
  const out: NonNullable<CatalogEntry['service_tiers']> = {};
  for (const tier of ['priority', 'flex'] as const) {
    const p = compact({
      input: price(key, `input_${tier}`, raw[`input_cost_per_token_${tier}`]),
      output: price(key, `output_${tier}`, raw[`output_cost_per_token_${tier}`]),
      cached_input: price(key, `cached_input_${tier}`, raw[`cache_read_input_token_cost_${tier}`]),
    });
    if (Object.keys(p).length) out[tier] = p;
  }
  return Object.keys(out).length ? { service_tiers: out } : {};
}

/** DashScope-style `tiered_pricing: [{range: [lo, hi], input_cost_per_token, …}]`: the range from 0 is the base. */
function fromTieredPricing(
  key: string,
  raw: Raw,
  tiersRaw: Raw[],
  price: PriceFn,
): { prices: PriceSet; tiers: PriceTier[] } | undefined {
  const withLow = tiersRaw
    .map((t) => ({ t, lo: Array.isArray(t.range) && typeof t.range[0] === 'number' ? t.range[0] : NaN }))
    .filter((x) => Number.isFinite(x.lo))
    .sort((a, b) => a.lo - b.lo);
  const first = withLow[0];
  if (!first || first.lo !== 0) return undefined;
  const baseIn = price(key, 'input', first.t.input_cost_per_token);
  const baseOut = price(key, 'output', first.t.output_cost_per_token);
  if (baseIn === undefined || baseOut === undefined) return undefined;
  const prices = priceSet(key, { ...raw, ...first.t }, baseIn, baseOut, price);
  const tiers: PriceTier[] = [];
  for (const { t, lo } of withLow.slice(1)) {
    const input = price(key, `input_above_${lo}`, t.input_cost_per_token);
    const output = price(key, `output_above_${lo}`, t.output_cost_per_token);
    if (input === undefined || output === undefined) continue;
    tiers.push({ above_input_tokens: lo, ...priceSet(key, t, input, output, price) });
  }
  return { prices, tiers };
}

/**
 * A price-grid key (`hd/1024-x-1792/dall-e-3`) as a priced entry: its id is the key without
 * the provider prefix, `image_variant` says which model, size, quality and steps it prices.
 * Undefined when the key has no per-image or per-pixel price.
 */
function imageVariantEntry(key: string, raw: Raw, map: { provider: string; prefixes: readonly string[] }, rounded: string[]): CatalogEntry | undefined {
  const grid = parseGridKey(key);
  if (!grid) return undefined;
  const priced = gridImagePrice(raw, grid.pixels);
  if (!priced) return undefined;
  if (priced.inexact) rounded.push(`${key}.image=${raw.input_cost_per_pixel}*${grid.pixels}`);
  const prefix = map.prefixes.find((p) => grid.rest.startsWith(p));
  const of = prefix ? grid.rest.slice(prefix.length) : grid.rest;
  return {
    provider: map.provider,
    model: key.slice(0, key.length - grid.rest.length) + of,
    mode: 'image_generation',
    input: 0,
    output: 0,
    image: priced.picos,
    image_variant: { of, ...grid.variant },
    capabilities: capabilities(raw),
    source: SOURCE,
    as_of: AS_OF,
  };
}

function capabilities(raw: Raw): Capabilities {
  const pick = (f: string): boolean | undefined => (typeof raw[f] === 'boolean' ? (raw[f] as boolean) : undefined);
  return compact({
    tools: pick('supports_function_calling'),
    vision: pick('supports_vision'),
    json_schema: pick('supports_response_schema'),
    reasoning: pick('supports_reasoning'),
    prompt_caching: pick('supports_prompt_caching'),
    streaming: pick('supports_native_streaming'),
  });
}

function positiveInt(name: string, v: unknown): Record<string, number> {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? { [name]: v } : {};
}

function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

/** JSON with sorted keys: the header pretty-printed, one model per line (small, diffable). */
export function serialize(file: CatalogFile): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort(cmp)
          .map((k) => [k, sorted((v as Raw)[k])]),
      );
    }
    return v;
  };
  const { models, ...header } = file;
  const head = JSON.stringify(sorted(header), null, 2).replace(/\n}$/, '');
  const lines = models.map((m) => `    ${JSON.stringify(sorted(m))}`);
  return `${head},\n  "models": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

const REASONS: Record<string, string> = {
  provider_not_supported: 'LiteLLM provider with no tollgate adapter or preset (grouped by LiteLLM provider)',
  mode_not_supported: 'a mode the catalog has no price unit for (grouped by mode)',
  duplicate: 'another key names the same provider/model and won (grouped by the kept id)',
  fine_tune_template: 'fine-tune price templates (`ft:…`), not models',
  together_size_bucket: "Together's size-class price buckets, not models",
  bedrock_non_regional_path:
    "Bedrock keys whose path names no region: the InvokeModel API's key (`bedrock/invoke/…`) of a model priced under its own id, Stability's per-step price grid (`max-x-max/…`)",
  bedrock_provisioned_throughput: 'Bedrock provisioned-throughput commitments (priced per hour)',
  no_token_price: 'no token price (nor, for image models, a per-image price; for rerank models, a per-query price) in the source',
};

/** build-report.md: what was kept per provider and every skipped source key, by reason. */
export function buildReport(table: Record<string, Raw>): string {
  const { file, skippedKeys } = build(table);
  const modes: CatalogMode[] = ['chat', 'completion', 'embedding', 'responses', 'rerank', 'image_generation'];
  const perProvider = new Map<string, Record<string, number>>();
  for (const m of file.models) {
    const row = perProvider.get(m.provider) ?? {};
    row[m.mode] = (row[m.mode] ?? 0) + 1;
    perProvider.set(m.provider, row);
  }
  const out = [
    '# Catalog build report',
    '',
    `Generated by \`src/metering/catalog/build.ts\` with \`models.json\`; do not edit. Source: ${file.source}, as of ${file.as_of}.`,
    '',
    `Kept: **${file.models.length}** priced entries from ${perProvider.size} providers (each entry records its source and date).`,
    '',
    '## Kept per provider',
    '',
    `| provider | ${modes.join(' | ')} | total |`,
    `|---|${modes.map(() => '---:').join('|')}|---:|`,
  ];
  for (const [provider, row] of [...perProvider].sort(([a], [b]) => cmp(a, b))) {
    const total = modes.reduce((n, m) => n + (row[m] ?? 0), 0);
    out.push(`| ${provider} | ${modes.map((m) => row[m] ?? 0).join(' | ')} | ${total} |`);
  }
  const perRegion = new Map<string, number>();
  for (const m of file.models) if (m.region) perRegion.set(`${m.provider} | ${m.region}`, (perRegion.get(`${m.provider} | ${m.region}`) ?? 0) + 1);
  const regionalTotal = [...perRegion.values()].reduce((a, b) => a + b, 0);
  out.push(
    '',
    `## Regional prices kept (${regionalTotal})`,
    '',
    'Counted in the table above. A provider configured in that region (Bedrock `region`) or data zone (Azure `data_zone`) is billed these; every other model keeps its standard price.',
    '',
    '| provider | region | entries |',
    '|---|---|---:|',
  );
  for (const [key, n] of [...perRegion].sort(([a], [b]) => cmp(a, b))) out.push(`| ${key} | ${n} |`);
  out.push('', '## Skipped, by reason', '');
  for (const [reason, groups] of Object.entries(skippedKeys).sort(([a], [b]) => cmp(a, b))) {
    const n = Object.values(groups).reduce((k, g) => k + g.length, 0);
    out.push(`### ${reason} (${n})`, '', REASONS[reason] ?? reason, '');
    for (const [group, keys] of Object.entries(groups).sort(([a], [b]) => cmp(a, b))) {
      const why = reason === 'provider_not_supported' ? `: ${UNMAPPED_REASONS[group] ?? 'no adapter or preset'}` : '';
      const label = group ? `**${group}**${why} (${keys.length})` : `(${keys.length})`;
      out.push(`- ${label}: ${keys.sort(cmp).map((k) => `\`${k}\``).join(', ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function main(): void {
  const arg = process.argv[2];
  if (!arg) {
    process.stderr.write('usage: npx tsx src/metering/catalog/build.ts path/to/model_prices_and_context_window.json\n');
    process.exit(2);
  }
  const input = resolve(arg);
  const out = resolve(dirname(fileURLToPath(import.meta.url)), 'models.json');
  const table = JSON.parse(readFileSync(input, 'utf8')) as Record<string, Raw>;
  const file = buildCatalog(table);
  writeFileSync(out, serialize(file));
  writeFileSync(resolve(dirname(out), 'build-report.md'), buildReport(table));
  const providers = new Set(file.models.map((m) => m.provider));
  process.stdout.write(
    `wrote ${out}: ${file.models.length} models, ${providers.size} providers; skipped ${JSON.stringify(file.build_notes?.skipped)}; rounded ${file.build_notes?.rounded.length}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
