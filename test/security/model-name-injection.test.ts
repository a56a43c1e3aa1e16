/**
 * Issue #10 items 1 and 6: a model name is client input. Put into an upstream URL unencoded,
 * `gemini/../../../openai/v1/chat/completions#` sent the operator's Gemini key to another path
 * on the provider's host and `…?alt=evil&x=` injected a query; CR/LF/NUL in a name got a 500
 * after the upstream call was made (and billed). Each is now a 400 naming `model`, before any
 * upstream request, on every surface.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecretRun } from '../helpers/secrets.js';
import { SECRETS, secretValues, startSecretsFixture, type SecretsFixture } from './fixture.js';

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

async function post(path: string, body: unknown): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(`${f.gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRETS.STATIC_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

const INJECTED = [
  'gemini/../../../openai/v1/chat/completions#',
  'gemini/x?alt=evil&x=',
  'gemini/..',
  'gemini/models/../../v1/files',
  'gemini/a#frag',
  'gemini/a\\..\\..\\b',
  'azure/../../deployments/other',
  'azure/dep?api-version=evil&x=',
];

describe('model names in upstream URLs', () => {
  it.each(INJECTED)('%j is refused with a 400 on model, no upstream request (OpenAI SDK)', async (model) => {
    const before = f.upstream.requests.length;
    const err = await openai.chat.completions.create({ model, messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect((e.error as any).param).toBe('model');
    expect(e.message).toMatch(/one path segment/);
    expect(f.upstream.requests.length).toBe(before);
  });

  it('streaming and /v1/messages refuse it the same way (Anthropic SDK, Anthropic envelope)', async () => {
    const before = f.upstream.requests.length;
    const streamErr = await openai.chat.completions.create({ model: INJECTED[0]!, messages, stream: true }).catch((e: unknown) => e);
    expect(streamErr).toBeInstanceOf(OpenAI.BadRequestError);
    const err = await anthropic.messages.create({ model: INJECTED[1]!, max_tokens: 10, messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(f.upstream.requests.length).toBe(before);
  });

  it('/v1/embeddings refuses it too', async () => {
    const before = f.upstream.requests.length;
    const res = await post('/v1/embeddings', { model: 'gemini/../../../v1/embeddings#', input: 'x' });
    expect(res.status).toBe(400);
    expect(res.json.error.param).toBe('model');
    expect(f.upstream.requests.length).toBe(before);
  });

  it('an ordinary name is sent as one percent-encoded segment, the key only in its header', async () => {
    f.answer(() => ({ status: 404, json: { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } } }));
    const before = f.upstream.requests.length;
    const res = await post('/v1/chat/completions', { model: 'gemini/my model:v2', messages });
    expect(res.status).toBe(404);
    const sent = f.upstream.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual(['/v1beta/models/my%20model%3Av2:generateContent']);
    expect(sent[0]!.headers['x-goog-api-key']).toBe(SECRETS.GEMINI_KEY);
    // Azure: the deployment segment is encoded the same way.
    f.answer(() => ({ status: 404, json: { error: { message: 'no deployment', code: 'DeploymentNotFound' } } }));
    await post('/v1/chat/completions', { model: 'azure/my dep', messages });
    expect(f.upstream.requests.at(-1)!.path).toBe('/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21');
  });
});

describe('control characters in model names', () => {
  const BAD = ['oai/gpt-4o\r\nx-injected: 1', 'oai/gpt-4o\n', 'oai/gpt\u0000-4o', 'oai/gpt-4o\u007f', 'oai/gpt\u00854o'];

  it.each(BAD)('%j: 400 on /v1/chat/completions, /v1/messages, /v1/embeddings and /v1/completions, nothing sent upstream', async (model) => {
    const before = f.upstream.requests.length;
    for (const stream of [false, true]) {
      const chat = await post('/v1/chat/completions', { model, messages, stream });
      expect(chat.status).toBe(400);
      expect(chat.json.error).toMatchObject({ param: 'model', code: 'invalid_model', type: 'invalid_request_error' });
      const msgs = await post('/v1/messages', { model, max_tokens: 5, messages, stream });
      expect(msgs.status).toBe(400);
      expect(msgs.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
    const emb = await post('/v1/embeddings', { model, input: 'x' });
    expect(emb.status).toBe(400);
    expect(emb.json.error.param).toBe('model');
    const legacy = await post('/v1/completions', { model, prompt: 'x' });
    expect(legacy.status).toBe(400);
    expect(legacy.json.error.param).toBe('model');
    expect(f.upstream.requests.length).toBe(before);
    // Nothing billed either: every record is a 400 with no provider and no cost.
    const recs = f.gw.records.slice(-6);
    for (const r of recs) expect(r).toMatchObject({ status: 400, costNanos: 0 });
  });

  it('a fallback name with a control character is refused the same way', async () => {
    const before = f.upstream.requests.length;
    const res = await fetch(`${f.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.STATIC_KEY}`, 'content-type': 'application/json', 'x-tollgate-fallbacks': 'oai/a\u0001b' },
      body: JSON.stringify({ model: 'oai/gpt-4o', messages }),
    }).catch((e: unknown) => e);
    // undici refuses to send a control character in a header at all; either way nothing reaches upstream.
    if (res instanceof Response) expect(res.status).toBe(400);
    expect(f.upstream.requests.length).toBe(before);
  });

  it('no configured secret reached any response or log line', () => {
    assertNoSecretRun(f.logs.text(), secretValues, 'log');
  });
});
