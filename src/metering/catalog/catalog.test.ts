import { describe, it, expect } from 'vitest';
import { Catalog, catalogInfo, loadCatalog, type CatalogEntry } from './index.js';

const catalog = loadCatalog();
const SOURCE =
  'litellm model_prices_and_context_window.json (BerriAI/litellm via Wei-Shaw/claude-relay-service price-mirror 993774379ba7)';

describe('built-in catalog (models.json)', () => {
  it('holds at least 150 models across at least 10 providers', () => {
    expect(catalog.size).toBeGreaterThanOrEqual(150);
    expect(catalog.providers().length).toBeGreaterThanOrEqual(10);
    for (const p of ['openai', 'anthropic', 'gemini', 'mistral', 'groq', 'deepseek', 'xai', 'together', 'fireworks']) {
      expect(catalog.list(p).length, p).toBeGreaterThan(0);
    }
  });

  it('keeps image price-grid cells out of a provider\'s list (the model is listed once) and finds them by model', () => {
    const ids = catalog.list('openai').map((e) => e.model);
    expect(ids.filter((m) => m === 'dall-e-3')).toHaveLength(1);
    expect(ids.some((m) => m.includes('1024-x-'))).toBe(false);
    const grid = catalog.imageGrid('openai', 'dall-e-3');
    expect(grid.map((e) => `${e.image_variant?.quality} ${e.image_variant?.size}`).sort()).toEqual(['hd 1024x1024', 'hd 1024x1792', 'hd 1792x1024', 'standard 1024x1024', 'standard 1024x1792', 'standard 1792x1024']);
    expect(catalog.imageGrid('openai', 'gpt-4o')).toEqual([]);
    expect(catalog.get('openai', 'hd/1024-x-1792/dall-e-3')?.image).toBe(119_991_173_120);
  });

  it('gives every entry a source, a date, integer prices and a supported mode', () => {
    for (const e of catalog.list()) {
      const id = `${e.provider}/${e.model}`;
      expect(e.source, id).toBe(SOURCE);
      expect(e.as_of, id).toBe('2026-02-24');
      expect(['chat', 'completion', 'embedding', 'responses', 'rerank', 'image_generation'], id).toContain(e.mode);
      for (const p of [e.input, e.output, e.cached_input, e.cache_write, e.reasoning, e.search_unit, e.image, e.image_input, e.image_output]) {
        if (p !== undefined) expect(Number.isSafeInteger(p) && p >= 0, `${id} price ${p}`).toBe(true);
      }
      // NVIDIA NIM and Vercel's gateway name models `org/model`, their own org among them; elsewhere this is a prefix left behind.
      if (e.provider !== 'nvidia' && e.provider !== 'vercel') expect(e.model.startsWith(`${e.provider}/`), id).toBe(false);
      expect(e.model.startsWith('ft:'), id).toBe(false);
    }
  });

  it('has a header naming source and date, and rounded only float noise and one half pico', () => {
    const info = catalogInfo();
    expect(info.source).toBe(SOURCE);
    expect(info.as_of).toBe('2026-02-24');
    // Databricks' prices are converted from DBUs and carry binary-float noise (2.99999e-6 written
    // 0.0000029999900000000002); Vertex's gemini-1.5-flash previews cost 4.6875e-9 $/token.
    for (const r of info.build_notes?.rounded ?? []) {
      const grid = /^(.+)\.image=([\d.e-]+)\*(\d+)$/.exec(r);
      if (grid) {
        // An image price-grid cell: per-pixel price × pixels, rounded to a whole pico-dollar.
        expect(catalog.get('openai', grid[1]!)?.image, r).toBe(Math.round(Number(grid[2]) * Number(grid[3]) * 1e12));
        continue;
      }
      const value = Number(r.slice(r.indexOf('=') + 1));
      const picos = value * 1e12;
      const off = Math.abs(picos - Math.round(picos));
      expect(r.startsWith('databricks/') ? off < 1e-6 : /^gemini-1\.5-flash-(exp-0827|preview-0514)\.output=4\.6875e-9$/.test(r), r).toBe(true);
    }
    expect(info.build_notes?.kept).toBe(catalog.size);
  });

  it('strips LiteLLM provider prefixes and renames providers', () => {
    expect(catalog.get('gemini', 'gemini-2.5-flash')?.context_window).toBe(1_048_576);
    expect(catalog.get('groq', 'llama-3.3-70b-versatile')?.input).toBe(590_000);
    expect(catalog.get('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo')).toBeDefined();
    expect(catalog.get('fireworks', 'accounts/fireworks/models/deepseek-v3')).toBeDefined();
    expect(catalog.get('openrouter', 'anthropic/claude-sonnet-4.5')).toBeDefined();
    expect(catalog.get('zhipu', 'glm-4.6')).toBeDefined();
    expect(catalog.get('lambda', 'hermes3-405b')).toBeDefined();
    expect(catalog.get('gemini', 'gemini/gemini-2.5-flash')).toBeUndefined();
  });

  it('keeps capabilities LiteLLM states', () => {
    const sonnet = catalog.get('anthropic', 'claude-sonnet-4-5');
    expect(sonnet?.capabilities).toMatchObject({ tools: true, vision: true, prompt_caching: true, reasoning: true });
    expect(sonnet?.max_output_tokens).toBe(64_000);
    expect(catalog.get('openai', 'text-embedding-3-small')?.mode).toBe('embedding');
    // Cohere's rerankers are billed per search ($0.002), Voyage's per token ($0.05/Mtok).
    expect(catalog.get('cohere', 'rerank-v3.5')).toMatchObject({ mode: 'rerank', search_unit: 2_000_000_000, input: 0 });
    expect(catalog.get('voyage', 'rerank-2')).toMatchObject({ mode: 'rerank', input: 50_000 });
    expect(catalog.get('voyage', 'rerank-2')?.search_unit).toBeUndefined();
  });
});

