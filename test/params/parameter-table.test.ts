/**
 * Issue #11, item 3: zero silent drops. Walks the parameter table (providers/capabilities.ts):
 * every OpenAI chat parameter (each property of CreateChatCompletionRequest in
 * OpenAI's published OpenAPI document, test/fixtures/openai/chat-request-properties.json, plus the provider-specific extras) and every Anthropic
 * Messages parameter (MessageCreateParams of @anthropic-ai/sdk), for every provider type, is
 * sent with the official SDK through a gateway started here, to loopback mocks that record what
 * they receive. The outcome must be what the table says:
 * - mapped: the upstream body (or URL) carries the mapped field;
 * - passed: the upstream body carries the field verbatim;
 * - refused: the client gets a 400 naming the field, and the upstream is never called.
 */
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalTransport, UpstreamRequest } from '../../providers/adapter.js';
import {
  ANTHROPIC_MESSAGES_PARAMETERS,
  OPENAI_CHAT_PARAMETERS,
  PROVIDER_TYPE_NAMES,
  renderParameterTable,
  type ParameterRule,
  type ProviderTypeName,
} from '../../providers/capabilities.js';
import { mockAdapter } from '../../providers/mock/index.js';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { defaultAnthropicHandler } from '../mocks/anthropic.js';
import { geminiDefaultHandler } from '../mocks/gemini.js';
import { startHttpMock, type HttpMock } from '../mocks/http-mock.js';
import { MISTRAL_MOCK_KEY, mistralMockHandler } from '../mocks/mistral.js';
import { BEDROCK_MOCK_CREDENTIALS, BEDROCK_MOCK_REGION, bedrockMockHandler } from '../mocks/bedrock.js';
import { openaiMockHandler } from '../mocks/openai.js';
import { startVertexMock, VERTEX_MOCK_PROJECT, VERTEX_MOCK_TOKEN } from '../mocks/vertex.js';
import { COHERE_MOCK_KEY, cohereMockHandler } from '../mocks/cohere.js';

const WEATHER = { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const SCHEMA = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };

/**
 * One request per parameter: the field under test first (a refusal names the first refused
 * field), then whatever it needs beside it. Values are ones that ask for something, so a refusal
 * is not waived by its `unless` value.
 */
const OPENAI_SAMPLES: Record<string, Record<string, unknown>> = {
  messages: {},
  model: {},
  metadata: { metadata: { team: 'blue' } },
  top_logprobs: { top_logprobs: 2 },
  temperature: { temperature: 0.5 },
  top_p: { top_p: 0.9 },
  user: { user: 'user-1' },
  safety_identifier: { safety_identifier: 'hashed-user-1' },
  prompt_cache_key: { prompt_cache_key: 'cache-key-1' },
  prompt_cache_retention: { prompt_cache_retention: '24h' },
  prompt_cache_options: { prompt_cache_options: { mode: 'auto' } },
  service_tier: { service_tier: 'flex' },
  modalities: { modalities: ['text', 'audio'] },
  verbosity: { verbosity: 'low' },
  reasoning_effort: { reasoning_effort: 'high' },
  max_completion_tokens: { max_completion_tokens: 50 },
  frequency_penalty: { frequency_penalty: 0.5 },
  presence_penalty: { presence_penalty: 0.5 },
  web_search_options: { web_search_options: { search_context_size: 'low' } },
  response_format: { response_format: { type: 'json_schema', json_schema: { name: 'person', schema: SCHEMA } } },
  audio: { audio: { voice: 'alloy', format: 'wav' } },
  store: { store: true },
  moderation: { moderation: { enabled: true } },
  stream: { stream: true },
  stop: { stop: ['END'] },
  logit_bias: { logit_bias: { '50256': -100 } },
  logprobs: { logprobs: true },
  max_tokens: { max_tokens: 50 },
  n: { n: 2 },
  prediction: { prediction: { type: 'content', content: 'hello' } },
  seed: { seed: 7 },
  stream_options: { stream_options: { include_usage: true }, stream: true },
  tools: { tools: [WEATHER] },
  tool_choice: { tool_choice: 'required', tools: [WEATHER] },
  parallel_tool_calls: { parallel_tool_calls: false, tools: [WEATHER] },
  function_call: { function_call: 'auto' },
  functions: { functions: [WEATHER.function] },
  top_k: { top_k: 5 },
  safe_prompt: { safe_prompt: true },
  prompt_mode: { prompt_mode: 'reasoning' },
  guardrails: { guardrails: [{ type: 'moderation', blocking: true }] },
  safetySettings: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
  cachedContent: { cachedContent: 'cachedContents/abc123' },
  documents: { documents: ['Paris is the capital of France.'] },
  citation_options: { citation_options: { mode: 'FAST' } },
  safety_mode: { safety_mode: 'STRICT' },
};

