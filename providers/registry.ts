import type { ProviderAdapter } from './adapter.js';
import { mockAdapter } from './mock/index.js';
import { openAIAdapter } from './openai/index.js';

/**
 * The only place that lists provider types (STYLE §2): type → adapter and default base URL
 * (the official SDK's default, SPEC §2). OpenAI-compatible hosts are presets over the OpenAI
 * adapter (./openai-compatible/presets.ts), not types of their own.
 */
export interface ProviderType {
  adapter: ProviderAdapter;
  defaultBaseUrl?: string;
  /** Environment variable(s) that configure this provider when no config file lists providers. */
  envKeys?: string[];
}

export const providerTypes: Record<string, ProviderType> = {
  openai: { adapter: openAIAdapter, defaultBaseUrl: 'https://api.openai.com/v1' },
  'openai-compatible': { adapter: openAIAdapter },
  mock: { adapter: mockAdapter, defaultBaseUrl: 'mock://local' },
};
