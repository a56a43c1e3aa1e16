/**
 * GET /v1/models lists the catalogued models of every configured provider, whatever its type,
 * under the provider's configured name — the native types (each filed under its registry catalog
 * name, Bedrock included) and presets alike — and nothing of providers that are not configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

describe('GET /v1/models over every configured provider type', () => {
  let gw: TestGateway;
  let ids: Set<string>;

  beforeAll(async () => {
    gw = await startGateway(`
providers:
  oa:       { type: openai, api_key: "sk-test-0123456789" }
  claude:   { type: anthropic, api_key: "sk-ant-test-0123456789" }
  gem:      { type: gemini, api_key: "gem-test-0123456789" }
  mis:      { type: mistral, api_key: "mis-test-0123456789" }
  aws:      { type: bedrock, region: eu-west-1, api_key: "bedrock-key-0123456789" }
  foundry:  { type: openai-compatible, preset: azure_ai, api_key: "az-test-0123456789" }
  vercel:   { type: openai-compatible, api_key: "vc-test-0123456789" }
`, { AZURE_AI_RESOURCE: 'res' });
    const res = await fetch(`${gw.url}/v1/models`);
    expect(res.status).toBe(200);
    ids = new Set(((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id));
  });
  afterAll(async () => {
    await gw?.close();
  });

  // Model ids written out by hand from the price source, so a provider filed under the wrong catalog name fails.
  it.each([
    ['oa', 'gpt-4o'],
    ['claude', 'claude-sonnet-4-5'],
    ['gem', 'gemini-2.5-flash'],
    ['mis', 'mistral-large-latest'],
    ['aws', 'anthropic.claude-3-5-sonnet-20240620-v1:0'],
    ['aws', 'amazon.titan-embed-text-v2:0'],
    ['aws', 'cohere.embed-english-v3'],
    ['foundry', 'Cohere-embed-v3-english'],
    ['vercel', 'anthropic/claude-sonnet-4'],
  ])('%s lists %s', (provider, model) => {
    expect(ids.has(`${provider}/${model}`)).toBe(true);
  });

  // Rerank models are kept only where the gateway reranks (Cohere, Jina, Voyage): not Bedrock's or Foundry's.
  it.each([
    ['aws', 'cohere.rerank-v3-5:0'],
    ['foundry', 'cohere-rerank-v3.5'],
  ])('%s does not list the reranker %s (no rerank route to it)', (provider, model) => {
    expect(ids.has(`${provider}/${model}`)).toBe(false);
  });

  it('lists every catalogued model of each configured provider, and only theirs', () => {
    const names = ['oa', 'claude', 'gem', 'mis', 'aws', 'foundry', 'vercel'];
    for (const name of names) {
      const p = gw.snapshot.providers.get(name)!;
      const models = gw.snapshot.catalog.list(p.catalogProvider);
      expect(models.length, name).toBeGreaterThan(0);
      for (const e of models) expect(ids.has(`${name}/${e.model}`), `${name}/${e.model}`).toBe(true);
    }
    const owners = new Set([...ids].map((id) => id.slice(0, id.indexOf('/'))));
    expect([...owners].filter((o) => !names.includes(o) && o !== 'mock')).toEqual([]);
  });
});