const ANTHROPIC_SAMPLES: Record<string, Record<string, unknown>> = {
  model: {},
  messages: {},
  max_tokens: {},
  system: { system: 'Be brief.' },
  metadata: { metadata: { user_id: 'user-1' } },
  stop_sequences: { stop_sequences: ['END'] },
  stream: { stream: true },
  temperature: { temperature: 0.5 },
  top_p: { top_p: 0.9 },
  top_k: { top_k: 5 },
  tools: { tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }] },
  tool_choice: { tool_choice: { type: 'any' }, tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] },
  thinking: { thinking: { type: 'enabled', budget_tokens: 2048 } },
  output_config: { output_config: { format: { type: 'json_schema', schema: SCHEMA } } },
  output_format: { output_format: { type: 'json_schema', schema: SCHEMA } },
  cache_control: { cache_control: { type: 'ephemeral' } },
  container: { container: 'container_1' },
  diagnostics: { diagnostics: { enabled: true } },
  inference_geo: { inference_geo: 'us' },
  service_tier: { service_tier: 'standard_only' },
  speed: { speed: 'fast' },
  mcp_servers: { mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'example' }] },
};

const MODELS: Record<ProviderTypeName, string> = {
  openai: 'openai/gpt-4o',
  'openai-compatible': 'compat/llama-3.1-8b',
  anthropic: 'anthropic/claude-sonnet-4-5',
  gemini: 'gemini/gemini-2.5-flash',
  mistral: 'mistral/mistral-small-latest',
  mock: 'mock/echo',
  bedrock: 'bedrock/us.anthropic.claude-sonnet-4-5',
  vertex: 'vertex/gemini-2.5-flash',
  cohere: 'cohere/command-a-03-2025',
};

interface Seen {
  path: string;
  body: any;
}

let mocks: Record<Exclude<ProviderTypeName, 'mock'>, HttpMock>;
/** The built-in mock answers in-process: its transport is observed (wrapped, not replaced). */
const mockSeen: Seen[] = [];
const originalMockTransport = mockAdapter.localTransport!;
let gw: TestGateway;
let oai: OpenAI;
let claude: Anthropic;

