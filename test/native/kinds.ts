/**
 * The provider kinds of the conformance table (conformance.test.ts): for each upstream dialect,
 * its loopback mock, its gateway config and what the gateway must send it and answer for it —
 * model names, catalog prices, tool-call ids, wire shapes. The scenarios themselves are written
 * once, in the table; what only one dialect does stays in its own test file.
 */
import type OpenAI from 'openai';
import { expect } from 'vitest';
import type { HttpMock, MockHandler, MockReply, RecordedRequest } from '../mocks/http-mock.js';
import {
  anthropicError,
  anthropicMessage,
  anthropicStream,
  anthropicStreamErrorFrame,
  anthropicStreamFrames,
  defaultAnthropicHandler,
  startAnthropicMock,
} from '../mocks/anthropic.js';
import { geminiDefaultHandler, geminiError, geminiResponse, geminiStream, geminiStreamChunks, startGeminiMock } from '../mocks/gemini.js';
import { cohereError, cohereFrame, cohereMockHandler, cohereResponse, cohereStream, cohereStreamFrames, startCohereMock, type CohereReplySpec } from '../mocks/cohere.js';
import { mistralError, mistralMockHandler, mistralResponse, mistralStream, mistralStreamChunks, startMistralMock } from '../mocks/mistral.js';
import { defaultOpenAIHandler, openaiCompletion, openaiError, openaiStream, openaiStreamFrames, startOpenAIMock } from '../mocks/openai.js';
import { startVertexMock, vertexDefaultHandler, VERTEX_MOCK_PROJECT, VERTEX_MOCK_TOKEN } from '../mocks/vertex.js';
import { IMAGE_HTTP_URL, JSON_SCHEMA_FORMAT, PNG_BASE64, PNG_DATA_URL, SECRETS, WEATHER_TOOL, providerYaml, sseData } from './helpers.js';

/** A tool call as the table scripts it; `id` is the upstream's own (Gemini has none). */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** What an upstream answers, in neutral terms; each kind renders it in its dialect. */
export interface Reply {
  text?: string;
  toolCalls?: ToolCall[];
}

export interface StreamShape {
  cutAfter?: number;
  chunkDelayMs?: number;
}

/** A scripted failure and what the client must see of it. */
export interface Failure {
  reply: MockReply;
  /** Text the client received before the error (streams). */
  before?: string;
  /** The error message must match. */
  message?: RegExp;
  /** Pass-through kinds: the broken frame the client must receive exactly as the upstream sent it. */
  forwarded?: string;
}

export interface ProviderKind {
  name: 'openai' | 'anthropic' | 'gemini' | 'mistral' | 'vertex' | 'vertex-claude' | 'cohere';
  /** The model as clients name it, and as the upstream (and the usage record) names it. */
  model: string;
  upstreamModel: string;
  secret: string;
  yaml(mockUrl: string): string;
  startMock(): Promise<HttpMock>;
  /** Echoes the last user text. */
  defaultHandler: MockHandler;
  reply(r: Reply): MockReply;
  stream(r: Reply, shape?: StreamShape): MockReply;
  /** The upstream's ids for two tool calls, and the ids the client must see for them. */
  toolIds: [string, string];
  expectClientToolId(clientId: string, index: number, upstreamId: string): void;
  /** How the default echo of 'one two three four five' is cut into stream pieces. */
  streamPieces: string[];

  /** Parameters of the text request only some dialects take (each checks what becomes of them). */
  textParams?: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>;
  /** The text request (system 'Be brief.', user text, max_tokens 50, temperature 0.5) on the wire. */
  expectTextRequest(sent: RecordedRequest, user: string): void;
  expectStreamRequest(sent: RecordedRequest): void;
  /** The WEATHER_TOOL definition on the wire. */
  expectToolDefinition(body: any): void;
  /** The second turn of a tool loop: user, assistant calls (with `text` if any), results (client order). */
  expectToolTurn(body: any, turn: ToolTurn): void;
  /** A text part, a data-URL image and an http image on the wire. */
  expectImages(body: any): void;
  expectJsonObject(body: any): void;
  expectJsonSchema(body: any): void;

  /** A priced answer: the usage the client must see, its cost lines ($/Mtok) and the record. */
  priced: {
    reply(stream: boolean): MockReply;
    usage: Record<string, unknown>;
    lines: Array<[tokens: number, usdPerMillion: number]>;
    nanos: number;
    record: Record<string, unknown>;
  };

