/**
 * Issue #11, items 1 and 2, end to end with the official SDKs as clients and loopback mocks that
 * answer with the recorded payloads (copied into the repo from the providers' real traffic) (edited only where a test needs a refusal
 * or a second choice):
 * - an OpenAI-format refusal (`message.refusal`, `delta.refusal`) reaches a /v1/messages client
 *   as text with `stop_reason: "refusal"`; an Anthropic `stop_reason: "refusal"` reaches an
 *   OpenAI client as `finish_reason: "content_filter"`;
 * - `n` > 1: every Gemini candidate / Mistral choice is its own choice (unary and stream);
 *   Anthropic refuses `n` > 1 with a 400 naming `n`, and is never called.
 */
import { existsSync, readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startHttpMock, type HttpMock, type MockReply } from '../mocks/http-mock.js';
import { createCheckingFetch } from '../openapi/validate.js';

/** The recorded payloads, as copied into the repo beside each adapter (and test/fixtures/openai). */
const WIRE_DIRS = ['../fixtures/openai/', '../../providers/gemini/__fixtures__/', '../../providers/mistral/__fixtures__/', '../../providers/anthropic/__fixtures__/'];
const wire = (name: string): string => {
  for (const dir of WIRE_DIRS) {
    const url = new URL(dir + name, import.meta.url);
    if (existsSync(url)) return readFileSync(url, 'utf8');
  }
  throw new Error(`recorded payload ${name} not found in the repo`);
};
const wireJson = (name: string): any => JSON.parse(wire(name));
const sseOf = (chunks: unknown[]): string[] => chunks.map((c) => `data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`);

const REFUSAL = "I'm sorry, I can't help with that.";

let openaiUp: HttpMock;
let anthropicUp: HttpMock;
let geminiUp: HttpMock;
let mistralUp: HttpMock;
let next: { openai?: MockReply; anthropic?: MockReply; gemini?: MockReply; mistral?: MockReply } = {};
let gw: TestGateway;
let oai: OpenAI;
let claude: Anthropic;
const checker = createCheckingFetch();

beforeAll(async () => {
  const reply = (which: keyof typeof next) => () => next[which] ?? { status: 500, json: { error: { message: 'no reply scripted' } } };
  [openaiUp, anthropicUp, geminiUp, mistralUp] = await Promise.all([
    startHttpMock(reply('openai')),
    startHttpMock(reply('anthropic')),
    startHttpMock(reply('gemini')),
    startHttpMock(reply('mistral')),
  ]);
  gw = await startGateway(`providers:
  openai: { type: openai, api_key: "sk-test-openai-000000000000", base_url: "${openaiUp.url}/v1" }
  anthropic: { type: anthropic, api_key: "sk-ant-test-000000000000", base_url: "${anthropicUp.url}" }
  gemini: { type: gemini, api_key: "AIzaTest00000000000000000000", base_url: "${geminiUp.url}" }
  mistral: { type: mistral, api_key: "mistral-test-key", base_url: "${mistralUp.url}" }
`);
  oai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0, fetch: checker.fetch });
  claude = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([openaiUp, anthropicUp, geminiUp, mistralUp].map((m) => m?.close()));
});

