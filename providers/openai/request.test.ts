import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import type { ChatRequest } from '../types.js';
import { fixtureJson } from './__fixtures__/load.js';
import { openAIEndpoint } from './endpoint.js';
import { buildOpenAIChatRequest, convertToOpenAIRequest } from './request.js';

const cfg = (options: Record<string, unknown> = {}, extra: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'openai',
  type: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-test-123456',
  headers: {},
  options,
  ...extra,
});

describe('convertToOpenAIRequest — the docs examples (openai-openapi)', () => {
  it('"Functions": a user message, one function tool, tool_choice auto → the documented body', () => {
    const doc = fixtureJson('openai-request-tools.json');
    const fn = doc.tools[0].function;
    const req: ChatRequest = {
      model: doc.model,
      messages: [{ role: 'user', content: [{ type: 'text', text: doc.messages[0].content }] }],
      tools: [{ name: fn.name, description: fn.description, parameters: fn.parameters }],
      toolChoice: { type: 'auto' },
      stream: false,
    };
    expect(convertToOpenAIRequest(req)).toEqual(doc);
  });

  it('"Image input": text and image parts → content parts; the token cap goes out as max_completion_tokens', () => {
    const doc = fixtureJson('openai-request-image.json');
    const [text, image] = doc.messages[0].content;
    const req: ChatRequest = {
      model: doc.model,
      messages: [{ role: 'user', content: [{ type: 'text', text: text.text }, { type: 'image', url: image.image_url.url }] }],
      maxTokens: doc.max_tokens,
      stream: false,
    };
    const { max_tokens, ...rest } = doc;
    expect(convertToOpenAIRequest(req)).toEqual({ ...rest, max_completion_tokens: max_tokens });
  });
});

describe('convertToOpenAIRequest — conversation parts', () => {
  it('a tool round trip: the assistant call and the tool result keep their id and raw arguments', () => {
    const body = convertToOpenAIRequest({
      model: 'gpt-4o',
      stream: false,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'be brief' }, { type: 'text', text: 'be kind' }] },
        { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'hidden' }, { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: '18°C' }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'be brief\n\nbe kind' },
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
    ]);
  });

  it('an inline image becomes a data: URL; a JSON-schema response format is named', () => {
    const body = convertToOpenAIRequest({
      model: 'gpt-4o',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'image', data: 'iVBORw0K', mediaType: 'image/png', detail: 'low' }] }],
      responseFormat: { type: 'json_schema', schema: { type: 'object' }, strict: true },
    });
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K', detail: 'low' } }] }]);
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' }, strict: true } });
  });
});

describe('buildOpenAIChatRequest', () => {
  const streaming: ChatRequest = { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

  it('a stream always asks for the usage chunk (metering needs it), unless the host rejects stream_options', () => {
    expect(JSON.parse(buildOpenAIChatRequest(streaming, cfg()).body!).stream_options).toEqual({ include_usage: true });
    expect(JSON.parse(buildOpenAIChatRequest(streaming, cfg({ stream_usage: false })).body!)).not.toHaveProperty('stream_options');
  });

  it('POSTs to {base}/chat/completions with a bearer key and the configured headers', () => {
    const up = buildOpenAIChatRequest(streaming, cfg({}, { headers: { 'OpenAI-Organization': 'org-1' } }));
    expect(up).toMatchObject({ method: 'POST', url: 'https://api.openai.com/v1/chat/completions' });
    expect(up.headers).toEqual({ 'content-type': 'application/json', 'OpenAI-Organization': 'org-1', authorization: 'Bearer sk-test-123456' });
  });
});

describe('openAIEndpoint', () => {
  it('Azure: the model is a deployment in the path, api-version in the query, the key in api-key', () => {
    const azure = cfg({ auth: 'api-key', deployment_in_path: true, api_version: '2024-10-21' }, { baseUrl: 'https://r.openai.azure.com/openai' });
    expect(openAIEndpoint(azure, 'embeddings', 'my deploy')).toEqual({
      url: 'https://r.openai.azure.com/openai/deployments/my%20deploy/embeddings?api-version=2024-10-21',
      headers: { 'content-type': 'application/json', 'api-key': 'sk-test-123456' },
    });
  });

  it('a local server with auth none sends no credential', () => {
    expect(openAIEndpoint(cfg({ auth: 'none' }), 'chat', 'llama').headers).toEqual({ 'content-type': 'application/json' });
  });
});
