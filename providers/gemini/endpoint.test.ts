import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import { geminiEndpoint } from './endpoint.js';

const cfg = (over: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'gemini',
  type: 'gemini',
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKey: 'AIza-test-key',
  headers: {},
  options: {},
  ...over,
});

describe('geminiEndpoint', () => {
  it('chat, stream and embeddings URLs', () => {
    expect(geminiEndpoint(cfg(), 'chat', 'gemini-2.5-flash', false).url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(geminiEndpoint(cfg(), 'chat', 'gemini-2.5-flash', true).url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(geminiEndpoint(cfg(), 'embeddings', 'text-embedding-004', false).url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents',
    );
  });

  it('the key travels in x-goog-api-key, never in the URL', () => {
    const { url, headers } = geminiEndpoint(cfg(), 'chat', 'gemini-2.5-flash', true);
    expect(headers['x-goog-api-key']).toBe('AIza-test-key');
    expect(headers['content-type']).toBe('application/json');
    expect(url).not.toMatch(/key=/);
    expect(url).not.toContain('AIza');
  });

  it('honours base_url (trailing slash tolerated), extra headers, apiVersion and a models/ prefix', () => {
    const e = geminiEndpoint(cfg({ baseUrl: 'http://127.0.0.1:9999/', headers: { 'x-extra': '1' }, options: { apiVersion: 'v1' } }), 'chat', 'models/gemini-2.0-flash', false);
    expect(e.url).toBe('http://127.0.0.1:9999/v1/models/gemini-2.0-flash:generateContent');
    expect(e.headers['x-extra']).toBe('1');
  });

  it('no key configured → no auth header', () => {
    expect(geminiEndpoint(cfg({ apiKey: undefined }), 'chat', 'm', false).headers).not.toHaveProperty('x-goog-api-key');
  });

  it('completions is not a Gemini operation', () => {
    expect(() => geminiEndpoint(cfg(), 'completions', 'm', false)).toThrow(/no 'completions'/);
  });
});