describe('refusals across surfaces', () => {
  it('unary: OpenAI message.refusal → /v1/messages text content, stop_reason "refusal"', async () => {
    const body = wireJson('openai-response-text.json');
    body.choices[0].message.content = null;
    body.choices[0].message.refusal = REFUSAL;
    next.openai = { json: body };
    const msg = await claude.messages.create({ model: 'openai/gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'do something bad' }] });
    expect(msg.content).toMatchObject([{ type: "text", text: REFUSAL }]);
    expect(msg.content).toHaveLength(1);
    expect(msg.stop_reason).toBe('refusal');
    expect(msg.usage.output_tokens).toBe(10);
    const sent = openaiUp.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body).toMatchObject({ model: 'gpt-4o', max_completion_tokens: 100, messages: [{ role: 'user', content: 'do something bad' }] });
  });

  it('stream: OpenAI delta.refusal fragments → text deltas, stop_reason "refusal"', async () => {
    // The recorded stream, with its content fragments turned into the refusal fragments a refusing model sends.
    const frames = wire('openai-stream-text-usage.sse')
      .split('\n\n')
      .filter((f) => f.startsWith('data: '))
      .map((f) => f.slice(6))
      .map((d) => {
        if (d === '[DONE]') return d;
        const c = JSON.parse(d);
        const delta = c.choices?.[0]?.delta;
        if (delta && typeof delta.content === 'string' && delta.content !== '') {
          delta.refusal = delta.content;
          delete delta.content;
        }
        return c;
      });
    const expected = frames.map((c: any) => (typeof c === 'string' ? '' : (c.choices?.[0]?.delta?.refusal ?? ''))).join('');
    expect(expected.length).toBeGreaterThan(0);
    next.openai = { sse: sseOf(frames) };
    const stream = claude.messages.stream({ model: 'openai/gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'do something bad' }] });
    let text = '';
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    expect(text).toBe(expected);
    expect(final.content).toMatchObject([{ type: 'text', text: expected }]);
    expect(final.stop_reason).toBe('refusal');
    const sent = openaiUp.requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true } });
  });

  it('reverse: Anthropic stop_reason "refusal" → OpenAI finish_reason "content_filter", the text kept as content', async () => {
    const body = wireJson('anthropic-response-text-usage.json');
    body.content = [{ type: 'text', text: 'I can’t help with' }];
    body.stop_reason = 'refusal';
    next.anthropic = { json: body };
    const res = await oai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'do something bad' }] });
    expect(res.choices[0]?.finish_reason).toBe('content_filter');
    expect(res.choices[0]?.message.content).toBe('I can’t help with');
    expect(anthropicUp.requests.at(-1)!.body).toMatchObject({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'do something bad' }] }] });
    checker.assertClean();
  });
});

/** Gemini's recorded unary answer with a second candidate (index 1). */
function geminiTwoCandidates(): unknown {
  const body = wireJson('gemini-unary-text.json');
  body.candidates[0].index = 0;
  body.candidates.push({ index: 1, content: { role: 'model', parts: [{ text: 'Mountain View.' }] }, finishReason: 'MAX_TOKENS' });
  return body;
}

