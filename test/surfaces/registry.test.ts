/**
 * The surface registry (src/surfaces/index.ts) is the one list of client-facing routes: a real
 * gateway serves every route it lists, and each surface's errors — its own routes and unknown
 * paths beneath its prefix — come back in that surface's envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodyFor, SURFACES } from '../../src/surfaces/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway('providers:\n  mock: { type: mock }\n');
});
afterAll(async () => gw?.close());

const post = (path: string, body: unknown) =>
  fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The Anthropic envelope: `{type: 'error', error: {type, message}}`; OpenAI's: `{error: {message, type, param, code}}`. */
const anthropicEnvelope = { type: 'error', error: { type: 'invalid_request_error', message: expect.any(String) } };
const openAIEnvelope = { error: { type: 'invalid_request_error', message: expect.any(String), param: expect.anything(), code: expect.anything() } };

describe('surface registry', () => {
  it('lists each surface once, and the gateway serves every route it lists', () => {
    expect(new Set(SURFACES.map((s) => s.name)).size).toBe(SURFACES.length);
    const routes = SURFACES.flatMap((s) => s.routes);
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const r of routes) expect(gw.app.hasRoute({ method: r.method, url: r.url }), `${r.method} ${r.url}`).toBe(true);
  });

  it("answers a bad body on each surface's route in that surface's envelope", async () => {
    const sample = { status: 400, type: 'invalid_request_error', code: null, message: 'm' } as const;
    const keys = (o: unknown) => Object.keys(o as object).sort();
    for (const s of SURFACES) {
      const envelope = s.errorBody(sample) as { error: unknown };
      for (const r of s.routes.filter((r) => !r.url.includes(':'))) {
        const res = await post(r.url, { model: 42 });
        expect(res.status, r.url).toBe(400);
        expect(res.headers.get('x-request-id')).toMatch(/^req_/);
        const body = (await res.json()) as { error: { type: string } };
        expect(keys(body), r.url).toEqual(keys(envelope));
        expect(keys(body.error), r.url).toEqual(keys(envelope.error));
        expect(body.error.type).toBe('invalid_request_error');
      }
    }
    expect(await (await post('/v1/messages', { model: 42 })).json()).toEqual(anthropicEnvelope);
    expect(await (await post('/v1/embeddings', { model: 42 })).json()).toMatchObject(openAIEnvelope);
    // Prompt calls (a path parameter; the body is the variables): an unknown prompt is a 404.
    const prompt = await post('/v1/prompts/no-such-prompt', {});
    expect(prompt.status).toBe(404);
    expect(await prompt.json()).toMatchObject({ error: { code: 'prompt_not_found', param: 'name' } });
  });

  it('an unknown path under /v1/messages gets the Anthropic envelope; elsewhere OpenAI\'s', async () => {
    const underMessages = await post('/v1/messages/no-such-thing', {});
    expect(underMessages.status).toBe(404);
    expect(await underMessages.json()).toEqual({ type: 'error', error: { type: 'not_found_error', message: expect.stringContaining('/v1/messages/no-such-thing') } });
    const elsewhere = await post('/v1/no-such-thing', {});
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'not_found' } });
  });

  it('picks the envelope by the longest matching prefix, query string ignored', () => {
    const shape = { status: 400, type: 'invalid_request_error', code: null, message: 'm' } as const;
    expect(errorBodyFor('/v1/messages/count_tokens?beta=true')(shape)).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'm' } });
    expect(errorBodyFor('/v1/chat/completions')(shape)).toEqual({ error: { message: 'm', type: 'invalid_request_error', param: null, code: null } });
    expect(errorBodyFor('/admin/keys')(shape)).toEqual({ error: { message: 'm', type: 'invalid_request_error', param: null, code: null } });
  });
});