describe('lookups', () => {
  it('exact, then case-insensitive', () => {
    expect(catalog.get('openai', 'gpt-4o')?.model).toBe('gpt-4o');
    expect(catalog.get('openai', 'GPT-4o')?.model).toBe('gpt-4o');
    expect(catalog.get('openai', 'gpt-4o-2024-05-13')?.input).toBe(5_000_000); // the dated one has its own price
    expect(catalog.get('openai', 'no-such-model')).toBeUndefined();
    expect(catalog.get('no-such-provider', 'gpt-4o')).toBeUndefined();
  });

  it('strips an unknown date suffix to find the base entry', () => {
    expect(catalog.get('openai', 'gpt-4o-2099-01-01')?.model).toBe('gpt-4o');
    expect(catalog.get('anthropic', 'claude-sonnet-4-5-20991231')?.model).toBe('claude-sonnet-4-5');
    expect(catalog.get('anthropic', 'claude-sonnet-4-5@20250929')?.model).toBe('claude-sonnet-4-5');
  });

  it('finds the newest dated entry for an undated name that only exists dated', () => {
    expect(catalog.get('anthropic', 'claude-opus-4')?.model).toBe('claude-opus-4-20250514');
    expect(catalog.get('anthropic', 'claude-3-7-sonnet')?.model).toBe('claude-3-7-sonnet-20250219');
    // two snapshots of claude-3-5-sonnet: the newer wins
    expect(catalog.get('anthropic', 'claude-3-5-sonnet')?.model).toBe('claude-3-5-sonnet-20241022');
  });

  it('does not treat 4-digit version suffixes as dates', () => {
    expect(catalog.get('openai', 'gpt-4-9999')).toBeUndefined();
  });

  it('providerFor prefers the model maker over hosts and aggregators', () => {
    expect(catalog.providerFor('gpt-4o')).toBe('openai'); // also on azure
    expect(catalog.providerFor('claude-sonnet-4-5')).toBe('anthropic');
    expect(catalog.providerFor('gemini-2.5-flash')).toBe('gemini');
    expect(catalog.providerFor('mistral-large-latest')).toBe('mistral'); // also on azure
    expect(catalog.providerFor('deepseek-chat')).toBe('deepseek');
    expect(catalog.providerFor('grok-3')).toBe('xai');
    expect(catalog.providerFor('llama-3.3-70b-versatile')).toBe('groq');
    expect(catalog.providerFor('claude-opus-4')).toBe('anthropic');
    expect(catalog.providerFor('gpt-4o-2099-01-01')).toBe('openai');
    expect(catalog.providerFor('surely-not-a-model')).toBeUndefined();
  });

  it('list(provider) returns only that provider', () => {
    const mistral = catalog.list('mistral');
    expect(mistral.length).toBeGreaterThan(10);
    expect(mistral.every((e) => e.provider === 'mistral')).toBe(true);
    expect(catalog.list('nope')).toEqual([]);
  });

  it('entries are frozen', () => {
    const e = catalog.get('openai', 'gpt-4o') as CatalogEntry;
    expect(() => {
      (e as { input: number }).input = 1;
    }).toThrow(TypeError);
  });
});

