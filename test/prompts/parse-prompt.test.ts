/**
 * Prompt files (docs/contract.md §5): the front matter is validated with the failing field named, a
 * template that reads an undeclared variable is refused at load, and every example in
 * prompts/ loads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePrompt } from '../../src/prompts/compile-prompt.js';
import { parsePromptSource, sourceFromFields } from '../../src/prompts/parse-prompt.js';
import { PromptRegistry } from '../../src/prompts/registry.js';
import { compareVersions } from '../../src/prompts/version-order.js';
import { EXAMPLES_DIR } from './helpers.js';

const FILE = { kind: 'file' as const, path: 't.md' };
const load = (text: string, name = 't') => compilePrompt(parsePromptSource(text, FILE, name));
const src = (front: string, body = 'Hi {{ who }}') =>
  `---\n${front}\ninput:\n  type: object\n  properties:\n    who: { type: string }\n---\n${body}\n`;

describe('parsePromptSource', () => {
  it('reads the front matter; name defaults to the file name; params are collected', () => {
    const d = parsePromptSource(src('version: 1.10\nmodel: mock/echo\ntemperature: 0.5\nparams: { seed: 7 }\nteams: marketing\nsystem: Be {{ who }}'), FILE, 'greet');
    expect(d).toMatchObject({ name: 'greet', version: '1.10', model: 'mock/echo', params: { temperature: 0.5, seed: 7 }, teams: ['marketing'], system: 'Be {{ who }}', template: 'Hi {{ who }}', output: 'text' });
  });

  it.each([
    ['no front matter', 'Hi there', /missing front matter/],
    ['bad YAML', '---\nversion: [1\n---\nx', /not valid YAML/],
    ['no version', src('model: m'), /'version' is required/],
    ['no model', src('version: 1'), /'model' is required/],
    ['a typo', src('version: 1\nmodel: m\ntemprature: 1'), /front matter 'temprature' is not a known field/],
    ['a param out of range', src('version: 1\nmodel: m\ntemperature: 9'), /'temperature' must be <= 2/],
    ['input not an object schema', '---\nversion: 1\nmodel: m\ninput: { type: string }\n---\nx', /'input' must be a JSON Schema of type 'object'/],
    ['reserved variable', '---\nversion: 1\nmodel: m\ninput: { type: object, properties: { stream: { type: boolean } } }\n---\nx', /'stream' is reserved/],
    ['bad name', src('name: "a b"\nversion: 1\nmodel: m'), /'name' must match pattern/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => load(text)).toThrow(message);
  });

  it('refuses a template that reads an undeclared variable, and an invalid schema', () => {
    expect(() => load(src('version: 1\nmodel: m', 'Hi {{ whom }}'))).toThrow(/uses the variable 'whom', which 'input.properties' does not declare/);
    expect(() => load(src('version: 1\nmodel: m\noutput: { type: nope }'))).toThrow(/'output' is not a valid JSON Schema/);
  });

  it('sourceFromFields makes the file form from JSON fields', () => {
    const d = parsePromptSource(sourceFromFields({ name: 'x', version: '2', model: 'm', template: 'Hello' }), { kind: 'store' });
    expect(d).toMatchObject({ name: 'x', version: '2', model: 'm', template: 'Hello' });
  });

  it('every example in prompts/ loads (at least four, two with an output schema)', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.md'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const loaded = files.map((f) => load(readFileSync(join(EXAMPLES_DIR, f), 'utf8'), f.replace(/\.md$/, '')));
    expect(loaded.filter((p) => p.def.output !== 'text').length).toBeGreaterThanOrEqual(2);
    for (const p of loaded) expect(p.def.description).not.toBe('');
  });
});

describe('compiled prompt', () => {
  const p = load(src('version: 1\nmodel: mock/echo\nmax_tokens: 5\noutput: { type: object, required: [n], properties: { n: { type: integer } } }', 'Count {{ who }}'));

  it('renders an OpenAI chat body with params and the output schema as response_format', async () => {
    expect(await p.render({ who: 'sheep' }, true)).toEqual({
      model: 'mock/echo',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'Count sheep' }],
      response_format: { type: 'json_schema', json_schema: { name: 't', schema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } },
      stream: true,
    });
  });

  it('parseOutput: JSON matching the schema passes (a code fence is tolerated); anything else is a 502', () => {
    expect(p.parseOutput('{"n": 3}')).toEqual({ n: 3 });
    expect(p.parseOutput('```json\n{"n": 4}\n```')).toEqual({ n: 4 });
    expect(() => p.parseOutput('{"n": "three"}')).toThrow(/'n' must be integer/);
    expect(() => p.parseOutput('three')).toThrow(/not JSON/);
    const err = (() => {
      try {
        p.parseOutput('{}');
      } catch (e) {
        return e as any;
      }
    })();
    expect(err?.status).toBe(502);
    expect(err?.shape.code).toBe('output_invalid');
  });
});

describe('versions and the registry', () => {
  it('orders versions as people write them', () => {
    const vs = ['1.10', '1.9', '2.0-beta', '2.0', '10', 'v3', '1'];
    expect([...vs].sort(compareVersions)).toEqual(['1', '1.9', '1.10', '2.0-beta', '2.0', 'v3', '10']);
  });

  it('latest is the highest live version; retained versions are callable but never latest', () => {
    const mk = (v: string, path = 'a.md') => compilePrompt(parsePromptSource(src(`name: a\nversion: "${v}"\nmodel: m`), { kind: 'file', path }));
    const r = PromptRegistry.build(
      [
        { prompt: mk('1'), live: true },
        { prompt: mk('2', 'b.md'), live: false },
      ],
      [],
    );
    expect(r.get('a')!.def.version).toBe('1');
    expect(r.get('a', '2')!.def.version).toBe('2');
    expect(r.list()[0]).toMatchObject({ latest: '1', versions: ['1', '2'] });
  });

  it('the same name@version from two files: the first wins, the clash is reported', () => {
    const one = compilePrompt(parsePromptSource(src('name: a\nversion: 1\nmodel: m', 'One {{ who }}'), { kind: 'file', path: 'a.md' }));
    const two = compilePrompt(parsePromptSource(src('name: a\nversion: 1\nmodel: m', 'Two {{ who }}'), { kind: 'file', path: 'a-copy.md' }));
    const r = PromptRegistry.build([{ prompt: one, live: true }, { prompt: two, live: true }], []);
    expect(r.get('a')!.def.template).toBe('One {{ who }}');
    expect(r.errors).toEqual([{ source: 'a-copy.md', message: expect.stringMatching(/already defined by a.md/) }]);
  });
});
