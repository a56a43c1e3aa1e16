import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import type { CatalogFile } from './types.js';
import { buildCatalog, buildReport, serialize } from './build.js';

/**
 * A hand-made slice of LiteLLM's table, one row per build rule (values copied from the
 * 2026-02-24 file where they exist there).
 */
const table = {
  sample_spec: { litellm_provider: 'one of https://docs.litellm.ai/docs/providers', mode: 'one of: chat, …' },
  'gpt-4o': {
    litellm_provider: 'openai',
    mode: 'chat',
    input_cost_per_token: 2.5e-6,
    output_cost_per_token: 1e-5,
    cache_read_input_token_cost: 1.25e-6,
    max_input_tokens: 128000,
    max_output_tokens: 16384,
    supports_function_calling: true,
    supports_vision: true,
    supports_response_schema: true,
    supports_prompt_caching: true,
  },
  'ft:gpt-4o-2024-08-06': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 3.75e-6, output_cost_per_token: 1.5e-5 },
  'dall-e-3': { litellm_provider: 'openai', mode: 'image_generation', output_cost_per_image: 0.04 },
  'gemini/gemini-2.5-flash': {
    litellm_provider: 'gemini',
    mode: 'chat',
    input_cost_per_token: 3e-7,
    output_cost_per_token: 2.5e-6,
    output_cost_per_reasoning_token: 2.5e-6,
    cache_read_input_token_cost: 3e-8,
  },
  'gemini-flash-latest': { litellm_provider: 'gemini', mode: 'chat', input_cost_per_token: 9e-7, output_cost_per_token: 9e-6 },
  'gemini/gemini-flash-latest': { litellm_provider: 'gemini', mode: 'chat', input_cost_per_token: 3e-7, output_cost_per_token: 2.5e-6 },
  'claude-sonnet-4-5': {
    litellm_provider: 'anthropic',
    mode: 'chat',
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    cache_read_input_token_cost: 3e-7,
    cache_creation_input_token_cost: 3.75e-6,
    cache_creation_input_token_cost_above_1hr: 6e-6,
    input_cost_per_token_above_200k_tokens: 6e-6,
    output_cost_per_token_above_200k_tokens: 2.25e-5,
    cache_read_input_token_cost_above_200k_tokens: 6e-7,
    cache_creation_input_token_cost_above_200k_tokens: 7.5e-6,
  },
  'deepseek/deepseek-v3.2': {
    litellm_provider: 'deepseek',
    mode: 'chat',
    input_cost_per_token: 2.8e-7,
    output_cost_per_token: 4.2e-7,
    input_cost_per_token_cache_hit: 2.8e-8,
  },
  'together-ai-4.1b-8b': { litellm_provider: 'together_ai', mode: 'chat', input_cost_per_token: 2e-7, output_cost_per_token: 2e-7 },
  'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo': {
    litellm_provider: 'together_ai',
    mode: 'chat',
    input_cost_per_token: 8.8e-7,
    output_cost_per_token: 8.8e-7,
  },
  'azure/eu/gpt-4o-2024-08-06': { litellm_provider: 'azure', mode: 'chat', input_cost_per_token: 2.75e-6, output_cost_per_token: 1.1e-5 },
  'azure/gpt-4o': { litellm_provider: 'azure', mode: 'chat', input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5 },
  'github_copilot/gpt-4o': { litellm_provider: 'github_copilot', mode: 'chat' },
  'bedrock/anthropic.claude-v2': { litellm_provider: 'bedrock', mode: 'chat', input_cost_per_token: 8e-6, output_cost_per_token: 2.4e-5 },
  'openai/container': { litellm_provider: 'openai', mode: 'chat' },
  'mistral/mistral-embed': { litellm_provider: 'mistral', mode: 'embedding', input_cost_per_token: 1e-7 },
  'dashscope/qwen-flash': {
    litellm_provider: 'dashscope',
    mode: 'chat',
    tiered_pricing: [
      { input_cost_per_token: 2.5e-7, output_cost_per_token: 2e-6, range: [256000, 1000000] },
      { input_cost_per_token: 5e-8, output_cost_per_token: 4e-7, range: [0, 256000] },
    ],
  },
  'zai/glm-4.6': { litellm_provider: 'zai', mode: 'chat', input_cost_per_token: 6e-7, output_cost_per_token: 2.2e-6 },
  // made up: the real 4.6875e-9 price belongs to a vertex_ai entry, which tollgate does not keep
  'gemini/gemini-1.5-flash-exp-0827': { litellm_provider: 'gemini', mode: 'chat', input_cost_per_token: 0, output_cost_per_token: 4.6875e-9 },
  'bedrock/us-east-1/anthropic.claude-v2': { litellm_provider: 'bedrock', mode: 'chat', input_cost_per_token: 8e-6, output_cost_per_token: 2.4e-5 },
  'bedrock/*/1-month-commitment/cohere.command-text-v14': { litellm_provider: 'bedrock', mode: 'chat', input_cost_per_second: 0.011 },
  'rerank-v3.5': { litellm_provider: 'cohere', mode: 'rerank', input_cost_per_query: 0.002, input_cost_per_token: 0, output_cost_per_token: 0 },
  'gemini/imagen-4.0-generate-001': { litellm_provider: 'gemini', mode: 'image_generation', output_cost_per_image: 0.04 },
  '1024-x-1024/dall-e-2': { litellm_provider: 'openai', mode: 'image_generation', input_cost_per_pixel: 1.9e-8 },
  'hd/1024-x-1792/dall-e-3': { litellm_provider: 'openai', mode: 'image_generation', input_cost_per_pixel: 6.539e-8, output_cost_per_pixel: 0 },
  '1024-x-1024/50-steps/bedrock/amazon.nova-canvas-v1:0': { litellm_provider: 'bedrock', mode: 'image_generation', output_cost_per_image: 0.06 },
  'gpt-image-1': { litellm_provider: 'openai', mode: 'image_generation', input_cost_per_token: 5e-6, input_cost_per_image_token: 1e-5, output_cost_per_image_token: 4e-5, cache_read_input_token_cost: 1.25e-6 },
  'vertex_ai/claude-3-5-haiku@20241022': { litellm_provider: 'vertex_ai-anthropic_models', mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 5e-6 },
  'whisper-1': { litellm_provider: 'openai', mode: 'audio_transcription', input_cost_per_second: 0.0001 },
};