describe('regional prices (Bedrock regions, Azure data zones)', () => {
  it("prices a model at its region's price when the catalog has one, else at the standard price", () => {
    // source: bedrock/eu-central-1/anthropic.claude-instant-v1 2.48e-06 in; anthropic.claude-instant-v1 8e-07.
    expect(catalog.get('bedrock', 'anthropic.claude-instant-v1', 'eu-central-1')).toMatchObject({ region: 'eu-central-1', input: 2_480_000 });
    expect(catalog.get('bedrock', 'anthropic.claude-instant-v1')).toMatchObject({ input: 800_000 });
    expect(catalog.get('bedrock', 'anthropic.claude-instant-v1')?.region).toBeUndefined();
    // no eu-central-1 price for Claude 3 Haiku: the standard one; an unknown region likewise.
    const haiku = catalog.get('bedrock', 'anthropic.claude-3-haiku-20240307-v1:0');
    expect(haiku?.region).toBeUndefined();
    expect(catalog.get('bedrock', 'anthropic.claude-3-haiku-20240307-v1:0', 'eu-central-1')).toBe(haiku);
    expect(catalog.get('bedrock', 'anthropic.claude-instant-v1', 'mars-north-1')?.input).toBe(800_000);
    // Azure data zone: azure/eu/gpt-4o-mini-2024-07-18 1.65e-07 in vs 1.65e-07 standard, cache read 8.3e-08 vs 7.5e-08.
    expect(catalog.get('azure', 'gpt-4o-mini-2024-07-18', 'eu')).toMatchObject({ region: 'eu', cached_input: 83_000 });
    expect(catalog.get('azure', 'gpt-4o-mini-2024-07-18')).toMatchObject({ cached_input: 75_000 });
  });

  it('never lists a regional price as a model: one id once per provider, none picked for a bare name', () => {
    const ids = catalog.list('bedrock').map((e) => e.model);
    expect(new Set(ids).size).toBe(ids.length);
    expect(catalog.list('bedrock').every((e) => e.region === undefined)).toBe(true);
    expect(catalog.list('azure').every((e) => e.region === undefined)).toBe(true);
    // …but they count as catalog entries (size = models.json).
    expect(catalog.list().filter((e) => e.region !== undefined)).toHaveLength(149);
    // GovCloud's price (3.3e-06 in, 1.65e-05 out) only for a provider there
    expect(catalog.get('bedrock', 'claude-sonnet-4-5-20250929-v1:0')).toMatchObject({ input: 3_000_000, output: 15_000_000 });
    expect(catalog.get('bedrock', 'claude-sonnet-4-5-20250929-v1:0', 'us-gov-west-1')).toMatchObject({ input: 3_300_000, output: 16_500_000 });
  });

  it('a pricing: override of a model replaces its regional prices too', () => {
    const c = catalog.withOverrides({ 'bedrock/anthropic.claude-instant-v1': { input_per_mtok_usd: 1, output_per_mtok_usd: 2 } });
    expect(c.get('bedrock', 'anthropic.claude-instant-v1', 'eu-central-1')).toMatchObject({ input: 1_000_000, output: 2_000_000, source: 'config' });
    expect(c.get('bedrock', 'anthropic.claude-v2:1', 'eu-central-1')?.region).toBe('eu-central-1');
  });
});

