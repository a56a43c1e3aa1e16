import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/load.js';
import { buildSnapshot } from '../src/config/snapshot.js';
import { ProviderEntry } from '../src/config/schema.js';
import { validateConfig } from '../src/config/validate.js';
import { PROVIDER_TYPE_NAMES } from './capabilities.js';
import { providerTypes } from './registry.js';

describe('provider registry', () => {
  it('is the config schema: its types are the accepted `type` values, its options the accepted fields', () => {
    const accepted = (ProviderEntry.properties.type.anyOf as Array<{ const: string }>).map((l) => l.const);
    expect(accepted).toEqual(Object.keys(providerTypes));
    for (const t of Object.values(providerTypes)) for (const key of Object.keys(t.options)) expect(ProviderEntry.properties).toHaveProperty(key);
    expect(() => validateConfig({ providers: { x: { type: 'watsonx' } } })).toThrow(
      'providers.x.type: must be one of "openai", "openai-compatible", "anthropic", "gemini", "mistral", "mock", "bedrock", "vertex", "cohere"',
    );
    expect(() => validateConfig({ providers: { x: { type: 'anthropic', default_max_tokens: 0 } } })).toThrow('providers.x.default_max_tokens: must be >= 1');
  });

  it("gives every type a column of the parameter table", () => {
    expect(Object.keys(providerTypes)).toEqual([...PROVIDER_TYPE_NAMES]);
    expect(providerTypes.gemini!.capabilities.openai.seed).toEqual({ status: 'mapped', to: 'generationConfig.seed' });
    expect(providerTypes.anthropic!.capabilities.anthropic.top_k).toEqual({ status: 'passed' });
  });

  it("configures a type from its env vars alone, under its own name and catalog name", () => {
    const snap = buildSnapshot(parseConfigText('', {}), { GOOGLE_API_KEY: 'AIzaTestKey000000000000000', MISTRAL_API_KEY: 'mk-test-1234567890', GROQ_API_KEY: 'gsk_test_1234567890' });
    expect([...snap.providers.keys()].sort()).toEqual(['gemini', 'groq', 'mistral', 'mock']);
    expect(snap.providers.get('gemini')!.config.apiKey).toBe('AIzaTestKey000000000000000');
    expect(snap.providers.get('groq')!.config.type).toBe('openai-compatible');
    expect(Object.fromEntries([...snap.providers].map(([n, p]) => [n, p.catalogProvider]))).toEqual({ gemini: 'gemini', groq: 'groq', mistral: 'mistral', mock: 'mock' });
  });

  it('configures Cohere from CO_API_KEY (its SDK\'s variable), else COHERE_API_KEY, at api.cohere.com', () => {
    const both = buildSnapshot(parseConfigText('', {}), { CO_API_KEY: 'co-sdk-key-1234567890', COHERE_API_KEY: 'co-other-key-1234567890' }).providers.get('cohere')!;
    expect(both.config).toMatchObject({ type: 'cohere', apiKey: 'co-sdk-key-1234567890', baseUrl: 'https://api.cohere.com' });
    expect(both.catalogProvider).toBe('cohere');
    expect(buildSnapshot(parseConfigText('', {}), { COHERE_API_KEY: 'co-other-key-1234567890' }).providers.get('cohere')!.config.apiKey).toBe('co-other-key-1234567890');
  });

  it("OpenAI's own key configures the `openai` type (its preset), not an openai-compatible host", () => {
    const snap = buildSnapshot(parseConfigText('', {}), { OPENAI_API_KEY: 'sk-test-1234567890' });
    expect(snap.providers.get('openai')!.config).toMatchObject({ type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-1234567890', options: { auth: 'bearer' } });
    expect(snap.providers.get('openai')!.catalogProvider).toBe('openai');
  });

  it("copies a type's options into the provider's config; a host preset supplies auth and Azure's api_version", () => {
    const yaml = [
      'providers:',
      '  claude: { type: anthropic, api_key: k, default_max_tokens: 8192 }',
      '  az: { type: openai-compatible, preset: azure, base_url: "https://r.openai.azure.com/openai", stream_usage: false }',
      '  own: { type: openai-compatible }',
    ].join('\n');
    expect(() => buildSnapshot(parseConfigText(yaml, {}), {})).toThrow('providers.own: base_url is required for an openai-compatible provider without a preset');
    const snap = buildSnapshot(parseConfigText(yaml.split('\n').slice(0, 3).join('\n'), {}), {});
    expect(snap.providers.get('claude')!.config.options).toEqual({ default_max_tokens: 8192 });
    expect(snap.providers.get('az')!.config.options).toEqual({ auth: 'api-key', deployment_in_path: true, api_version: '2024-10-21', stream_usage: false });
    expect(snap.providers.get('az')!.catalogProvider).toBe('azure');
  });
});
