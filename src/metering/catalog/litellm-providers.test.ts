import { describe, expect, it } from 'vitest';
import { catalogNames } from '../../../providers/registry.js';
import { LITELLM_PROVIDERS } from './litellm-providers.js';

describe('the catalog build keeps prices under names the provider registry knows', () => {
  it('every tollgate name a LiteLLM provider is renamed to is a type or preset catalog name', () => {
    const known = new Set(catalogNames());
    expect(known.has('anthropic') && known.has('groq') && known.has('cohere') && known.has('vertex_ai') && !known.has('github_copilot')).toBe(true);
    const unknown = Object.entries(LITELLM_PROVIDERS).filter(([, m]) => !known.has(m.provider)).map(([lp, m]) => `${lp} → ${m.provider}`);
    expect(unknown).toEqual([]);
  });
});