describe('withOverrides (config pricing:)', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('replaces the price set of an existing entry, keeping its context window and capabilities', () => {
    const c = catalog.withOverrides(
      { 'openai/gpt-4o': { input_per_mtok_usd: 2, output_per_mtok_usd: 8, source: 'openai.com/api/pricing 2026-03' } },
      now,
    );
    const e = c.get('openai', 'gpt-4o');
    expect(e).toMatchObject({ input: 2_000_000, output: 8_000_000, source: 'openai.com/api/pricing 2026-03' });
    expect(e?.as_of).toBe('2026-03-01');
    expect(e?.cached_input).toBeUndefined(); // not mixed with the older source's cache price
    expect(e?.context_window).toBe(128_000);
    expect(e?.capabilities.tools).toBe(true);
    expect(c.size).toBe(catalog.size);
    // the original is untouched, and dated snapshots keep their catalog price
    expect(catalog.get('openai', 'gpt-4o')?.input).toBe(2_500_000);
    expect(c.get('openai', 'gpt-4o-2024-08-06')?.input).toBe(2_500_000);
  });

  it('adds an unknown model with source "config" and today as its date', () => {
    const c = catalog.withOverrides(
      {
        'local/my-llama': {
          input_per_mtok_usd: 0.1,
          output_per_mtok_usd: 0.2,
          cached_input_per_mtok_usd: 0.01,
          cache_write_per_mtok_usd: 0.125,
          reasoning_per_mtok_usd: 0.3,
          max_output_tokens: 4096,
        },
      },
      now,
    );
    expect(c.get('local', 'my-llama')).toEqual({
      provider: 'local',
      model: 'my-llama',
      mode: 'chat',
      input: 100_000,
      output: 200_000,
      cached_input: 10_000,
      cache_write: 125_000,
      reasoning: 300_000,
      max_output_tokens: 4096,
      capabilities: {},
      source: 'config',
      as_of: '2026-03-01',
    });
    expect(c.providers()).toContain('local');
    expect(c.size).toBe(catalog.size + 1);
  });

  it('resolves a key without provider through providerFor, and keeps slashes in model ids', () => {
    const c = catalog.withOverrides(
      {
        'claude-haiku-4-5': { input_per_mtok_usd: 1, output_per_mtok_usd: 4 },
        'together/meta-llama/Llama-3.3-70B-Instruct-Turbo': { input_per_mtok_usd: 0.5, output_per_mtok_usd: 0.5 },
      },
      now,
    );
    expect(c.get('anthropic', 'claude-haiku-4-5')?.output).toBe(4_000_000);
    expect(c.get('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo')?.input).toBe(500_000);
  });

  it('rejects malformed prices with the key and field in the message', () => {
    expect(() => catalog.withOverrides({ 'openai/gpt-4o': { input_per_mtok_usd: -1, output_per_mtok_usd: 1 } })).toThrow(
      /pricing\.openai\/gpt-4o\.input_per_mtok_usd/,
    );
    expect(() =>
      catalog.withOverrides({ 'x/y': { input_per_mtok_usd: 1, output_per_mtok_usd: Number.NaN } }),
    ).toThrow(/output_per_mtok_usd/);
    expect(() =>
      catalog.withOverrides({ 'x/y': { input_per_mtok_usd: 0.0000001, output_per_mtok_usd: 1 } }),
    ).toThrow(/precision/);
    expect(() =>
      catalog.withOverrides({ 'x/y': { input_per_mtok_usd: 1, output_per_mtok_usd: 1, cached_per_mtok_usd: 0.1 } as never }),
    ).toThrow(/pricing\.x\/y\.cached_per_mtok_usd: unknown field/);
    expect(() =>
      catalog.withOverrides({ 'x/y': { input_per_mtok_usd: 1, output_per_mtok_usd: 1, mode: 'image' } as never }),
    ).toThrow(/mode/);
    expect(() => catalog.withOverrides({ 'unknown-bare-model': { input_per_mtok_usd: 1, output_per_mtok_usd: 1 } })).toThrow(
      /<provider>\/<model>/,
    );
  });
});

describe('Catalog on hand-made entries', () => {
  const mk = (provider: string, model: string): CatalogEntry => ({
    provider,
    model,
    mode: 'chat',
    input: 1,
    output: 1,
    capabilities: {},
    source: 't',
    as_of: '2026-01-01',
  });

  it('prefers the first-party provider regardless of entry order', () => {
    const c = new Catalog([mk('openrouter', 'shared'), mk('azure', 'shared'), mk('mistral', 'shared'), mk('zzz', 'shared')]);
    expect(c.providerFor('shared')).toBe('mistral');
    expect(new Catalog([mk('zzz', 'only'), mk('aaa', 'only')]).providerFor('only')).toBe('aaa');
  });

  it('resolves an undated bare name to the preferred provider even if a host has a newer snapshot', () => {
    const c = new Catalog([mk('anthropic', 'claude-x-20250101'), mk('openrouter', 'claude-x-20260101')]);
    expect(c.providerFor('claude-x')).toBe('anthropic');
    expect(c.get('openrouter', 'claude-x')?.model).toBe('claude-x-20260101');
  });

  it('picks the newest of several dated snapshots, across date formats', () => {
    const c = new Catalog([mk('p', 'm-2024-08-06'), mk('p', 'm-2025-01-31'), mk('p', 'm-2024-11-20')]);
    expect(c.get('p', 'm')?.model).toBe('m-2025-01-31');
    expect(c.get('p', 'm-2099-12-31')?.model).toBe('m-2025-01-31');
  });
});
