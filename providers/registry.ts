import type { TProperties } from '@sinclair/typebox';
import type { ProviderAdapter } from './adapter.js';
import { anthropicAdapter } from './anthropic/index.js';
import { anthropicOptions } from './anthropic/options.js';
import { bedrockAdapter } from './bedrock/index.js';
import { BEDROCK_DEFAULT_BASE_URL } from './bedrock/endpoint.js';
import { bedrockOptions } from './bedrock/options.js';
import { configuredRegion } from './bedrock/auth.js';
import { capabilitiesOf, type ProviderCapabilities } from './capabilities.js';
import { cohereAdapter } from './cohere/index.js';
import { COHERE_DEFAULT_BASE_URL } from './cohere/endpoint.js';
import { geminiAdapter } from './gemini/index.js';
import { mistralAdapter } from './mistral/index.js';
import { mockAdapter } from './mock/index.js';
import { mockOptions } from './mock/options.js';
import { openAICompatibleOptions } from './openai-compatible/options.js';
import { openAICompatiblePresets, type OpenAICompatiblePreset } from './openai-compatible/presets.js';
import { openAIAdapter } from './openai/index.js';
import { openAIOptions } from './openai/options.js';
import { resolveVertexOptions } from './vertex/config.js';
import { VERTEX_DEFAULT_BASE_URL } from './vertex/endpoint.js';
import { vertexAdapter } from './vertex/index.js';
import { vertexOptions } from './vertex/options.js';

/**
 * The only place that lists provider types. Per type: its adapter, default base URL (the
 * official SDK's default, docs/contract.md §2), the fields a `providers.<name>` entry of this
 * type may carry beside the common ones (the config schema is built from them), the env vars
 * that configure it when the config lists no providers, the name the price catalog files its
 * models under, and its column of the parameter table (./capabilities.ts).
 * OpenAI-compatible hosts are presets over the OpenAI adapter (./openai-compatible/presets.ts),
 * not types of their own.
 */
export interface ProviderType {
  adapter: ProviderAdapter;
  defaultBaseUrl?: string;
  /** Type-specific `providers.<name>` fields (TypeBox), copied into `ProviderConfig.options`. */
  options: TProperties;
  /** API-key variable(s), first set wins: with no `providers:` in config, the type is configured under its own name. */
  envKeys?: readonly string[];
  /**
   * The host preset this type always uses (`openai`), or `'by-name'`: the entry's `preset`, else
   * the provider's name when it names a preset, else none (then `base_url` is required).
   */
  preset?: string;
  /**
   * Completes the entry's options once, when the provider is built from config: defaults from the
   * environment, credential files read and checked. Throws with the reason (start-up stops).
   */
  resolveOptions?(options: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown>;
  /** Options holding credentials (beside `api_key`): scrubbed from upstream text like the key. */
  secretOptions?: readonly string[];
  /** The catalog's provider name; absent: the preset's catalog name, else the preset's or the provider's name. */
  catalogName?: string;
  /**
   * The region or data zone whose catalog prices this provider pays (a Bedrock region, an Azure
   * data zone), from its resolved options; resolved once when the provider is built.
   */
  priceRegion?(options: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): string | undefined;
  capabilities: ProviderCapabilities;
}

const type = (name: string, t: Omit<ProviderType, 'capabilities' | 'options'> & { options?: TProperties }): ProviderType => ({
  options: {},
  ...t,
  capabilities: capabilitiesOf(name),
});

export const providerTypes: Readonly<Record<string, ProviderType>> = {
  openai: type('openai', { adapter: openAIAdapter, defaultBaseUrl: 'https://api.openai.com/v1', options: openAIOptions, preset: 'openai' }),
  'openai-compatible': type('openai-compatible', {
    adapter: openAIAdapter,
    options: openAICompatibleOptions,
    preset: 'by-name',
    priceRegion: (o) => (typeof o.data_zone === 'string' ? o.data_zone : undefined),
  }),
  anthropic: type('anthropic', {
    adapter: anthropicAdapter,
    defaultBaseUrl: 'https://api.anthropic.com',
    options: anthropicOptions,
    envKeys: ['ANTHROPIC_API_KEY'],
    catalogName: 'anthropic',
  }),
  gemini: type('gemini', {
    adapter: geminiAdapter,
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    envKeys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    catalogName: 'gemini',
  }),
  mistral: type('mistral', { adapter: mistralAdapter, defaultBaseUrl: 'https://api.mistral.ai', envKeys: ['MISTRAL_API_KEY'], catalogName: 'mistral' }),
  mock: type('mock', { adapter: mockAdapter, defaultBaseUrl: 'mock://local', options: mockOptions, catalogName: 'mock' }),
  // The base URL is the SDK's region template, filled in from `region` / AWS_REGION (bedrock/endpoint.ts).
  // Only a Bedrock API key configures it from the environment alone: an AWS key pair is not an API key.
  bedrock: type('bedrock', {
    adapter: bedrockAdapter,
    defaultBaseUrl: BEDROCK_DEFAULT_BASE_URL,
    options: bedrockOptions,
    envKeys: ['AWS_BEARER_TOKEN_BEDROCK'],
    secretOptions: ['secret_access_key', 'session_token'],
    catalogName: 'bedrock',
    priceRegion: configuredRegion,
  }),
  // Gemini and Claude models under one Google Cloud project (vertex/endpoint.ts picks the publisher
  // by model id); no API-key variable: configured only by a `providers:` entry.
  vertex: type('vertex', {
    adapter: vertexAdapter,
    defaultBaseUrl: VERTEX_DEFAULT_BASE_URL,
    options: vertexOptions,
    resolveOptions: resolveVertexOptions,
    secretOptions: ['private_key', 'access_token'],
    catalogName: 'vertex_ai',
  }),
  // CO_API_KEY is what Cohere's SDKs read; COHERE_API_KEY is the name most other tools use.
  cohere: type('cohere', { adapter: cohereAdapter, defaultBaseUrl: COHERE_DEFAULT_BASE_URL, envKeys: ['CO_API_KEY', 'COHERE_API_KEY'], catalogName: 'cohere' }),
};

/** The type a preset is configured as when only its env vars are set: the type that always uses it, else the by-name one. */
export function typeOfPreset(preset: string): string {
  const entries = Object.entries(providerTypes);
  return (entries.find(([, t]) => t.preset === preset) ?? entries.find(([, t]) => t.preset === 'by-name')!)[0];
}

/**
 * Every type's options in one property list, for the config schema: a field is accepted on any
 * entry (as it always was) and documented once. Two types sharing a field share its schema.
 */
export function allProviderOptions(): TProperties {
  const out: TProperties = {};
  for (const t of Object.values(providerTypes)) Object.assign(out, t.options);
  return out;
}

/** Every provider name the price catalog may file models under: the types' own, and each host preset's. */
export function catalogNames(): Set<string> {
  const presets = Object.entries(openAICompatiblePresets as Record<string, OpenAICompatiblePreset>).map(([name, p]) => p.catalogProvider ?? name);
  return new Set([...Object.values(providerTypes).flatMap((t) => (t.catalogName ? [t.catalogName] : [])), ...presets]);
}
