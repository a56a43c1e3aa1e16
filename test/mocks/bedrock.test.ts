/** The Bedrock mock is proven by AWS's own SDK: if the SDK can call it and read its answers, the gateway's tests against it mean something. */
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand, ThrottlingException, ValidationException } from '@aws-sdk/client-bedrock-runtime';
// The SDK speaks HTTP/2 to Bedrock by default; the loopback mock is HTTP/1.1 (the SDK's own
// HTTP/1.1 handler, a dependency of the SDK).
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEDROCK_MOCK_CREDENTIALS, BEDROCK_MOCK_REGION, bedrockError, bedrockMockEmbedding, bedrockMockHandler, bedrockResponse, bedrockStream, startBedrockMock } from './bedrock.js';
import type { HttpMock } from './http-mock.js';

let mock: HttpMock;
const client = (credentials = BEDROCK_MOCK_CREDENTIALS) =>
  new BedrockRuntimeClient({ region: BEDROCK_MOCK_REGION, endpoint: mock.url, credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

beforeAll(async () => {
  mock = await startBedrockMock();
});
afterAll(() => mock?.close());

describe('Bedrock mock, through @aws-sdk/client-bedrock-runtime', () => {
  it('accepts the SDK\'s SigV4-signed Converse call and answers in a shape the SDK reads', async () => {
    mock.setHandler(bedrockMockHandler());
    const out = await client().send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hello there' }] }] }));
    expect(out.output?.message?.content).toEqual([{ text: 'hello there' }]);
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage).toEqual({ inputTokens: 2, outputTokens: 2, totalTokens: 4 });
    expect(mock.requests.at(-1)!.path).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
  });

  it('refuses a signature made with the wrong secret, as AWS does', async () => {
    mock.setHandler(bedrockMockHandler());
    await expect(client({ ...BEDROCK_MOCK_CREDENTIALS, secretAccessKey: 'wrong-secret' }).send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('serves tool use, reasoning and cache usage the SDK deserialises', async () => {
    mock.setHandler(
      bedrockMockHandler(() =>
        bedrockResponse({
          reasoning: { text: 'Paris is in France.', signature: 'sig-1' },
          toolUses: [{ id: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } }],
          usage: { inputTokens: 20, outputTokens: 15, cacheReadInputTokens: 100, cacheWriteInputTokens: 50 },
        }),
      ),
    );
    const out = await client().send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'weather?' }] }] }));
    expect(out.output?.message?.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'Paris is in France.', signature: 'sig-1' } } },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
    ]);
    expect(out.stopReason).toBe('tool_use');
    expect(out.usage).toEqual({ inputTokens: 20, outputTokens: 15, cacheReadInputTokens: 100, cacheWriteInputTokens: 50, totalTokens: 185 });
  });

  it('names its errors as the SDK expects them', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.')));
    const send = () => client().send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    await expect(send()).rejects.toBeInstanceOf(ThrottlingException);
    mock.setHandler(bedrockMockHandler(() => bedrockError(400, 'ValidationException', 'Input is too long for requested model.')));
    await expect(send()).rejects.toSatisfy((e: unknown) => e instanceof ValidationException && e.message === 'Input is too long for requested model.');
  });

  it('streams ConverseStream as a binary event stream the SDK decodes: text, reasoning, tool input, stop, usage', async () => {
    mock.setHandler(
      bedrockMockHandler(() =>
        bedrockStream({
          reasoning: { text: 'Think.', signature: 'sig-2' },
          text: 'It is sunny',
          toolUses: [{ id: 'tooluse_2', name: 'get_weather', input: { city: 'Paris' } }],
          usage: { inputTokens: 7, outputTokens: 9, cacheReadInputTokens: 3 },
        }),
      ),
    );
    const out = await client().send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'weather?' }] }] }));
    let text = '';
    let toolInput = '';
    const seen: string[] = [];
    let usage: unknown;
    for await (const ev of out.stream!) {
      seen.push(Object.keys(ev).find((k) => k !== '$unknown')!);
      text += ev.contentBlockDelta?.delta?.text ?? '';
      toolInput += ev.contentBlockDelta?.delta?.toolUse?.input ?? '';
      if (ev.metadata) usage = ev.metadata.usage;
      if (ev.messageStop) expect(ev.messageStop.stopReason).toBe('tool_use');
    }
    expect(mock.requests.at(-1)!.path).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream');
    expect(text).toBe('It is sunny');
    expect(JSON.parse(toolInput)).toEqual({ city: 'Paris' });
    expect(seen[0]).toBe('messageStart');
    expect(seen.slice(-2)).toEqual(['messageStop', 'metadata']);
    expect(seen).toContain('contentBlockStart');
    expect(usage).toEqual({ inputTokens: 7, outputTokens: 9, cacheReadInputTokens: 3, totalTokens: 19 });
  });

  it('sends a mid-stream exception the SDK raises as its typed error', async () => {
    mock.setHandler(bedrockMockHandler(() => bedrockStream({ text: 'a b c' }, { exceptionAfter: { messages: 2, type: 'throttlingException', message: 'slow down' } })));
    const out = await client().send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    const read = async () => {
      for await (const _ of out.stream!);
    };
    await expect(read()).rejects.toSatisfy((e: unknown) => e instanceof ThrottlingException && e.message === 'slow down');
  });
});

describe('Bedrock mock embeddings, through the SDK\'s InvokeModelCommand', () => {
  const invoke = async (modelId: string, body: unknown) => {
    const out = await client().send(new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) }));
    return JSON.parse(new TextDecoder().decode(out.body));
  };

  it('Titan v2: {inputText, dimensions, normalize} → {embedding, inputTextTokenCount}, SigV4-checked', async () => {
    mock.setHandler(bedrockMockHandler());
    const res = await invoke('amazon.titan-embed-text-v2:0', { inputText: 'hello titan world', dimensions: 4, normalize: true });
    expect(res).toEqual({ embedding: bedrockMockEmbedding('hello titan world', 4), inputTextTokenCount: 3 });
    expect(mock.requests.at(-1)!.path).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
    expect(String(mock.requests.at(-1)!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=.*\/bedrock\/aws4_request/);
  });

  it('Cohere Embed on Bedrock: {texts, input_type} → {embeddings}; v4 by type when asked', async () => {
    mock.setHandler(bedrockMockHandler());
    const v3 = await invoke('cohere.embed-english-v3', { texts: ['a b', 'c'], input_type: 'search_document' });
    expect(v3.embeddings).toEqual([bedrockMockEmbedding('search_document:a b'), bedrockMockEmbedding('search_document:c')]);
    expect(v3.response_type).toBe('embeddings_floats');
    const v4 = await invoke('cohere.embed-v4:0', { texts: ['q'], input_type: 'search_query', embedding_types: ['float'], output_dimension: 4 });
    expect(v4.embeddings).toEqual({ float: [bedrockMockEmbedding('search_query:q', 4)] });
  });

  it('a body of the wrong family is a ValidationException the SDK raises', async () => {
    mock.setHandler(bedrockMockHandler());
    await expect(invoke('amazon.titan-embed-text-v2:0', { texts: ['x'] })).rejects.toBeInstanceOf(ValidationException);
  });
});
