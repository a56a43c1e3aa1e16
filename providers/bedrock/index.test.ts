import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import { bedrockAdapter, buildConverseRequest, signBedrockRequest } from './index.js';

const cfg = (over: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'aws',
  type: 'bedrock',
  baseUrl: 'https://bedrock-runtime.{region}.amazonaws.com',
  headers: {},
  options: { region: 'eu-central-1' },
  ...over,
});
const req = { model: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }], stream: false };
const NOW = new Date('2026-12-03T12:00:00Z');

describe('bedrock adapter', () => {
  it('posts to the region\'s runtime endpoint, the model id as one encoded segment', () => {
    const up = buildConverseRequest(req, cfg());
    expect(up.url).toBe('https://bedrock-runtime.eu-central-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(JSON.parse(up.body!)).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    expect(up.headers.authorization).toBeUndefined();
    expect(buildConverseRequest(req, cfg({ baseUrl: 'http://127.0.0.1:9/' })).url).toBe('http://127.0.0.1:9/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
  });

  it('streams from converse-stream, asking for the binary event stream', () => {
    const up = buildConverseRequest({ ...req, stream: true }, cfg());
    expect(up.url).toMatch(/\/converse-stream$/);
    expect(up.headers.accept).toBe('application/vnd.amazon.eventstream');
  });

  it('signs with SigV4 from the environment\'s credentials, scoped to the region and the bedrock service', async () => {
    const up = buildConverseRequest(req, cfg());
    const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'tok' };
    const signed = await signBedrockRequest(up, cfg(), NOW, env);
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261203\/eu-central-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(signed.body).toBe(up.body);
    // Same inputs, same signature: nothing but the given time goes in.
    expect((await signBedrockRequest(up, cfg(), NOW, env)).headers.authorization).toBe(signed.headers.authorization);
  });

  it('sends a Bedrock API key as a bearer token instead of signing', async () => {
    const signed = await signBedrockRequest(buildConverseRequest(req, cfg()), cfg({ apiKey: 'ABSK-example' }), NOW, {});
    expect(signed.headers.authorization).toBe('Bearer ABSK-example');
    expect(signed.headers['x-amz-date']).toBeUndefined();
  });

  it('is wired as a signing adapter', () => {
    expect(bedrockAdapter.sign).toBe(signBedrockRequest);
    expect(bedrockAdapter.usageFromBody({ usage: { inputTokens: 3, outputTokens: 4, cacheReadInputTokens: 2 } })).toEqual({ inputTokens: 5, outputTokens: 4, cachedInputTokens: 2 });
  });
});