beforeAll(async () => {
  const [openai, compat, anthropic, gemini, mistral, bedrock, vertex, cohere] = await Promise.all([
    startHttpMock(openaiMockHandler()),
    startHttpMock(openaiMockHandler()),
    startHttpMock(defaultAnthropicHandler),
    startHttpMock(geminiDefaultHandler),
    startHttpMock(mistralMockHandler()),
    startHttpMock(bedrockMockHandler()),
    startVertexMock(),
    startHttpMock(cohereMockHandler()),
  ]);
  mocks = { openai: openai!, 'openai-compatible': compat!, anthropic: anthropic!, gemini: gemini!, mistral: mistral!, bedrock: bedrock!, vertex: vertex!, cohere: cohere! };
  const observed: LocalTransport = (req: UpstreamRequest, cfg, signal) => {
    mockSeen.push({ path: req.url, body: req.body ? JSON.parse(req.body) : undefined });
    return originalMockTransport(req, cfg, signal);
  };
  mockAdapter.localTransport = observed;
  gw = await startGateway(`providers:
  openai: { type: openai, api_key: "sk-test-openai-000000000000", base_url: "${openai!.url}/v1" }
  compat: { type: openai-compatible, api_key: "compat-key", base_url: "${compat!.url}/v1" }
  anthropic: { type: anthropic, api_key: "sk-ant-test-000000000000", base_url: "${anthropic!.url}" }
  gemini: { type: gemini, api_key: "AIzaTest00000000000000000000", base_url: "${gemini!.url}" }
  mistral: { type: mistral, api_key: "${MISTRAL_MOCK_KEY}", base_url: "${mistral!.url}" }
  bedrock: { type: bedrock, base_url: "${bedrock!.url}", region: ${BEDROCK_MOCK_REGION}, access_key_id: ${BEDROCK_MOCK_CREDENTIALS.accessKeyId}, secret_access_key: ${BEDROCK_MOCK_CREDENTIALS.secretAccessKey} }
  vertex: { type: vertex, base_url: "${vertex!.url}", project: ${VERTEX_MOCK_PROJECT}, access_token: "${VERTEX_MOCK_TOKEN}" }
  cohere: { type: cohere, api_key: "${COHERE_MOCK_KEY}", base_url: "${cohere!.url}" }
`);
  oai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
  claude = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  mockAdapter.localTransport = originalMockTransport;
  await gw?.close();
  await Promise.all(Object.values(mocks ?? {}).map((m) => m.close()));
});

const seenBy = (type: ProviderTypeName): Seen[] => (type === 'mock' ? mockSeen : mocks[type].requests);

function at(body: any, path: string): unknown {
  return path.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), body);
}

/** Sends one request; returns the error (if any) and the upstream request it caused (if any). */
async function send(surface: 'openai' | 'anthropic', type: ProviderTypeName, extra: Record<string, unknown>): Promise<{ err?: any; seen?: Seen; recordsBefore: number }> {
  const before = seenBy(type).length;
  const recordsBefore = gw.records.length;
  const model = MODELS[type];
  let err: any;
  try {
    if (surface === 'openai') {
      const res: any = await oai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello there' }], ...extra } as any);
      if (extra.stream === true) for await (const _ of res);
    } else {
      const res: any = await claude.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hello there' }], ...extra } as any);
      if (extra.stream === true) for await (const _ of res);
    }
  } catch (e) {
    err = e;
  }
  const seen = seenBy(type).slice(before);
  expect(seen.length, 'at most one upstream request').toBeLessThanOrEqual(1);
  return { err, seen: seen[0], recordsBefore };
}

async function expectOutcome(rule: ParameterRule, param: string, sample: Record<string, unknown>, type: ProviderTypeName, out: { err?: any; seen?: Seen; recordsBefore?: number }, surface: 'openai' | 'anthropic'): Promise<void> {
  if (rule.status === 'refused') {
    expect(out.err?.status, `${param} → ${type} must be a 400`).toBe(400);
    if (surface === 'openai') expect(out.err.param).toBe(param);
    expect(out.err.message).toMatch(new RegExp(`\\b${param}\\b`));
    expect(out.seen, 'a refused request never reaches the upstream').toBeUndefined();
    return;
  }
  expect(out.err, `${param} → ${type}: ${out.err?.message}`).toBeUndefined();
  expect(out.seen, `${param} → ${type} reached the upstream`).toBeDefined();
  const { path, body } = out.seen!;
  if (rule.status === 'passed') {
    // model/messages/max_tokens are in every request: the sample adds nothing to compare against.
    if (sample[param] === undefined) expect(body).toHaveProperty([param]);
    else expect(body[param], `${param} passed verbatim to ${type}`).toEqual(sample[param]);
    return;
  }
  if (rule.to.startsWith('ledger ')) {
    // Not sent (the provider has no such field): kept on the usage record instead.
    await until(() => gw.records.length > out.recordsBefore!);
    const rec = gw.records.at(-1)!;
    expect(rec.tags?.user, `${param} → ${type} kept as the record's user tag`).toBeTruthy();
  } else if (rule.to.startsWith('url ')) {
    const fragment = rule.to.slice(4).replace('{model}', MODELS[type].split('/')[1]!);
    expect(path, `${param} → ${type} URL`).toContain(fragment);
  } else {
    expect(at(body, rule.to), `${param} → ${type} mapped to ${rule.to}`).toBeDefined();
  }
}

