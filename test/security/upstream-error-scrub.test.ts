/**
 * Issue #10 items 2 and 3: upstream error text is scrubbed of every configured secret before it
 * reaches a client or a log — provider keys, configured header values (`x-org-token`), keys of
 * any shape — and scrubbed BEFORE it is cut short, so a key split by a 200-character quote cannot
 * leak its first half. The upstream here echoes the request headers it received.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecretRun } from '../helpers/secrets.js';
import { anthropicStreamFrames } from '../mocks/anthropic.js';
import { openaiStreamFrames } from '../mocks/openai.js';
import type { RecordedRequest } from '../mocks/http-mock.js';
import { SECRETS, echoHeaders, secretValues, startSecretsFixture, type SecretsFixture } from './fixture.js';

let f: SecretsFixture;

beforeAll(async () => {
  f = await startSecretsFixture();
});
afterAll(async () => {
  await f?.close();
});

const messages = [{ role: 'user' as const, content: 'hi' }];

async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${f.gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRETS.STATIC_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** The credential each provider is sent, by model prefix. */
const KEY_OF: Record<string, string> = {
  oai: SECRETS.OAI_KEY,
  gemini: SECRETS.GEMINI_KEY,
  anthropic: SECRETS.ANTHROPIC_KEY,
  mistral: SECRETS.MISTRAL_KEY,
};
const MODELS = ['oai/gpt-4o', 'gemini/gemini-2.5-flash', 'anthropic/claude-sonnet-4-5', 'mistral/mistral-small-latest'];

/** 190 characters of padding, then the key: a 200-character quote cuts the key after 10 of its characters. */
const straddling = (key: string, req: RecordedRequest, pad = 190) => `${'x'.repeat(pad)}${key} and the request headers were ${echoHeaders(req)}`;

describe('upstream error bodies that echo the request', () => {
  it.each(MODELS)('%s: a JSON error echoing every header → 502, no secret in body or log (chat and messages surfaces)', async (model) => {
    for (const status of [500, 401, 400]) {
      f.answer((req) => ({ status, json: { error: { message: `failed; headers: ${echoHeaders(req)}`, type: 'x' }, type: 'error' } }));
      const before = f.upstream.requests.length;
      const chat = await post('/v1/chat/completions', { model, messages });
      expect(chat.status).toBe(status === 400 ? 400 : 502);
      assertNoSecretRun(chat.text, secretValues, `chat ${status} body`);
      const msgs = await post('/v1/messages', { model, max_tokens: 5, messages });
      expect(msgs.status).toBe(status === 400 ? 400 : 502);
      assertNoSecretRun(msgs.text, secretValues, `messages ${status} body`);
      // The upstream really was sent the secrets this test looks for.
      const sent = f.upstream.requests.slice(before).map((r) => JSON.stringify(r.headers)).join('');
      expect(sent).toContain(KEY_OF[model.split('/')[0]!]);
      expect(chat.text).toMatch(/\[redacted\]|\*\*\*/); // the gateway's scrub, or the adapter's own bearer mask
    }
  });

  it('the configured header value (x-org-token) was sent upstream, and is scrubbed from the echo', async () => {
    f.answer((req) => ({ status: 502, json: { error: { message: `proxy refused: x-org-token=${req.headers['x-org-token']}` } } }));
    const before = f.upstream.requests.length;
    const res = await post('/v1/chat/completions', { model: 'oai/gpt-4o', messages });
    expect(f.upstream.requests[before]!.headers['x-org-token']).toBe(SECRETS.ORG_TOKEN);
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text).error.message).toBe('oai: proxy refused: x-org-token=[redacted]');
  });

  it.each(MODELS)('%s: a non-JSON error body with the key across the 200-character cut leaks none of it', async (model) => {
    const key = KEY_OF[model.split('/')[0]!]!;
    f.answer((req) => ({ status: 500, body: straddling(key, req) }));
    for (const stream of [false, true]) {
      const chat = await post('/v1/chat/completions', { model, messages, stream });
      expect(chat.status).toBe(502);
      assertNoSecretRun(chat.text, secretValues, 'chat body');
      const msgs = await post('/v1/messages', { model, max_tokens: 5, messages, stream });
      expect(msgs.status).toBe(502);
      assertNoSecretRun(msgs.text, secretValues, 'messages body');
    }
  });

  it('the official SDKs raise the scrubbed error', async () => {
    f.answer((req) => ({ status: 500, body: straddling(SECRETS.OAI_KEY, req) }));
    const openai = new OpenAI({ baseURL: `${f.gw.url}/v1`, apiKey: SECRETS.STATIC_KEY, maxRetries: 0 });
    const err = await openai.chat.completions.create({ model: 'oai/gpt-4o', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    assertNoSecretRun((err as Error).message, secretValues, 'openai SDK error');
    f.answer((req) => ({ status: 500, body: straddling(SECRETS.ANTHROPIC_KEY, req) }));
    const anthropic = new Anthropic({ baseURL: f.gw.url, apiKey: SECRETS.STATIC_KEY, maxRetries: 0 });
    const aerr = await anthropic.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 5, messages }).catch((e: unknown) => e);
    expect(aerr).toBeInstanceOf(Anthropic.InternalServerError);
    assertNoSecretRun((aerr as Error).message, secretValues, 'anthropic SDK error');
  });

  it('embeddings errors are scrubbed the same way', async () => {
    for (const model of ['oai/text-embedding-3-small', 'gemini/text-embedding-004', 'mistral/mistral-embed']) {
      const key = KEY_OF[model.split('/')[0]!]!;
      f.answer((req) => ({ status: 500, body: straddling(key, req) }));
      const res = await post('/v1/embeddings', { model, input: 'x' });
      expect(res.status).toBe(502);
      assertNoSecretRun(res.text, secretValues, `${model} embeddings body`);
    }
  });
});

