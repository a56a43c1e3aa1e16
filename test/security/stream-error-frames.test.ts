/**
 * Issue #10 item 4 and issue #11: an error frame an upstream sends mid-stream reaches the client
 * once, scrubbed of every configured secret (the upstream here echoes the request headers in
 * it) — pass-through included, where ordinary frames stay raw bytes — and the gateway appends
 * no "stream ended before it finished" error of its own after it. Both surfaces, pass-through
 * and translated.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/gateway.js';
import { assertNoSecretRun } from '../helpers/secrets.js';
import { anthropicStreamFrames } from '../mocks/anthropic.js';
import type { RecordedRequest } from '../mocks/http-mock.js';
import { openaiStreamFrames } from '../mocks/openai.js';
import { SECRETS, echoHeaders, secretValues, startSecretsFixture, type SecretsFixture } from './fixture.js';

let f: SecretsFixture;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  f = await startSecretsFixture();
  openai = new OpenAI({ baseURL: `${f.gw.url}/v1`, apiKey: SECRETS.STATIC_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: f.gw.url, apiKey: SECRETS.STATIC_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await f?.close();
});

const messages = [{ role: 'user' as const, content: 'hi' }];

/** An OpenAI-format stream: two content chunks, then the upstream's own error frame, then nothing. */
const openaiErrorMidStream = (req: RecordedRequest) => ({
  sse: [
    ...openaiStreamFrames({ text: 'partial answer' }).slice(0, 3),
    `data: ${JSON.stringify({ error: { message: `server overloaded; you sent ${echoHeaders(req)}`, type: 'server_error', param: null, code: null } })}\n\n`,
  ],
});
/** An Anthropic stream: message_start and a text delta, then `event: error` echoing the headers. */
const anthropicErrorMidStream = (req: RecordedRequest) => ({
  sse: [
    ...anthropicStreamFrames({ text: 'partial answer' }).slice(0, 4),
    `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: `Overloaded; you sent ${echoHeaders(req)}` } })}\n\n`,
  ],
});

async function rawStream(path: string, body: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${f.gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRETS.STATIC_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  return { status: res.status, text: await res.text() };
}

const count = (text: string, what: RegExp) => text.match(new RegExp(what, 'g'))?.length ?? 0;

describe('/v1/chat/completions', () => {
  it('pass-through (OpenAI-format upstream): the upstream error frame once, scrubbed; content frames untouched', async () => {
    f.answer(openaiErrorMidStream);
    const before = f.upstream.requests.length;
    const { status, text } = await rawStream('/v1/chat/completions', { model: 'oai/gpt-4o', messages });
    expect(status).toBe(200);
    // The upstream was sent the key and the configured header the echo carries back.
    expect(f.upstream.requests[before]!.headers.authorization).toBe(`Bearer ${SECRETS.OAI_KEY}`);
    expect(f.upstream.requests[before]!.headers['x-org-token']).toBe(SECRETS.ORG_TOKEN);
    assertNoSecretRun(text, secretValues, 'stream');
    expect(count(text, /"error"/)).toBe(1);
    expect(text).toContain('server overloaded; you sent');
    expect(text).not.toContain('ended before it finished');
    // The content frames came through as the upstream sent them.
    for (const frame of openaiStreamFrames({ text: 'partial answer' }).slice(0, 3)) expect(text).toContain(frame);
    await until(() => f.gw.records.at(-1)?.status === 502);
  });

  it('pass-through: the openai SDK raises the upstream error, once', async () => {
    f.answer(openaiErrorMidStream);
    const got: string[] = [];
    const err = await (async () => {
      const stream = await openai.chat.completions.create({ model: 'oai/gpt-4o', messages, stream: true });
      for await (const c of stream) got.push(c.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as Error).message).toContain('server overloaded');
    assertNoSecretRun((err as Error).message, secretValues, 'SDK error');
    expect(got.join('')).toBe('partial answer');
  });

  it('translated (Anthropic upstream): the upstream error once, scrubbed, nothing appended', async () => {
    f.answer(anthropicErrorMidStream);
    const before = f.upstream.requests.length;
    const { status, text } = await rawStream('/v1/chat/completions', { model: 'anthropic/claude-sonnet-4-5', messages });
    expect(status).toBe(200);
    expect(f.upstream.requests[before]!.headers['x-api-key']).toBe(SECRETS.ANTHROPIC_KEY);
    assertNoSecretRun(text, secretValues, 'stream');
    expect(count(text, /event: error/)).toBe(1);
    expect(text).toContain('Overloaded; you sent');
    expect(text).not.toContain('ended before');
  });
});

describe('/v1/messages', () => {
  it('pass-through (Anthropic upstream): `event: error` once, scrubbed; the SDK raises it', async () => {
    f.answer(anthropicErrorMidStream);
    const before = f.upstream.requests.length;
    const { status, text } = await rawStream('/v1/messages', { model: 'anthropic/claude-sonnet-4-5', max_tokens: 20, messages });
    expect(status).toBe(200);
    expect(f.upstream.requests[before]!.headers['x-ant-org']).toBe(SECRETS.ANTHROPIC_HDR);
    assertNoSecretRun(text, secretValues, 'stream');
    expect(count(text, /event: error/)).toBe(1);
    expect(text).toContain('Overloaded; you sent');
    expect(text).not.toContain('ended before');

    f.answer(anthropicErrorMidStream);
    const err = await (async () => {
      const stream = anthropic.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 20, messages });
      await stream.finalMessage();
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as Error).message).toContain('Overloaded');
    assertNoSecretRun((err as Error).message, secretValues, 'SDK error');
  });

  it('translated (OpenAI-format upstream): the upstream error once, scrubbed, nothing appended', async () => {
    f.answer(openaiErrorMidStream);
    const { status, text } = await rawStream('/v1/messages', { model: 'oai/gpt-4o', max_tokens: 20, messages });
    expect(status).toBe(200);
    assertNoSecretRun(text, secretValues, 'stream');
    expect(count(text, /event: error/)).toBe(1);
    expect(text).toContain('server overloaded; you sent');
    expect(text).not.toContain('ended before');
  });

  it('a stream really cut short still gets the gateway’s one cut-stream error', async () => {
    f.answer(() => ({ sse: anthropicStreamFrames({ text: 'partial answer' }), cutAfter: 4, chunkDelayMs: 10 }));
    const { text } = await rawStream('/v1/messages', { model: 'anthropic/claude-sonnet-4-5', max_tokens: 20, messages });
    expect(text).toContain('event: message_start');
    expect(count(text, /event: error/)).toBe(1);
    expect(text).toMatch(/ended before it finished|failed mid-response/);
  });
});

describe('logs', () => {
  it('no captured log line holds any part of a configured secret', () => {
    assertNoSecretRun(f.logs.text(), secretValues, 'log');
  });
});
