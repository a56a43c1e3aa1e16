import type { ProviderAdapter } from './adapter.js';
import { anthropicAdapter } from './anthropic/index.js';
import { geminiAdapter } from './gemini/index.js';
import { mistralAdapter } from './mistral/index.js';
import { mockAdapter } from './mock/index.js';
import { openAIAdapter } from './openai/index.js';

/**
 * The only place that lists provider types: type → adapter and default base URL
 * (the official SDK's default, docs/contract.md §2). OpenAI-compatible hosts are presets over the OpenAI
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
  anthropic: { adapter: anthropicAdapter, defaultBaseUrl: 'https://api.anthropic.com', envKeys: ['ANTHROPIC_API_KEY'] },
  gemini: { adapter: geminiAdapter, defaultBaseUrl: 'https://generativelanguage.googleapis.com', envKeys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
  mistral: { adapter: mistralAdapter, defaultBaseUrl: 'https://api.mistral.ai', envKeys: ['MISTRAL_API_KEY'] },
  mock: { adapter: mockAdapter, defaultBaseUrl: 'mock://local' },
};