  /** Truncated JSON in a stream frame: an SSE error, or (`forwarded`) the frame passed through as bytes. */
  truncatedStream(): Failure;
  /** Fields and events the client does not know, around the text 'tolerant readers win'. */
  unknownFields(): MockReply;
  /** A stream that dies before its end (after `before`). */
  cutStream(): Failure;
  /** An error inside a 200 stream, after some text. */
  streamError(message: string): Failure;
  /** A 200 whose body is JSON of the wrong shape. */
  wrongShape(): Failure;
  rateLimited(retryAfterSeconds: number): MockReply;
  /** The upstream refuses the gateway's key, quoting it. */
  keyRejected(): MockReply;
  /** The upstream's "overloaded" status (the client gets 503). */
  overloaded(): MockReply;
}

export interface ToolTurn {
  /** The user's question, first in the history. */
  user: string;
  text?: string;
  calls: Array<{ id: string; name: string; args: Record<string, unknown> }>;
  /** Results in the order the client sent them. */
  results: Array<{ id: string; name: string; content: string }>;
}

const anthropic: ProviderKind = {
  name: 'anthropic',
  model: 'anthropic/claude-sonnet-4-5',
  upstreamModel: 'claude-sonnet-4-5',
  secret: SECRETS.anthropic,
  yaml: (url) => providerYaml('anthropic', url),
  startMock: () => startAnthropicMock(),
  defaultHandler: defaultAnthropicHandler,
  reply: (r) => anthropicMessage({ text: r.text, toolUses: r.toolCalls?.map((c) => ({ id: c.id, name: c.name, input: c.args })) }),
  stream: (r, shape) => ({
    ...anthropicStream({ text: r.text, toolUses: r.toolCalls?.map((c) => ({ id: c.id, name: c.name, input: c.args })) }, { splitJson: 5 }),
    ...shape,
  }),
  toolIds: ['toolu_01W', 'toolu_01T'],
  expectClientToolId: (id, _i, upstreamId) => expect(id).toBe(upstreamId),
  streamPieces: ['one ', 'two ', 'three ', 'four ', 'five'],
  expectTextRequest(sent, user) {
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(SECRETS.anthropic);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      temperature: 0.5,
      messages: [{ role: 'user', content: [{ type: 'text', text: user }] }],
    });
    expect(JSON.stringify(sent.body.system)).toContain('Be brief.');
    expect(sent.body.stream).toBeUndefined();
  },
  expectStreamRequest: (sent) => expect(sent.body.stream).toBe(true),
  expectToolDefinition: (body) =>
    expect(body.tools).toEqual([{ name: 'get_weather', description: 'Current weather for a city', input_schema: WEATHER_TOOL.function.parameters }]),
  expectToolTurn(body, turn) {
    const sent = body.messages;
    expect(sent).toHaveLength(3);
    expect(sent[0]).toEqual({ role: 'user', content: [{ type: 'text', text: turn.user }] });
    expect(sent[1].role).toBe('assistant');
    expect(sent[1].content.map((b: any) => [b.type, b.id ?? b.text])).toEqual([
      ...(turn.text ? [['text', turn.text]] : []),
      ...turn.calls.map((c) => ['tool_use', c.id]),
    ]);
    expect(sent[1].content.filter((b: any) => b.type === 'tool_use').map((b: any) => [b.name, b.input])).toEqual(turn.calls.map((c) => [c.name, c.args]));
    // All results in ONE user turn, each tied to its call by tool_use_id.
    expect(sent[2].role).toBe('user');
    expect(sent[2].content.map((b: any) => [b.type, b.tool_use_id])).toEqual(turn.results.map((r) => ['tool_result', r.id]));
    turn.results.forEach((r, i) => expect(JSON.stringify(sent[2].content[i].content)).toContain(JSON.stringify(r.content).slice(1, -1)));
  },
  expectImages: (body) =>
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } },
      { type: 'image', source: { type: 'url', url: IMAGE_HTTP_URL } },
    ]),
  // Anthropic has no JSON mode: a JSON-only system instruction instead.
  expectJsonObject(body) {
    expect(body.output_config).toBeUndefined();
    expect(JSON.stringify(body.system)).toMatch(/JSON/);
  },
  expectJsonSchema: (body) => expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: JSON_SCHEMA_FORMAT.json_schema.schema } }),
  // claude-sonnet-4-5: $3 in / $15 out per Mtok.
  priced: {
    reply: (stream) => (stream ? anthropicStream : anthropicMessage)({ text: 'priced', usage: { input_tokens: 1200, output_tokens: 340 } }),
    usage: { prompt_tokens: 1200, completion_tokens: 340, total_tokens: 1540 },
    lines: [
      [1200, 3],
      [340, 15],
    ],
    nanos: 8_700_000,
    record: { inputTokens: 1200, outputTokens: 340 },
  },
  truncatedStream() {
    const frames = anthropicStreamFrames({ text: 'one two three' });
    const cut = frames.findIndex((f) => f.includes('text_delta'));
    frames[cut] = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n';
    return { reply: { sse: frames }, before: '', message: /malformed|invalid JSON/i };
  },
  unknownFields() {
    const frames = anthropicStreamFrames({ text: 'tolerant readers win' });
    frames.splice(2, 0, 'event: brand_new_event\ndata: {"type":"brand_new_event","foo":1}\n\n');
    frames.splice(frames.length - 1, 0, 'event: ping\ndata: {"type":"ping"}\n\n');
    return { sse: frames };
  },
  // Cut before message_stop: an error, not a silently short answer.
  cutStream: () => ({ reply: { ...anthropicStream({ text: 'one two three four five six' }), cutAfter: 5, chunkDelayMs: 5 }, before: 'one two ' }),
  streamError(message) {
    const frames = anthropicStreamFrames({ text: 'partial answer here' });
    const at = frames.findIndex((f) => f.includes('text_delta')) + 1;
    return { reply: { sse: [...frames.slice(0, at), anthropicStreamErrorFrame('overloaded_error', message)] }, before: 'partial ' };
  },
  wrongShape: () => ({ reply: { json: { hello: 'world' } } }),
  rateLimited: (s) => anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': String(s) }),
  keyRejected: () => anthropicError(401, 'authentication_error', `invalid x-api-key: ${SECRETS.anthropic}`),
  overloaded: () => anthropicError(529, 'overloaded_error', 'Overloaded'),
};