function cases(table: Readonly<Record<string, Record<ProviderTypeName, ParameterRule>>>) {
  return Object.keys(table).flatMap((param) => PROVIDER_TYPE_NAMES.map((type) => [param, type, table[param]![type]] as const));
}

describe('the table covers every parameter of both APIs', () => {
  it("every property of OpenAI's CreateChatCompletionRequest has a row", () => {
    // Extracted from OpenAI's published OpenAPI document (see the file's `source`).
    const names = (JSON.parse(readFileSync(new URL('../fixtures/openai/chat-request-properties.json', import.meta.url), 'utf8')) as { properties: string[] }).properties;
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !(n in OPENAI_CHAT_PARAMETERS))).toEqual([]);
    expect(Object.keys(OPENAI_SAMPLES).sort()).toEqual(Object.keys(OPENAI_CHAT_PARAMETERS).sort());
  });

  it("every body field of the Anthropic SDK's MessageCreateParams has a row", () => {
    const dts = readFileSync(new URL('../../node_modules/@anthropic-ai/sdk/resources/messages/messages.d.ts', import.meta.url), 'utf8');
    const block = dts.slice(dts.indexOf('export interface MessageCreateParamsBase {'));
    // Fields documented as "Header param:" (user_profile_id, workspace_id) travel as headers, not in the body.
    const fields = [...block.slice(0, block.indexOf('\n}')).matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*)?^ {4}([a-z_]+)\??:/gm)]
      .filter((m) => !m[1]?.includes('Header param:'))
      .map((m) => m[2]!);
    expect(fields).not.toContain('workspace_id');
    expect(fields).toContain('max_tokens');
    expect(fields.filter((n) => !(n in ANTHROPIC_MESSAGES_PARAMETERS))).toEqual([]);
    expect(Object.keys(ANTHROPIC_SAMPLES).sort()).toEqual(Object.keys(ANTHROPIC_MESSAGES_PARAMETERS).sort());
  });

  it('the README shows the table as the code has it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(renderParameterTable());
  });

  it('GET /v1/capabilities serves the table', async () => {
    const res = await fetch(`${gw.url}/v1/capabilities`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.provider_types).toEqual([...PROVIDER_TYPE_NAMES]);
    expect(doc.surfaces['/v1/chat/completions']).toEqual(JSON.parse(JSON.stringify(OPENAI_CHAT_PARAMETERS)));
    expect(doc.surfaces['/v1/messages']).toEqual(JSON.parse(JSON.stringify(ANTHROPIC_MESSAGES_PARAMETERS)));
  });
});

describe('/v1/chat/completions with the openai SDK: each parameter × provider type as the table says', () => {
  it.each(cases(OPENAI_CHAT_PARAMETERS))('%s → %s', async (param, type, rule) => {
    const sample = OPENAI_SAMPLES[param]!;
    await expectOutcome(rule, param, sample, type, await send('openai', type, sample), 'openai');
  });
});

describe('/v1/messages with the Anthropic SDK: each parameter × provider type as the table says', () => {
  it.each(cases(ANTHROPIC_MESSAGES_PARAMETERS))('%s → %s', async (param, type, rule) => {
    const sample = ANTHROPIC_SAMPLES[param]!;
    await expectOutcome(rule, param, sample, type, await send('anthropic', type, sample), 'anthropic');
  });
});

