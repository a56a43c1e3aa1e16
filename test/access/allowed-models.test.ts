import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { startOpenAIMock } from '../mocks/openai.js';

/**
 * A key's allowed_models apply to the model a name resolves to: `gpt-4o-mini`,
 * `openai/gpt-4o-mini` and an alias of it are one model; an alias or a fallback reaching a model
 * the key may not use is refused; `GET /v1/models` lists only what the key may call.
 */
describe('allowed_models on the resolved model', () => {
  let upstream: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    upstream = await startOpenAIMock();
    tmp = tempDir();
    gw = await startInstance(
      `providers:
  openai: { type: openai, api_key: "sk-test-0123456789", base_url: "${upstream.url}/v1" }
models:
  mini: { targets: [openai/gpt-4o-mini] }
  mixed: { targets: [openai/gpt-4o-mini, openai/gpt-4o] }
`,
      { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/l.db` },
    );
    const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'acl' })).json;
    for (const [name, allowed] of Object.entries({ qualified: ['openai/gpt-4o-mini'], bare: ['gpt-4o-mini'], prefix: ['openai/*'], alias: ['mini'] })) {
      keys[name] = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name, allowed_models: allowed })).json.key;
    }
  });
  afterAll(async () => {
    await gw?.close(1000);
    await upstream?.close();
    tmp?.remove();
  });

  const openai = (key: string) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
  const ask = (key: string, model: string, headers?: Record<string, string>) =>
    openai(key).chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] }, headers && { headers }).withResponse();
  const lastUpstreamModel = () => upstream.requests.at(-1)?.body.model;

  it('a key allowed openai/gpt-4o-mini may call it as gpt-4o-mini, openai/gpt-4o-mini or an alias of it', async () => {
    for (const model of ['gpt-4o-mini', 'openai/gpt-4o-mini', 'mini']) {
      const before = upstream.requests.length;
      const { data, response } = await ask(keys.qualified!, model);
      expect(data.choices[0]!.message.role).toBe('assistant');
      expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
      expect(upstream.requests.length).toBe(before + 1);
      expect(lastUpstreamModel()).toBe('gpt-4o-mini');
    }
    // the same model, whichever way the key's entry names it
    for (const k of ['bare', 'prefix', 'alias']) {
      expect((await ask(keys[k]!, 'openai/gpt-4o-mini')).response.status).toBe(200);
      expect((await ask(keys[k]!, 'gpt-4o-mini')).response.status).toBe(200);
    }
  });

  it('another model, an alias reaching one, or such a fallback is refused (403) before the upstream sees it', async () => {
    const before = upstream.requests.length;
    for (const model of ['gpt-4o', 'openai/gpt-4o', 'mixed']) {
      const err = await ask(keys.qualified!, model).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((err as Error).message).toContain(`not allowed to use the model '${model}'`);
    }
    const fb = await ask(keys.qualified!, 'gpt-4o-mini', { 'x-tollgate-fallbacks': 'gpt-4o' }).catch((e: unknown) => e);
    expect(fb).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(upstream.requests.length).toBe(before);
    // an alias fallback resolving to an allowed model is fine
    expect((await ask(keys.qualified!, 'openai/gpt-4o-mini', { 'x-tollgate-fallbacks': 'mini' })).response.status).toBe(200);
    // the Anthropic surface applies the same rule, in Anthropic's envelope
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: keys.qualified!, maxRetries: 0 });
    const denied = await anthropic.messages.create({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Anthropic.PermissionDeniedError);
    const allowed = await anthropic.messages.create({ model: 'mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(allowed.type).toBe('message');
    expect(lastUpstreamModel()).toBe('gpt-4o-mini');
  });

  it('x-tollgate-fallbacks names are checked against the key’s allowed models: 403 naming the fallback', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.qualified!}`, 'content-type': 'application/json', 'x-tollgate-fallbacks': 'openai/gpt-4o' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toContain("'openai/gpt-4o'");
  });

  it('GET /v1/models lists only what the key may call; retrieving another model is a 404', async () => {
    const ids = (key: string) => openai(key).models.list().then(async (page) => {
      const out: string[] = [];
      for await (const m of page) out.push(m.id);
      return out.sort();
    });
    expect(await ids(keys.qualified!)).toEqual(['mini', 'openai/gpt-4o-mini']);
    expect(await ids(keys.alias!)).toEqual(['mini', 'openai/gpt-4o-mini']);
    const prefixed = await ids(keys.prefix!);
    expect(prefixed).toContain('openai/gpt-4o');
    expect(prefixed).toContain('mixed');
    expect(prefixed).not.toContain('mock/echo');
    expect((await openai(keys.qualified!).models.retrieve('openai/gpt-4o-mini')).id).toBe('openai/gpt-4o-mini');
    expect(await openai(keys.qualified!).models.retrieve('openai/gpt-4o').catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