describe('buildCatalog', () => {
  const file = buildCatalog(table);
  const byId = new Map(file.models.map((m) => [m.region ? `${m.provider}/${m.region}/${m.model}` : `${m.provider}/${m.model}`, m]));

  it('keeps supported chat/completion/embedding models with prefixes stripped and providers renamed', () => {
    expect([...byId.keys()]).toEqual([
      'anthropic/claude-sonnet-4-5',
      'azure/gpt-4o',
      'azure/eu/gpt-4o-2024-08-06',
      'bedrock/1024-x-1024/50-steps/amazon.nova-canvas-v1:0',
      'bedrock/anthropic.claude-v2',
      'bedrock/us-east-1/anthropic.claude-v2',
      'cohere/rerank-v3.5',
      'dashscope/qwen-flash',
      'deepseek/deepseek-v3.2',
      'gemini/gemini-1.5-flash-exp-0827',
      'gemini/gemini-2.5-flash',
      'gemini/gemini-flash-latest',
      'gemini/imagen-4.0-generate-001',
      'mistral/mistral-embed',
      'openai/1024-x-1024/dall-e-2',
      'openai/dall-e-3',
      'openai/gpt-4o',
      'openai/gpt-image-1',
      'openai/hd/1024-x-1792/dall-e-3',
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'vertex_ai/claude-3-5-haiku@20241022',
      'zhipu/glm-4.6',
    ]);
    expect(file.build_notes?.skipped).toEqual({
      provider_not_supported: 2, // sample_spec, github_copilot
      mode_not_supported: 1, // whisper-1 (priced per second)
      bedrock_provisioned_throughput: 1,
      fine_tune_template: 1,
      together_size_bucket: 1,
      no_token_price: 1,
      duplicate: 1,
    });
  });

  it('converts $/token to integer µ$/Mtok and keeps the fields tollgate uses', () => {
    expect(byId.get('openai/gpt-4o')).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      mode: 'chat',
      input: 2_500_000,
      output: 10_000_000,
      cached_input: 1_250_000,
      context_window: 128000,
      max_output_tokens: 16384,
      capabilities: { tools: true, vision: true, json_schema: true, prompt_caching: true },
      source: file.source,
      as_of: '2026-02-24',
    });
  });

  it('keeps Bedrock regional and Azure data-zone prices as entries with a region, beside the standard one', () => {
    expect(byId.get('bedrock/us-east-1/anthropic.claude-v2')).toMatchObject({ provider: 'bedrock', model: 'anthropic.claude-v2', region: 'us-east-1', input: 8_000_000, source: file.source, as_of: '2026-02-24' });
    expect(byId.get('azure/eu/gpt-4o-2024-08-06')).toMatchObject({ provider: 'azure', model: 'gpt-4o-2024-08-06', region: 'eu', input: 2_750_000, output: 11_000_000 });
    expect(byId.get('bedrock/anthropic.claude-v2')?.region).toBeUndefined();
  });

  it('turns above-200k prices into a tier and drops the 1-hour cache price', () => {
    const e = byId.get('anthropic/claude-sonnet-4-5');
    expect(e).toMatchObject({ input: 3_000_000, output: 15_000_000, cached_input: 300_000, cache_write: 3_750_000 });
    expect(e?.tiers).toEqual([
      { above_input_tokens: 200_000, input: 6_000_000, output: 22_500_000, cached_input: 600_000, cache_write: 7_500_000 },
    ]);
  });

  it('keeps a reasoning price only when it differs, and reads DeepSeek cache_hit as the cached price', () => {
    expect(byId.get('gemini/gemini-2.5-flash')?.reasoning).toBeUndefined();
    expect(byId.get('deepseek/deepseek-v3.2')?.cached_input).toBe(28_000);
  });

  it('prefers the provider-prefixed key on a collision', () => {
    expect(byId.get('gemini/gemini-flash-latest')?.input).toBe(300_000);
  });

  it('builds DashScope tiered_pricing into base + tiers, whatever the order', () => {
    const e = byId.get('dashscope/qwen-flash');
    expect(e).toMatchObject({ input: 50_000, output: 400_000 });
    expect(e?.tiers).toEqual([{ above_input_tokens: 256_000, input: 250_000, output: 2_000_000 }]);
  });

  it('gives embeddings without an output price an output price of 0', () => {
    expect(byId.get('mistral/mistral-embed')).toMatchObject({ mode: 'embedding', input: 100_000, output: 0 });
  });

  it('prices rerank per search unit and image models per image, in pico-dollars (integers)', () => {
    expect(byId.get('cohere/rerank-v3.5')).toMatchObject({ mode: 'rerank', input: 0, output: 0, search_unit: 2_000_000_000 });
    expect(byId.get('gemini/imagen-4.0-generate-001')).toMatchObject({ mode: 'image_generation', input: 0, output: 0, image: 40_000_000_000 });
    expect(byId.get('openai/dall-e-3')?.image).toBe(40_000_000_000);
  });

  it('keeps rerank models: a per-query price becomes search_unit (pico-dollars), a per-token one stays at input', () => {
    const built = buildCatalog({
      'rerank-v3.5': { litellm_provider: 'cohere', mode: 'rerank', input_cost_per_query: 0.002, input_cost_per_token: 0, output_cost_per_token: 0 },
      'voyage/rerank-2': { litellm_provider: 'voyage', mode: 'rerank', input_cost_per_token: 5e-8 },
    });
    expect(built.models).toEqual([
      expect.objectContaining({ provider: 'cohere', model: 'rerank-v3.5', mode: 'rerank', search_unit: 2_000_000_000, input: 0, output: 0 }),
      expect.objectContaining({ provider: 'voyage', model: 'rerank-2', mode: 'rerank', input: 50_000, output: 0 }),
    ]);
    expect(built.models[1]).not.toHaveProperty('search_unit');
  });

  it('keeps each image price-grid key as an entry naming its model, size, quality and steps; per-pixel prices × pixels', () => {
    // $1.9e-8 × 1024 × 1024 px = $0.019922944; $6.539e-8 × 1024 × 1792 px = $0.11999117312
    expect(byId.get('openai/1024-x-1024/dall-e-2')).toMatchObject({ mode: 'image_generation', input: 0, output: 0, image: 19_922_944_000, image_variant: { of: 'dall-e-2', size: '1024x1024' } });
    expect(byId.get('openai/hd/1024-x-1792/dall-e-3')).toMatchObject({ image: 119_991_173_120, image_variant: { of: 'dall-e-3', size: '1024x1792', quality: 'hd' } });
    expect(byId.get('bedrock/1024-x-1024/50-steps/amazon.nova-canvas-v1:0')).toMatchObject({ image: 60_000_000_000, image_variant: { of: 'amazon.nova-canvas-v1:0', size: '1024x1024', steps: '50' } });
    for (const e of file.models.filter((m) => m.image_variant)) expect([e.source, e.as_of]).toEqual([file.source, '2026-02-24']);
  });

  it('prices gpt-image-1 by text and image tokens (no text output price: 0)', () => {
    expect(byId.get('openai/gpt-image-1')).toMatchObject({ mode: 'image_generation', input: 5_000_000, output: 0, cached_input: 1_250_000, image_input: 10_000_000, image_output: 40_000_000 });
    expect(byId.get('openai/gpt-image-1')?.image).toBeUndefined();
  });

  it('rounds a sub-pico price half up and records it', () => {
    expect(byId.get('gemini/gemini-1.5-flash-exp-0827')?.output).toBe(4688); // 4687.5 → 4688
    expect(file.build_notes?.rounded).toEqual(['gemini/gemini-1.5-flash-exp-0827.output=4.6875e-9']);
  });

  it('serializes deterministically with sorted keys, one model per line', () => {
    const text = serialize(file);
    expect(serialize(buildCatalog(table))).toBe(text);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(file)));
    const lines = text.split('\n').filter((l) => l.startsWith('    {'));
    expect(lines).toHaveLength(file.models.length);
    expect(lines[0]).toMatch(/^ {4}\{"as_of":"2026-02-24","cache_write":/);
  });
});