describe('refusals waive the value that asks for nothing', () => {
  it.each([
    ['n', 1, 'anthropic'],
    ['logprobs', false, 'gemini'],
    ['store', false, 'mistral'],
    ['modalities', ['text'], 'anthropic'],
    ['parallel_tool_calls', true, 'gemini'],
  ] as const)('%s: %j is accepted by %s', async (param, value, type) => {
    const rule = OPENAI_CHAT_PARAMETERS[param]![type];
    expect(rule).toMatchObject({ status: 'refused', unless: value });
    const out = await send('openai', type, { [param]: value, ...(param === 'parallel_tool_calls' && { tools: [WEATHER] }) });
    expect(out.err).toBeUndefined();
    expect(out.seen).toBeDefined();
  });

  it('a field the table does not know is refused on a translated request and passed on pass-through', async () => {
    const refused = await send('openai', 'gemini', { made_up_knob: 3 });
    expect(refused.err?.status).toBe(400);
    expect(refused.err.param).toBe('made_up_knob');
    expect(refused.seen).toBeUndefined();
    const passed = await send('openai', 'openai-compatible', { made_up_knob: 3 });
    expect(passed.seen?.body.made_up_knob).toBe(3);
  });
});

describe("the issue's examples, value by value", () => {
  it.each([
    [2048, 'low'],
    [10_000, 'medium'],
    [18_000, 'high'],
  ] as const)('Anthropic thinking.budget_tokens %i → reasoning_effort %s for an OpenAI-format reasoning model (and Mistral)', async (budget, effort) => {
    // Reasoning models whose catalog output cap allows max_tokens 20,000 (the compatible host's model is uncatalogued).
    const reasoning = { openai: 'openai/o4-mini', 'openai-compatible': MODELS['openai-compatible'], mistral: 'mistral/magistral-medium-latest' };
    for (const type of ['openai', 'openai-compatible', 'mistral'] as const) {
      const out = await send('anthropic', type, { model: reasoning[type], thinking: { type: 'enabled', budget_tokens: budget }, max_tokens: 20_000 });
      expect(out.err).toBeUndefined();
      expect(out.seen?.body.reasoning_effort, type).toBe(effort);
      expect(out.seen?.body).not.toHaveProperty('thinking');
    }
  });

  it('OpenAI-SDK extras reach their provider: Mistral prompt_mode + safe_prompt, Gemini safetySettings, Anthropic top_k', async () => {
    const mistral = await send('openai', 'mistral', { prompt_mode: 'reasoning', safe_prompt: true, seed: 3 });
    expect(mistral.seen?.body).toMatchObject({ prompt_mode: 'reasoning', safe_prompt: true, random_seed: 3 });
    const settings = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_ONLY_HIGH' }];
    const gemini = await send('openai', 'gemini', { safetySettings: settings, top_k: 12 });
    expect(gemini.seen?.body.safetySettings).toEqual(settings);
    expect(gemini.seen?.body.generationConfig.topK).toBe(12);
    const anthropic = await send('openai', 'anthropic', { top_k: 7, safety_identifier: 'end-user-9' });
    expect(anthropic.seen?.body).toMatchObject({ top_k: 7, metadata: { user_id: 'end-user-9' } });
  });

  it('a provider-specific field aimed at the wrong provider is a 400 naming it', async () => {
    const out = await send('openai', 'anthropic', { safe_prompt: true });
    expect(out.err?.status).toBe(400);
    expect(out.err.param).toBe('safe_prompt');
    expect(out.err.message).toMatch(/Mistral-only/);
    expect(out.seen).toBeUndefined();
  });
});

it('an unknown field name is echoed back at most 64 characters long', async () => {
  const long = `x${'y'.repeat(500)}`;
  const out = await send('openai', 'mistral', { [long]: 1 });
  expect(out.err?.status).toBe(400);
  expect(out.err.param).toBe(`${long.slice(0, 64)}…`);
  expect(out.err.message).not.toContain(long.slice(0, 65));
  expect(out.seen).toBeUndefined();
});
