/**
 * Regional prices, billed for real: the `openai` SDK → the gateway → a SigV4-signed Bedrock mock
 * (test/mocks/bedrock.ts, which checks the signature for the region the gateway signed for) and
 * an Azure OpenAI mock. Every cost below is computed by hand from the committed price source
 * (src/metering/catalog/source/litellm-model-prices-2026-02-24.json), no `pricing:` involved:
 *   bedrock/eu-central-1/anthropic.claude-instant-v1   2.48e-06 in, 8.38e-06 out ($/token)
 *   bedrock/us-east-1/anthropic.claude-instant-v1       8e-07 in,   2.4e-06 out (= the standard key)
 *   meta.llama3-8b-instruct-v1:0 (no eu-central-1 key)   3e-07 in,   6e-07 out
 *   azure/eu/gpt-4o-2024-08-06                            2.75e-06 in, 1.1e-05 out
 *   azure/gpt-4o-2024-08-06 (standard)                    2.5e-06 in,  1e-05 out
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { BEDROCK_MOCK_CREDENTIALS, bedrockMockHandler, bedrockResponse, startBedrockMock } from '../mocks/bedrock.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { openaiCompletion, startOpenAIMock } from '../mocks/openai.js';
import { recordOf } from '../native/helpers.js';
import { createCheckingFetch } from '../openapi/validate.js';

const { accessKeyId, secretAccessKey } = BEDROCK_MOCK_CREDENTIALS;
let bedrock: HttpMock;
let azure: HttpMock;
let gw: TestGateway;
let client: OpenAI;
const checker = createCheckingFetch();

beforeAll(async () => {
  bedrock = await startBedrockMock(bedrockMockHandler(() => bedrockResponse({ text: 'ok', usage: { inputTokens: 1000, outputTokens: 500 } })));
  azure = await startOpenAIMock(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 1000, completion_tokens: 500 } }));
  const aws = `access_key_id: ${accessKeyId}, secret_access_key: "${secretAccessKey}"`;
  gw = await startGateway(`
providers:
  frankfurt: { type: bedrock, base_url: "${bedrock.url}", region: eu-central-1, ${aws} }
  virginia:  { type: bedrock, base_url: "${bedrock.url}", region: us-east-1, ${aws} }
  azure_eu:  { type: openai-compatible, preset: azure, api_key: "azure-secret-123456", base_url: "${azure.url}/openai", data_zone: eu }
  azure_std: { type: openai-compatible, preset: azure, api_key: "azure-secret-123456", base_url: "${azure.url}/openai" }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0, fetch: checker.fetch });
});
afterAll(async () => {
  await gw?.close();
  await bedrock?.close();
  await azure?.close();
});
afterEach(() => checker.assertClean());

/** One chat call; its cost header and the cost on its usage record. */
async function billed(model: string): Promise<{ header: string | null; recorded: number }> {
  const { response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  const rec = await recordOf(gw, response.headers.get('x-request-id'));
  return { header: response.headers.get('x-tollgate-cost-usd'), recorded: rec.costNanos };
}

describe('Bedrock: the configured region picks the price', () => {
  it('a provider in eu-central-1 pays the Frankfurt price', async () => {
    // 1000 × 2.48e-06 + 500 × 8.38e-06 = 0.00248 + 0.00419 = $0.00667
    expect(await billed('frankfurt/anthropic.claude-instant-v1')).toEqual({ header: '0.006670', recorded: 6_670_000 });
    expect(bedrock.requests.at(-1)!.headers.authorization).toContain('/eu-central-1/bedrock/aws4_request');
  });

  it('a provider in us-east-1 pays the standard price', async () => {
    // 1000 × 8e-07 + 500 × 2.4e-06 = 0.0008 + 0.0012 = $0.002
    expect(await billed('virginia/anthropic.claude-instant-v1')).toEqual({ header: '0.002000', recorded: 2_000_000 });
  });

  it('a model with no price in the region falls back to the standard price', async () => {
    // 1000 × 3e-07 + 500 × 6e-07 = 0.0003 + 0.0003 = $0.0006
    expect(await billed('frankfurt/meta.llama3-8b-instruct-v1:0')).toEqual({ header: '0.000600', recorded: 600_000 });
  });
});

describe('Azure OpenAI: data_zone picks the price', () => {
  it('data_zone: eu pays the EU data-zone price; no data_zone the standard one', async () => {
    // 1000 × 2.75e-06 + 500 × 1.1e-05 = 0.00275 + 0.0055 = $0.00825
    expect(await billed('azure_eu/gpt-4o-2024-08-06')).toEqual({ header: '0.008250', recorded: 8_250_000 });
    expect(azure.requests.at(-1)!.path).toBe('/openai/deployments/gpt-4o-2024-08-06/chat/completions?api-version=2024-10-21');
    // 1000 × 2.5e-06 + 500 × 1e-05 = 0.0025 + 0.005 = $0.0075
    expect(await billed('azure_std/gpt-4o-2024-08-06')).toEqual({ header: '0.007500', recorded: 7_500_000 });
  });

  it('lists the model once per provider in GET /v1/models, whatever its regional prices', async () => {
    const ids = (await client.models.list()).data.map((m) => m.id).filter((id) => id.startsWith('azure_eu/'));
    expect(ids).toContain('azure_eu/gpt-4o-2024-08-06');
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the price region is resolved once, at config load', () => {
  const snap = (yaml: string, env: Record<string, string> = {}) => buildSnapshot(parseConfigText(yaml, env), env);

  it('Bedrock: the entry region, else AWS_REGION, else AWS_DEFAULT_REGION', () => {
    const yaml = 'providers:\n  a: { type: bedrock, region: eu-west-2, api_key: k }\n  b: { type: bedrock, api_key: k }\n';
    const s = snap(yaml, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' });
    expect(s.providers.get('a')!.priceRegion).toBe('eu-west-2');
    expect(s.providers.get('b')!.priceRegion).toBe('ap-south-1');
    expect(snap(yaml, { AWS_DEFAULT_REGION: 'sa-east-1' }).providers.get('b')!.priceRegion).toBe('sa-east-1');
    expect(snap(yaml).providers.get('b')!.priceRegion).toBeUndefined();
  });

  it('Azure: data_zone, one of eu | us | global-standard (the config schema refuses others)', () => {
    const s = snap('providers:\n  z: { type: openai-compatible, preset: azure, base_url: "https://r.openai.azure.com/openai", data_zone: global-standard }\n');
    expect(s.providers.get('z')!.priceRegion).toBe('global-standard');
    expect(() => snap('providers:\n  z: { type: openai-compatible, preset: azure, base_url: "https://r.openai.azure.com/openai", data_zone: mars }\n')).toThrow(/data_zone/);
  });
});