const gemini: ProviderKind = {
  name: 'gemini',
  model: 'gemini/gemini-2.5-flash',
  upstreamModel: 'gemini-2.5-flash',
  secret: SECRETS.gemini,
  yaml: (url) => providerYaml('gemini', url),
  startMock: () => startGeminiMock(),
  defaultHandler: geminiDefaultHandler,
  reply: (r) => geminiResponse({ text: r.text, functionCalls: r.toolCalls?.map((c) => ({ name: c.name, args: c.args })) }),
  stream: (r, shape) => geminiStream({ text: r.text, functionCalls: r.toolCalls?.map((c) => ({ name: c.name, args: c.args })) }, shape),
  // Gemini calls carry no id: the gateway mints one per call, by position.
  toolIds: ['', ''],
  expectClientToolId: (id, i) => expect(id).toMatch(new RegExp(`^call_${i}_`)),
  streamPieces: ['one two', ' three four', ' five'],
  expectTextRequest(sent, user) {
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(SECRETS.gemini);
    expect(sent.path).not.toContain('key=');
    expect(sent.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: user }] }],
      generationConfig: { maxOutputTokens: 50, temperature: 0.5 },
    });
  },
  expectStreamRequest: (sent) => expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'),
  expectToolDefinition: (body) =>
    expect(body.tools).toEqual([
      { functionDeclarations: [{ name: 'get_weather', description: 'Current weather for a city', parametersJsonSchema: WEATHER_TOOL.function.parameters }] },
    ]),
  expectToolTurn(body, turn) {
    const contents = body.contents;
    expect(contents).toHaveLength(3);
    expect(contents[0]).toEqual({ role: 'user', parts: [{ text: turn.user }] });
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [...(turn.text ? [{ text: turn.text }] : []), ...turn.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }))],
    });
    // A result's function name follows its id, whatever order the results come back in; a JSON
    // result is sent as the object, any other text as { result }.
    const response = (content: string) => {
      try {
        return JSON.parse(content);
      } catch {
        return { result: content };
      }
    };
    expect(contents[2]).toEqual({
      role: 'user',
      parts: turn.results.map((r) => ({ functionResponse: { name: r.name, response: response(r.content) } })),
    });
  },
  expectImages: (body) =>
    expect(body.contents[0].parts).toEqual([
      { text: 'Compare these' },
      { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
      { fileData: { mimeType: 'image/jpeg', fileUri: IMAGE_HTTP_URL } },
    ]),
  expectJsonObject: (body) => expect(body.generationConfig).toEqual({ responseMimeType: 'application/json' }),
  expectJsonSchema: (body) =>
    expect(body.generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: JSON_SCHEMA_FORMAT.json_schema.schema }),
  // gemini-2.5-flash: $0.30 in / $2.50 out per Mtok, thoughts at the output price. Output =
  // candidates 200 + thoughts 300 (candidatesTokenCount excludes thoughts).
  priced: {
    reply: (stream) =>
      (stream ? geminiStream : geminiResponse)({
        text: 'priced stream text',
        thoughts: 'thinking it over',
        usage: { promptTokenCount: 1000, candidatesTokenCount: 200, thoughtsTokenCount: 300 },
      }),
    usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, completion_tokens_details: { reasoning_tokens: 300 } },
    lines: [
      [1000, 0.3],
      [200, 2.5],
      [300, 2.5],
    ],
    nanos: 1_550_000,
    record: { inputTokens: 1000, outputTokens: 500, reasoningTokens: 300 },
  },
  truncatedStream() {
    const frames = sseData(geminiStreamChunks({ text: 'one two three four five six' }));
    frames[1] = 'data: {"candidates":[{"content":{"parts":[{"text":" thr\n\n';
    return { reply: { sse: frames }, before: 'one two', message: /not valid JSON/ };
  },
  unknownFields() {
    const chunks = geminiStreamChunks({ text: 'tolerant readers win' }) as any[];
    chunks[0].brandNewField = { x: 1 };
    chunks[0].candidates[0].content.parts.unshift({ executableCode: { language: 'PYTHON', code: 'print(1)' } });
    chunks[0].candidates[0].groundingMetadata = { webSearchQueries: ['q'] };
    return { sse: sseData(chunks) };
  },
  cutStream: () => ({ reply: geminiStream({ text: 'one two three four five six' }, { cutAfter: 1, chunkDelayMs: 5 }), before: 'one two' }),
  streamError(message) {
    const first = geminiStreamChunks({ text: 'a b c d e f' })[0];
    return { reply: { sse: sseData([first, { error: { code: 503, message, status: 'UNAVAILABLE' } }]) }, before: 'a b' };
  },
  wrongShape: () => ({ reply: { json: { candidates: [], usageMetadata: { promptTokenCount: 3 } } }, message: /no candidates/ }),
  // Gemini says when to retry in a RetryInfo detail, not a header.
  rateLimited: (s) => geminiError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', { retryDelay: `${s}s` }),
  keyRejected: () => geminiError(400, 'INVALID_ARGUMENT', `API key not valid: ${SECRETS.gemini}. Please pass a valid API key.`, { reason: 'API_KEY_INVALID' }),
  overloaded: () => geminiError(503, 'UNAVAILABLE', 'The model is overloaded.'),
};

