/**
 * Prompts: the published input schema is the contract (issue #11). A body that validates against
 * a prompt's input schema — as `/openapi.json` publishes it — never gets a 400 from rendering: an
 * optional variable the call leaves out renders as nothing. A template that reads a variable the
 * schema does not declare is refused when the file loads, with a message naming the variable.
 * Own temporary prompts directory; a loopback OpenAI-format upstream that echoes the rendered
 * user message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { gatewayYaml, post, startPromptUpstream } from './helpers.js';

let dir: string;
let upstream: HttpMock;
let gw: TestGateway;

const file = (input: string, body: string) => `---\nversion: "1"\nmodel: openai/gpt-4o-mini\ninput:\n${input}---\n${body}\n`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tollgate-optional-vars-'));
  writeFileSync(
    join(dir, 'greet.md'),
    file(
      '  type: object\n  required: [name]\n  properties:\n    name: { type: string }\n    title: { type: string }\n    contact:\n      type: object\n      properties:\n        email: { type: string }\n',
      'Hello {{ title }} {{ name }} <{{ contact.email }}>{% if title %} (titled){% endif %}',
    ),
  );
  // `nickname` is read by the template and declared nowhere: refused at load.
  writeFileSync(join(dir, 'typo.md'), file('  type: object\n  properties:\n    name: { type: string }\n', 'Hi {{ name }} aka {{ nickname }}'));
  upstream = await startPromptUpstream({});
  gw = await startGateway(gatewayYaml(upstream.url, dir), {}, { watchPrompts: false });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lastUserMessage = () => upstream.requests.at(-1)!.body.messages.at(-1).content;

describe('the file check', () => {
  it('a template reading an undeclared variable is refused at load, naming it; the optional-variable file loads', async () => {
    const listing = (await (await fetch(`${gw.url}/v1/prompts`)).json()) as any;
    expect(listing.errors).toEqual([{ source: 'typo.md', message: expect.stringContaining("'nickname'") }]);
    expect(listing.data.map((p: any) => p.name)).toEqual(['greet']);
    const res = await post(`${gw.url}/v1/prompts/typo`, { name: 'Ada' });
    expect(res.status).toBe(404);
  });
});

describe('the call', () => {
  it('/openapi.json publishes title and contact as optional, and a body without them renders them as nothing', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as any;
    const schema = doc.paths['/v1/prompts/greet'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['name']);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'title', 'contact']));

    const before = upstream.requests.length;
    const res = await post(`${gw.url}/v1/prompts/greet`, { name: 'Ada' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).output).toBe('Hello  Ada <>');
    expect(upstream.requests.length).toBe(before + 1);
    expect(lastUserMessage()).toBe('Hello  Ada <>');
  });

  it('an optional object without its optional field renders the field as nothing', async () => {
    const res = await post(`${gw.url}/v1/prompts/greet`, { name: 'Ada', contact: {} });
    expect(res.status).toBe(200);
    expect(lastUserMessage()).toBe('Hello  Ada <>');
  });

  it('values given are inserted as they are', async () => {
    const res = await post(`${gw.url}/v1/prompts/greet`, { name: 'Ada', title: 'Dr', contact: { email: 'ada@example.com' } });
    expect(res.status).toBe(200);
    expect(lastUserMessage()).toBe('Hello Dr Ada <ada@example.com> (titled)');
  });

  it('what the schema refuses is still a 400 naming the field, before any upstream call', async () => {
    const before = upstream.requests.length;
    const missing = await post(`${gw.url}/v1/prompts/greet`, { title: 'Dr' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error).toMatchObject({ param: 'name', code: 'missing_required_parameter' });
    const wrong = await post(`${gw.url}/v1/prompts/greet`, { name: 'Ada', contact: { email: 7 } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as any).error.param).toBe('contact.email');
    expect(upstream.requests.length).toBe(before);
  });
});