describe('buildReport', () => {
  const report = buildReport(table);

  it('counts what was kept per provider and mode', () => {
    expect(report).toContain('Kept: **22** priced entries from 12 providers');
    expect(report).toMatch(/\| openai \| 1 \| 0 \| 0 \| 0 \| 0 \| 4 \| 5 \|/);
    expect(report).toMatch(/\| cohere \| 0 \| 0 \| 0 \| 0 \| 1 \| 0 \| 1 \|/);
    expect(report).toMatch(/\| gemini \| 3 \| 0 \| 0 \| 0 \| 0 \| 1 \| 4 \|/);
  });

  it('lists every skipped key under its reason, unsupported providers with why', () => {
    const file = buildCatalog(table);
    const listed = [...report.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const kept = new Set(file.models.map((m) => [m.provider, m.region, m.model].filter(Boolean).join('/')));
    const skippedTotal = Object.values(file.build_notes!.skipped).reduce((a, b) => a + b, 0);
    expect(skippedTotal).toBe(Object.keys(table).length - kept.size);
    for (const key of ['sample_spec', 'github_copilot/gpt-4o', 'whisper-1', 'bedrock/*/1-month-commitment/cohere.command-text-v14', 'ft:gpt-4o-2024-08-06', 'gemini-flash-latest']) {
      expect(listed).toContain(key);
    }
    expect(report).toContain('**github_copilot**: a Copilot subscription, not GitHub Models: no token prices (1)');
    expect(report).toMatch(/### duplicate \(1\)[\s\S]*\*\*gemini\/gemini-flash-latest\*\* \(1\): `gemini-flash-latest`/);
  });
});

const source = fileURLToPath(new URL('./source/litellm-model-prices-2026-02-24.json', import.meta.url));

describe('checked-in models.json', () => {
  it('is exactly what build.ts makes from the committed source (source/litellm-model-prices-2026-02-24.json)', () => {
    const built = serialize(buildCatalog(JSON.parse(readFileSync(source, 'utf8'))));
    const checkedIn = readFileSync(new URL('./models.json', import.meta.url), 'utf8');
    expect(built === checkedIn).toBe(true);
  });

  it('build-report.md beside it is exactly what build.ts makes too', () => {
    const built = buildReport(JSON.parse(readFileSync(source, 'utf8')));
    expect(built === readFileSync(new URL('./build-report.md', import.meta.url), 'utf8')).toBe(true);
  });

  it('holds at least 2,000 priced entries (149 regional prices and the 59 image price-grid cells among them), each with its source and date', () => {
    const file = JSON.parse(readFileSync(new URL('./models.json', import.meta.url), 'utf8')) as CatalogFile;
    expect(file.models.length).toBeGreaterThanOrEqual(2_000);
    expect(file.models.filter((m) => m.image_variant)).toHaveLength(59);
    expect(file.models.every((m) => m.source === file.source && m.as_of === '2026-02-24')).toBe(true);
  });

  it('keeps the 103 Bedrock regional and 46 Azure data-zone prices of the source, at its prices', () => {
    const file = JSON.parse(readFileSync(new URL('./models.json', import.meta.url), 'utf8')) as CatalogFile;
    const regional = file.models.filter((m) => m.region !== undefined);
    expect(regional.filter((m) => m.provider === 'bedrock')).toHaveLength(103);
    // 48 keys; azure/global/gpt-4o-2024-{08-06,11-20} name the same Global Standard prices as azure/global-standard/….
    expect(regional.filter((m) => m.provider === 'azure')).toHaveLength(46);
    expect(new Set(regional.filter((m) => m.provider === 'azure').map((m) => m.region))).toEqual(new Set(['eu', 'us', 'global-standard']));
    const find = (provider: string, region: string | undefined, model: string) =>
      file.models.find((m) => m.provider === provider && m.region === region && m.model === model);
    // "bedrock/eu-central-1/anthropic.claude-instant-v1": 2.48e-06 in, 8.38e-06 out; the standard key 8e-07, 2.4e-06.
    expect(find('bedrock', 'eu-central-1', 'anthropic.claude-instant-v1')).toMatchObject({ input: 2_480_000, output: 8_380_000 });
    expect(find('bedrock', undefined, 'anthropic.claude-instant-v1')).toMatchObject({ input: 800_000, output: 2_400_000 });
    // "bedrock/us-gov-west-1/anthropic.claude-3-haiku-20240307-v1:0": 3e-07, 1.5e-06.
    expect(find('bedrock', 'us-gov-west-1', 'anthropic.claude-3-haiku-20240307-v1:0')).toMatchObject({ input: 300_000, output: 1_500_000 });
    // "azure/eu/gpt-4o-mini-2024-07-18": 1.65e-07, 6.6e-07, cache read 8.3e-08 (standard: 7.5e-08).
    expect(find('azure', 'eu', 'gpt-4o-mini-2024-07-18')).toMatchObject({ input: 165_000, output: 660_000, cached_input: 83_000 });
    // "azure/global/gpt-5.1": 1.25e-06, 1e-05.
    expect(find('azure', 'global-standard', 'gpt-5.1')).toMatchObject({ input: 1_250_000, output: 10_000_000 });
  });

  it('stays a few hundred KB', () => {
    const bytes = readFileSync(new URL('./models.json', import.meta.url)).length;
    // 1,800+ entries, each naming its source: ~0.4 KB an entry.
    expect(bytes).toBeLessThan(800_000);
  });
});