/** A tool loop in the chat-completions shape (OpenAI, Mistral): the call turn, then one tool message per result. */
function expectChatToolTurn(body: any, turn: ToolTurn, dialect: { noText: string | null; namedResults: boolean }): void {
  const sent = body.messages;
  expect(sent).toHaveLength(2 + turn.results.length);
  expect(sent[0]).toEqual({ role: 'user', content: turn.user });
  expect(sent[1]).toMatchObject({ role: 'assistant', content: turn.text ?? dialect.noText });
  expect(sent[1].tool_calls).toEqual(turn.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })));
  expect(sent.slice(2)).toEqual(
    turn.results.map((r) => ({ role: 'tool', tool_call_id: r.id, ...(dialect.namedResults && { name: r.name }), content: r.content })),
  );
}

const mistralHandler = mistralMockHandler(SECRETS.mistral);
const mistralCalls = (r: Reply) => r.toolCalls?.map((c) => ({ id: c.id, name: c.name, arguments: c.args }));

const mistral: ProviderKind = {
  name: 'mistral',
  model: 'mistral/mistral-large-latest',
  upstreamModel: 'mistral-large-latest',
  secret: SECRETS.mistral,
  yaml: (url) => providerYaml('mistral', url),
  startMock: () => startMistralMock(mistralHandler),
  defaultHandler: mistralHandler,
  reply: (r) => mistralResponse({ text: r.text, toolCalls: mistralCalls(r) }),
  // Tool calls arrive whole on the finish chunk.
  stream: (r, shape) => mistralStream({ text: r.text, toolCalls: mistralCalls(r) }, shape),
  // Mistral ids are 9 alphanumerics.
  toolIds: ['gSIMJiOkT', 'BBBBBBBB2'],
  expectClientToolId: (id, _i, upstreamId) => expect(id).toBe(upstreamId),
  streamPieces: ['one ', 'two ', 'three ', 'four ', 'five'],
  // Mistral calls OpenAI's seed random_seed.
  textParams: { seed: 42 },
  expectTextRequest(sent, user) {
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRETS.mistral}`);
    expect(sent.body.seed).toBeUndefined();
    expect(sent.body).toMatchObject({
      model: 'mistral-large-latest',
      random_seed: 42,
      max_tokens: 50,
      temperature: 0.5,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: user },
      ],
    });
  },
  // stream_options is never sent to Mistral, yet a client that asks still gets its usage chunk.
  expectStreamRequest(sent) {
    expect(sent.body.stream).toBe(true);
    expect(sent.body.stream_options).toBeUndefined();
  },
  expectToolDefinition: (body) => expect(body.tools).toEqual([WEATHER_TOOL]),
  // An assistant turn without text has content '', and each tool message names its function.
  expectToolTurn: (body, turn) => expectChatToolTurn(body, turn, { noText: '', namedResults: true }),
  // The URL goes up as a bare string; `detail` is dropped.
  expectImages: (body) =>
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these' },
      { type: 'image_url', image_url: PNG_DATA_URL },
      { type: 'image_url', image_url: IMAGE_HTTP_URL },
    ]),
  expectJsonObject: (body) => expect(body.response_format).toEqual({ type: 'json_object' }),
  expectJsonSchema: (body) =>
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'city', schema: JSON_SCHEMA_FORMAT.json_schema.schema, strict: true } }),
  // mistral-large-latest: $2 in / $6 out per Mtok.
  priced: {
    reply: (stream) => (stream ? mistralStream : mistralResponse)({ text: 'priced', usage: { prompt_tokens: 1500, completion_tokens: 400 } }),
    usage: { prompt_tokens: 1500, completion_tokens: 400, total_tokens: 1900 },
    lines: [
      [1500, 2],
      [400, 6],
    ],
    nanos: 5_400_000,
    record: { inputTokens: 1500, outputTokens: 400 },
  },
  truncatedStream() {
    const chunks: unknown[] = mistralStreamChunks({ text: 'one two three four' });
    chunks[2] = '{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tw';
    return { reply: { sse: [...sseData(chunks), 'data: [DONE]\n\n'] }, before: 'one ' };
  },
  unknownFields() {
    const chunks: any[] = mistralStreamChunks({ text: 'tolerant readers win' });
    chunks[1].brand_new = { x: 1 };
    chunks.splice(2, 0, { id: 'x', object: 'chat.completion.chunk', choices: [], p: 'abcdef' });
    return { sse: [...sseData(chunks), 'data: [DONE]\n\n'] };
  },
  // Cut before [DONE] and before a finish_reason.
  cutStream: () => ({ reply: mistralStream({ text: 'one two three four five six' }, { cutAfter: 3, chunkDelayMs: 5 }), before: 'one two ' }),
  streamError(message) {
    const chunks: unknown[] = mistralStreamChunks({ text: 'a b c' }).slice(0, 2);
    chunks.push({ object: 'error', message, type: 'service_unavailable', code: '3505' });
    return { reply: { sse: [...sseData(chunks), 'data: [DONE]\n\n'] }, before: 'a ' };
  },
  wrongShape: () => ({ reply: { json: { hello: 'world' } } }),
  rateLimited: (s) => mistralError(429, 'Requests rate limit exceeded', 'rate_limited', '1300', { 'retry-after': String(s) }),
  keyRejected: () => mistralError(401, `Invalid API key ${SECRETS.mistral}`, 'authentication_error'),
  overloaded: () => mistralError(503, 'Service unavailable, please retry', 'service_unavailable', '3505'),
};

const openaiCalls = (r: Reply) => r.toolCalls?.map((c) => ({ id: c.id, name: c.name, arguments: c.args }));

const openai: ProviderKind = {
  name: 'openai',
  model: 'openai/gpt-4o',
  upstreamModel: 'gpt-4o',
  secret: SECRETS.openai,
  yaml: (url) => providerYaml('openai', `${url}/v1`),
  startMock: () => startOpenAIMock(),
  defaultHandler: defaultOpenAIHandler,
  reply: (r) => openaiCompletion({ text: r.text, toolCalls: openaiCalls(r) }),
  stream: (r, shape) => openaiStream({ text: r.text, toolCalls: openaiCalls(r) }, shape),
  toolIds: ['call_W0aVpIm1Xk', 'call_T1bWqJn2Yl'],
  expectClientToolId: (id, _i, upstreamId) => expect(id).toBe(upstreamId),
  streamPieces: ['one ', 'two ', 'three ', 'four ', 'five'],
  textParams: { seed: 7 },
  // Pass-through: the provider prefix is stripped; everything else the client sent is forwarded untouched.
  expectTextRequest(sent, user) {
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRETS.openai}`);
    expect(sent.body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: user },
      ],
      max_tokens: 50,
      temperature: 0.5,
      seed: 7,
    });
  },
  // The gateway always asks the upstream for usage (metering), whatever the client asked.
  expectStreamRequest(sent) {
    expect(sent.body.stream).toBe(true);
    expect(sent.body.stream_options).toEqual({ include_usage: true });
  },
  expectToolDefinition: (body) => expect(body.tools).toEqual([WEATHER_TOOL]),
  expectToolTurn: (body, turn) => expectChatToolTurn(body, turn, { noText: null, namedResults: false }),
  expectImages: (body) =>
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these' },
      { type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'low' } },
      { type: 'image_url', image_url: { url: IMAGE_HTTP_URL } },
    ]),
  expectJsonObject: (body) => expect(body.response_format).toEqual({ type: 'json_object' }),
  expectJsonSchema: (body) => expect(body.response_format).toEqual(JSON_SCHEMA_FORMAT),
  // gpt-4o: $2.50 in / $10 out per Mtok; 52.5 + 30 = 82.5 µ$ = 82,500 n$, exact (no rounding to the micro-dollar).
  priced: {
    reply: (stream) => (stream ? openaiStream : openaiCompletion)({ text: 'priced', usage: { prompt_tokens: 21, completion_tokens: 3 } }),
    usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 },
    lines: [
      [21, 2.5],
      [3, 10],
    ],
    nanos: 82_500,
    record: { inputTokens: 21, outputTokens: 3 },
  },
  // Pass-through forwards the upstream's frames as raw bytes (README, "Not done yet"): a broken
  // frame reaches the client exactly as it came, and the gateway keeps serving.
  truncatedStream() {
    const frames = openaiStreamFrames({ text: 'one two three' });
    const broken = 'data: {"id":"chatcmpl-x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tw\n\n';
    frames.splice(2, 0, broken);
    return { reply: { sse: frames }, forwarded: broken };
  },
  unknownFields() {
    const frames = openaiStreamFrames({ text: 'tolerant readers win' });
    frames.splice(2, 0, `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], brand_new: { x: 1 } })}\n\n`);
    return { sse: frames };
  },
  cutStream: () => ({ reply: openaiStream({ text: 'one two three four five six' }, { cutAfter: 3, chunkDelayMs: 5 }), before: 'one two ' }),
  streamError(message) {
    const frames = openaiStreamFrames({ text: 'a b c' }).slice(0, 2);
    frames.push(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`);
    return { reply: { sse: frames }, before: 'a ' };
  },
  wrongShape: () => ({ reply: { json: { hello: 'world' } } }),
  rateLimited: (s) => openaiError(429, 'Rate limit reached for gpt-4o', 'requests', 'rate_limit_exceeded', null, { 'retry-after': String(s) }),
  keyRejected: () => openaiError(401, `Incorrect API key provided: ${SECRETS.openai}.`, 'invalid_request_error', 'invalid_api_key'),
  overloaded: () => openaiError(503, 'The server is overloaded, please try again later.', 'server_error'),
};

/**
 * Google Vertex AI: one provider type, two publishers. Each kind is the publisher's own kind with
 * Vertex's URL, bearer token (a configured access_token) and Google's error envelope for the
 * platform's own failures; prices are Vertex's catalog entries (the same $/Mtok as the
 * publisher's API for these two models).
 */
const VERTEX_PREFIX = `/v1/projects/${VERTEX_MOCK_PROJECT}/locations/us-central1/publishers`;
const vertexYaml = (name: string) => (url: string) =>
  `providers:\n  ${name}: { type: vertex, base_url: "${url}", project: ${VERTEX_MOCK_PROJECT}, access_token: "${VERTEX_MOCK_TOKEN}" }\n`;
const vertexKeyRejected = (): MockReply =>
  geminiError(401, 'UNAUTHENTICATED', `Request had invalid authentication credentials (token ${VERTEX_MOCK_TOKEN}).`, { reason: 'ACCESS_TOKEN_EXPIRED' });
const expectBearer = (sent: RecordedRequest) => {
  expect(sent.headers.authorization).toBe(`Bearer ${VERTEX_MOCK_TOKEN}`);
  expect(sent.headers['x-goog-api-key']).toBeUndefined();
};

const vertex: ProviderKind = {
  ...gemini,
  name: 'vertex',
  model: 'vertex/gemini-2.5-flash',
  secret: VERTEX_MOCK_TOKEN,
  yaml: vertexYaml('vertex'),
  startMock: () => startVertexMock(),
  defaultHandler: vertexDefaultHandler,
  expectTextRequest(sent, user) {
    expect(sent.path).toBe(`${VERTEX_PREFIX}/google/models/gemini-2.5-flash:generateContent`);
    expectBearer(sent);
    expect(sent.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: user }] }],
      generationConfig: { maxOutputTokens: 50, temperature: 0.5 },
    });
  },
  expectStreamRequest: (sent) => expect(sent.path).toBe(`${VERTEX_PREFIX}/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse`),
  keyRejected: vertexKeyRejected,
};

const CLAUDE_ON_VERTEX = 'claude-sonnet-4-5@20250929';
const vertexClaude: ProviderKind = {
  ...anthropic,
  name: 'vertex-claude',
  model: `vertex-claude/${CLAUDE_ON_VERTEX}`,
  upstreamModel: CLAUDE_ON_VERTEX,
  secret: VERTEX_MOCK_TOKEN,
  yaml: vertexYaml('vertex-claude'),
  startMock: () => startVertexMock(),
  defaultHandler: vertexDefaultHandler,
  expectTextRequest(sent, user) {
    expect(sent.path).toBe(`${VERTEX_PREFIX}/anthropic/models/${CLAUDE_ON_VERTEX}:rawPredict`);
    expectBearer(sent);
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.body).toMatchObject({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 50,
      temperature: 0.5,
      messages: [{ role: 'user', content: [{ type: 'text', text: user }] }],
    });
    expect(sent.body.model).toBeUndefined();
    expect(JSON.stringify(sent.body.system)).toContain('Be brief.');
    expect(sent.body.stream).toBeUndefined();
  },
  expectStreamRequest(sent) {
    expect(sent.path).toBe(`${VERTEX_PREFIX}/anthropic/models/${CLAUDE_ON_VERTEX}:streamRawPredict`);
    expect(sent.body.stream).toBe(true);
  },
  // Vertex's quota errors are Google's, whatever the publisher.
  rateLimited: (s) => geminiError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model', { headers: { 'retry-after': String(s) } }),
  keyRejected: vertexKeyRejected,
};

const cohereHandler = cohereMockHandler(SECRETS.cohere);
/** Cohere writes the text that goes with tool calls as `tool_plan`. */
const cohereSpec = (r: Reply): CohereReplySpec =>
  r.toolCalls?.length ? { ...(r.text !== undefined && { toolPlan: r.text }), toolCalls: r.toolCalls } : { ...(r.text !== undefined && { text: r.text }) };

const cohere: ProviderKind = {
  name: 'cohere',
  model: 'cohere/command-a-03-2025',
  upstreamModel: 'command-a-03-2025',
  secret: SECRETS.cohere,
  yaml: (url) => providerYaml('cohere', url),
  startMock: () => startCohereMock(cohereHandler),
  defaultHandler: cohereHandler,
  reply: (r) => cohereResponse(cohereSpec(r)),
  stream: (r, shape) => cohereStream(cohereSpec(r), shape),
  toolIds: ['get_weather_7xk2p9q4', 'get_time_3mz8r1w6'],
  expectClientToolId: (id, _i, upstreamId) => expect(id).toBe(upstreamId),
  streamPieces: ['one ', 'two ', 'three ', 'four ', 'five'],
  // Cohere calls top_p `p`.
  textParams: { seed: 42, top_p: 0.8 },
  expectTextRequest(sent, user) {
    expect(sent.path).toBe('/v2/chat');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRETS.cohere}`);
    expect(sent.body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: user },
      ],
      stream: false,
      max_tokens: 50,
      temperature: 0.5,
      p: 0.8,
      seed: 42,
    });
  },
  expectStreamRequest(sent) {
    expect(sent.body.stream).toBe(true);
    expect(sent.body.stream_options).toBeUndefined();
  },
  expectToolDefinition: (body) => expect(body.tools).toEqual([WEATHER_TOOL]),
  // The assistant's text rides as tool_plan beside its calls; each result is a tool message tied by tool_call_id.
  expectToolTurn(body, turn) {
    const sent = body.messages;
    expect(sent).toHaveLength(2 + turn.results.length);
    expect(sent[0]).toEqual({ role: 'user', content: turn.user });
    expect(sent[1]).toEqual({
      role: 'assistant',
      ...(turn.text && { tool_plan: turn.text }),
      tool_calls: turn.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })),
    });
    expect(sent.slice(2)).toEqual(turn.results.map((r) => ({ role: 'tool', tool_call_id: r.id, content: r.content })));
  },
  expectImages: (body) =>
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these' },
      { type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'low' } },
      { type: 'image_url', image_url: { url: IMAGE_HTTP_URL } },
    ]),
  expectJsonObject: (body) => expect(body.response_format).toEqual({ type: 'json_object' }),
  expectJsonSchema: (body) => expect(body.response_format).toEqual({ type: 'json_object', json_schema: JSON_SCHEMA_FORMAT.json_schema.schema }),
  // command-a-03-2025: $2.50 in / $10 out per Mtok, on the BILLED units (the mock's raw token
  // counts add 196 prompt-template tokens Cohere does not bill).
  priced: {
    reply: (stream) => (stream ? cohereStream : cohereResponse)({ text: 'priced', usage: { input_tokens: 1200, output_tokens: 300 } }),
    usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
    lines: [
      [1200, 2.5],
      [300, 10],
    ],
    nanos: 6_000_000,
    record: { inputTokens: 1200, outputTokens: 300 },
  },
  truncatedStream() {
    const frames = cohereStreamFrames({ text: 'one two three' });
    frames[3] = 'event: content-delta\ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"tw\n\n';
    return { reply: { sse: frames }, before: 'one ', message: /malformed/ };
  },
  unknownFields() {
    const frames = cohereStreamFrames({ text: 'tolerant readers win' });
    frames.splice(2, 0, cohereFrame('brand-new-event', { foo: 1 }), cohereFrame('debug', { prompt: 'x' }));
    frames.splice(frames.length - 2, 0, cohereFrame('citation-start', { index: 0, delta: { message: { citations: { start: 0, end: 4, text: 'tole', sources: [] } } } }), cohereFrame('citation-end', { index: 0 }));
    return { sse: frames };
  },
  // Cut after message-start, content-start and two deltas: before message-end.
  cutStream: () => ({ reply: cohereStream({ text: 'one two three four five six' }, { cutAfter: 4, chunkDelayMs: 5 }), before: 'one two ' }),
  streamError(message) {
    const frames = cohereStreamFrames({ text: 'a b c' }).slice(0, 3);
    frames.push(cohereFrame('message-end', { delta: { finish_reason: 'ERROR', error: message } }));
    return { reply: { sse: frames }, before: 'a ' };
  },
  wrongShape: () => ({ reply: { json: { hello: 'world' } }, message: /no message/ }),
  rateLimited: (s) => cohereError(429, 'You are past the per minute request limit, please wait and try again later.', { 'retry-after': String(s) }),
  keyRejected: () => cohereError(401, `invalid api token: ${SECRETS.cohere}`),
  overloaded: () => cohereError(503, 'The service is temporarily unavailable, please retry.'),
};

/** Every provider kind the table runs over. */
export const KINDS: ProviderKind[] = [openai, anthropic, gemini, mistral, vertex, vertexClaude, cohere];
