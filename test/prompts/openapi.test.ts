/**
 * `GET /openapi.json` (docs/contract.md §5): a valid OpenAPI 3.1 document — checked with a real validator,
 * @readme/openapi-parser (OAS 3.1 schema + duplicate operationIds, path parameters…) — with one
 * operation per prompt (request body = its input schema, response = its output schema) and
 * the `/v1` surface; public by default, behind a key with `docs: { public: false }`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { EXAMPLES_DIR } from './helpers.js';

const EXAMPLES = ['classify-sentiment', 'extract-contact', 'summarize', 'translate'];
let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway(`prompts:\n  dir: "${EXAMPLES_DIR}"\n`, { TOLLGATE_ADMIN_KEY: 'tg-admin-openapi-test' }, { watchPrompts: false });
});
afterAll(async () => {
  await gw?.close();
});

async function getDoc(url = `${gw.url}/openapi.json`): Promise<any> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  return res.json();
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (no key needed: docs are public by default)', async () => {
    const doc = await getDoc();
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.valid).toBe(true);
    expect(result.specification).toBe('OpenAPI');
  });

  it('has one operation per prompt, its input schema as the request body and its output schema in the 200', async () => {
    const doc = await getDoc();
    const promptOps = Object.entries(doc.paths).filter(([p]) => /^\/v1\/prompts\/[^/{]+$/.test(p));
    expect(promptOps.map(([p]) => p.split('/').pop()).sort()).toEqual(EXAMPLES);
    for (const name of EXAMPLES) {
      const op = doc.paths[`/v1/prompts/${name}`].post;
      expect(op.operationId).toBe(`prompt_${name}`);
      const body = op.requestBody.content['application/json'].schema;
      const listed = gw.prompts.current.get(name)!.def;
      for (const k of Object.keys(listed.input.properties as object)) expect(body.properties[k]).toEqual((listed.input.properties as any)[k]);
      expect(body.required).toEqual(listed.input.required);
      expect(body.properties.stream.type).toBe('boolean');
      const ok = op.responses['200'].content['application/json'].schema;
      expect(ok.required).toEqual(['output', 'model', 'usage', 'prompt']);
      expect(ok.properties.output).toEqual(listed.output === 'text' ? { type: 'string' } : listed.output);
      expect(op.responses['200'].content['text/event-stream']).toBeDefined();
      expect(doc.paths[`/v1/prompts/${name}/versions/{version}`].post.parameters[0].schema.enum).toEqual(['1.0']);
    }
    expect(doc.paths['/v1/prompts/classify-sentiment'].post.responses['200'].content['application/json'].schema.properties.output.properties.sentiment.enum).toEqual([
      'positive',
      'neutral',
      'negative',
    ]);
  });

  it('describes the /v1 surface', async () => {
    const doc = await getDoc();
    for (const p of ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/models', '/v1/models/{id}', '/v1/messages', '/v1/prompts']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.components.schemas.ChatCompletionRequest.properties.messages.type).toBe('array');
  });

  it('/docs/json (what the docs page loads) is the same document', async () => {
    expect(await getDoc(`${gw.url}/docs/json`)).toEqual(await getDoc());
  });

  it('/docs (Swagger UI, loaded on the first request) serves its page and assets: redirects, caching, HEAD, 404', async () => {
    const page = await fetch(`${gw.url}/docs`, { redirect: 'manual' });
    const html = page.status === 200 ? page : await fetch(new URL(page.headers.get('location')!, `${gw.url}/docs`));
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('tollgate — API');

    const css = await fetch(`${gw.url}/docs/static/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    const body = await css.text();
    expect(body.length).toBeGreaterThan(10_000);
    expect(Number(css.headers.get('content-length') ?? body.length)).toBe(Buffer.byteLength(body));
    // The browser's revalidation reaches the asset server: same ETag, no body again.
    const etag = css.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${gw.url}/docs/static/swagger-ui.css`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const head = await fetch(`${gw.url}/docs/json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${gw.url}/docs/static/no-such-file.js`)).status).toBe(404);
    // An empty answer (a redirect) is sent as such, with no content type made up for it.
    const redirect = await fetch(`${gw.url}/docs/static/index.html`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/docs/');
    expect(redirect.headers.get('content-type')).toBeNull();
  });
});

describe('the document follows the prompts', () => {
  let dir: string;
  let live: TestGateway;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-openapi-'));
    live = await startGateway(`prompts:\n  dir: "${dir}"\ndocs:\n  public: false\n`, { TOLLGATE_ADMIN_KEY: 'tg-admin-openapi-test' });
  });
  afterAll(async () => {
    await live?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with docs.public false it needs a key; a prompt added to the directory appears, still valid', async () => {
    expect((await fetch(`${live.url}/openapi.json`)).status).toBe(401);
    expect((await fetch(`${live.url}/docs`)).status).toBe(401);
    const auth = { authorization: 'Bearer tg-admin-openapi-test' };
    const before = (await (await fetch(`${live.url}/openapi.json`, { headers: auth })).json()) as any;
    expect(before.paths['/v1/prompts/haiku']).toBeUndefined();

    writeFileSync(
      join(dir, 'haiku.md'),
      '---\nversion: 1\nmodel: mock/echo\ndescription: A haiku\ninput:\n  type: object\n  properties:\n    topic: { type: string }\noutput:\n  type: object\n  properties:\n    lines: { type: array, items: { type: string } }\n---\nA haiku about {{ topic }}\n',
    );
    let doc: any;
    const end = Date.now() + 1000;
    do {
      await new Promise((r) => setTimeout(r, 20));
      doc = await (await fetch(`${live.url}/openapi.json`, { headers: auth })).json();
    } while (!doc.paths['/v1/prompts/haiku'] && Date.now() < end);
    expect(doc.paths['/v1/prompts/haiku'].post.summary).toBe('A haiku');
    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
  });
});