describe('translated answers that quote a malformed body', () => {
  it('Gemini upstream, HTTP 200 with a body that is not an object: the quote holds no part of the key', async () => {
    f.answer((req) => ({ status: 200, json: straddling(SECRETS.GEMINI_KEY, req) }));
    const res = await post('/v1/chat/completions', { model: 'gemini/gemini-2.5-flash', messages });
    expect(res.status).toBe(502);
    expect(res.text).toContain('not a JSON object');
    assertNoSecretRun(res.text, secretValues, 'body');
  });
});

describe('translated streams that quote a malformed frame', () => {
  it('Anthropic upstream → /v1/chat/completions: a malformed frame with the key across the cut', async () => {
    f.answer((req) => {
      const start = anthropicStreamFrames({ text: 'hello there' }).slice(0, 3);
      return { sse: [...start, `event: content_block_delta\ndata: {not json ${straddling(SECRETS.ANTHROPIC_KEY, req, 180)}\n\n`] };
    });
    const res = await post('/v1/chat/completions', { model: 'anthropic/claude-sonnet-4-5', messages, stream: true });
    expect(res.status).toBe(200);
    expect(res.text).toContain('malformed');
    assertNoSecretRun(res.text, secretValues, 'stream');
  });

  it('OpenAI-format upstream → /v1/messages: the same, cut at 120 characters', async () => {
    f.answer((req) => {
      const start = openaiStreamFrames({ text: 'hello there' }).slice(0, 2);
      return { sse: [...start, `data: {oops ${'y'.repeat(100)}${SECRETS.OAI_KEY} ${echoHeaders(req)}\n\n`] };
    });
    const res = await post('/v1/messages', { model: 'oai/gpt-4o', max_tokens: 5, messages, stream: true });
    expect(res.status).toBe(200);
    expect(res.text).toContain('event: error');
    assertNoSecretRun(res.text, secretValues, 'stream');
  });
});

describe('logs', () => {
  it('no captured log line holds any part of a configured secret', () => {
    expect(f.logs.lines.length).toBeGreaterThan(0);
    assertNoSecretRun(f.logs.text(), secretValues, 'log');
  });
});

describe('assertNoSecretRun', () => {
  it('finds any 8-character run of a secret, and passes text with shorter runs', () => {
    const s = SECRETS.OAI_KEY;
    expect(() => assertNoSecretRun(`…${s.slice(5, 13)}…`, [s])).toThrow(/8 characters of a configured secret/);
    expect(() => assertNoSecretRun(`${s.slice(0, 7)} ${s.slice(7, 14)}`, [s])).not.toThrow();
  });
});