describe('n > 1', () => {
  it('Gemini unary: candidateCount n upstream, every candidate a choice', async () => {
    next.gemini = { json: geminiTwoCandidates() };
    const res = await oai.chat.completions.create({ model: 'gemini/gemini-2.0-flash', n: 2, messages: [{ role: 'user', content: 'Where is Google?' }] });
    expect(res.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, "Google's headquarters, also known as the Googleplex, is located in **Mountain View, California**.\n", 'stop'],
      [1, 'Mountain View.', 'length'],
    ]);
    expect(res.usage?.completion_tokens).toBe(22);
    expect(geminiUp.requests.at(-1)!.body.generationConfig).toMatchObject({ candidateCount: 2 });
    checker.assertClean();
  });

  it('Gemini stream: candidates interleaved by index reach the client as choices 0 and 1', async () => {
    const recorded = wire('gemini-stream-text.sse')
      .split(/\r?\n\r?\n/)
      .filter((f) => f.startsWith('data: '))
      .map((f) => JSON.parse(f.slice(6)));
    // Candidate 1 streams beside candidate 0: one part per recorded chunk, finishing with it.
    const frames = recorded.map((c: any, i: number) => {
      const last = i === recorded.length - 1;
      c.candidates.push({ index: 1, content: { role: 'model', parts: [{ text: `b${i}` }] }, ...(last && { finishReason: 'STOP' }) });
      return c;
    });
    next.gemini = { sse: sseOf(frames) };
    const stream = await oai.chat.completions.create({ model: 'gemini/gemini-3.1-flash-lite', n: 2, stream: true, messages: [{ role: 'user', content: 'Capital of Wyoming?' }] });
    const text: Record<number, string> = {};
    const finish: Record<number, string | null> = {};
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        text[c.index] = (text[c.index] ?? '') + (c.delta.content ?? '');
        if (c.finish_reason) finish[c.index] = c.finish_reason;
      }
    }
    expect(text).toEqual({ 0: 'The capital of Wyoming is **Cheyenne**.\n', 1: 'b0b1b2' });
    expect(finish).toEqual({ 0: 'stop', 1: 'stop' });
    const sent = geminiUp.requests.at(-1)!;
    expect(sent.path).toContain(':streamGenerateContent');
    expect(sent.body.generationConfig).toMatchObject({ candidateCount: 2 });
    checker.assertClean();
  });

  it('Mistral unary: n upstream, every choice back', async () => {
    const body = wireJson('mistral-response-text.json');
    body.choices.push({ index: 1, finish_reason: 'length', message: { role: 'assistant', tool_calls: null, content: 'A second holiday.' } });
    next.mistral = { json: body };
    const res = await oai.chat.completions.create({ model: 'mistral/mistral-small-latest', n: 2, messages: [{ role: 'user', content: 'Invent a holiday' }] });
    expect(res.choices).toHaveLength(2);
    expect(res.choices[0]?.message.content).toBe(body.choices[0].message.content);
    expect([res.choices[1]?.index, res.choices[1]?.message.content, res.choices[1]?.finish_reason]).toEqual([1, 'A second holiday.', 'length']);
    expect(mistralUp.requests.at(-1)!.body).toMatchObject({ model: 'mistral-small-latest', n: 2 });
    checker.assertClean();
  });

  it('Mistral stream: each choice streams under its index', async () => {
    const chunks = wire('mistral-stream-text.chunks.jsonl')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const [head] = chunks;
    const second = (delta: Record<string, unknown>, finish: string | null = null) => ({ ...head, choices: [{ index: 1, delta, finish_reason: finish, logprobs: null }] });
    // The usage-carrying finish chunk of choice 0 stays last; choice 1 opens, writes and finishes before it.
    const frames = [...chunks.slice(0, -1), second({ role: 'assistant', content: '' }), second({ content: 'Other.' }), second({}, 'stop'), chunks.at(-1), '[DONE]'];
    next.mistral = { sse: sseOf(frames) };
    const stream = await oai.chat.completions.create({ model: 'mistral/mistral-small-latest', n: 2, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say hello' }] });
    const text: Record<number, string> = {};
    const finish: Record<number, string | null> = {};
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) {
        text[c.index] = (text[c.index] ?? '') + (c.delta.content ?? '');
        if (c.finish_reason) finish[c.index] = c.finish_reason;
      }
    }
    const expected0 = chunks.map((c: any) => c.choices?.[0]?.delta?.content ?? '').join('');
    expect(text).toEqual({ 0: expected0, 1: 'Other.' });
    expect(finish).toEqual({ 0: 'stop', 1: 'stop' });
    expect(usage?.completion_tokens).toBe(chunks.at(-1).usage.completion_tokens);
    expect(mistralUp.requests.at(-1)!.body).toMatchObject({ n: 2, stream: true });
    checker.assertClean();
  });

  it('Anthropic: n > 1 is a 400 naming n, Anthropic is never called; n = 1 is fine', async () => {
    const before = anthropicUp.requests.length;
    const err = await oai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', n: 2, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('n');
    expect(err.message).toMatch(/'n'/);
    expect(anthropicUp.requests.length).toBe(before);

    next.anthropic = { json: wireJson('anthropic-response-text-usage.json') };
    const ok = await oai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', n: 1, messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.choices).toHaveLength(1);
    expect(anthropicUp.requests.at(-1)!.body).not.toHaveProperty('n');
    checker.assertClean();
  });

  it('the built-in mock answers n choices too (unary and stream)', async () => {
    const res = await oai.chat.completions.create({ model: 'mock/echo', n: 3, messages: [{ role: 'user', content: 'three little words' }] });
    expect(res.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, 'three little words'],
      [1, 'three little words'],
      [2, 'three little words'],
    ]);
    expect(res.usage?.completion_tokens).toBe(9);
    const stream = await oai.chat.completions.create({ model: 'mock/echo', n: 2, stream: true, messages: [{ role: 'user', content: 'two words' }] });
    const text: Record<number, string> = {};
    for await (const chunk of stream) for (const c of chunk.choices) text[c.index] = (text[c.index] ?? '') + (c.delta.content ?? '');
    expect(text).toEqual({ 0: 'two words', 1: 'two words' });
    checker.assertClean();
  });
});
