/**
 * The template engine's promises (src/prompts/template.ts): a variable the call leaves out
 * renders as nothing (the input schema decides what is required), values are inserted as data (never rendered again), no file access, bounded work.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/engine/errors.js';
import { compileTemplate } from '../../src/prompts/template.js';

const render = (src: string, vars: Record<string, unknown>) => compileTemplate(src).render(vars);

describe('prompt templates (liquidjs)', () => {
  it('{{variable}} inserts the value; filters work', async () => {
    expect(await render('Hello {{name}}, {{ name | upcase }}!', { name: 'Ada' })).toBe('Hello Ada, ADA!');
  });

  it('a variable the call leaves out renders as nothing (Liquid\'s rule), nested fields too', async () => {
    expect(await render('Hello {{ name }}.', {})).toBe('Hello .');
    expect(await render('[{{ user.email }}]', { user: {} })).toBe('[]');
    expect(await render('[{{ user.email }}]', {})).toBe('[]');
    expect(await render('[{{ user.email }}]', { user: { email: 'a@b.c' } })).toBe('[a@b.c]');
  });

  it('optional variables can be tested with if and default', async () => {
    expect(await render('A{% if x %}[{{x}}]{% endif %}B', {})).toBe('AB');
    expect(await render('A{% if x %}[{{x}}]{% endif %}B', { x: 1 })).toBe('A[1]B');
    expect(await render('{{ x | default: "none" }}', {})).toBe('none');
  });

  it('a value is data: template syntax inside it is not rendered', async () => {
    const evil = '{{ secret }} {% for i in (1..3) %}x{% endfor %} {% include "/etc/passwd" %}';
    expect(await render('<{{ v }}>', { v: evil, secret: 'S' })).toBe(`<${evil}>`);
  });

  it('no HTML escaping (the reader is a model); objects and arrays as JSON', async () => {
    expect(await render('{{ a }}|{{ o }}|{{ l }}|{{ n }}|{{ b }}', { a: '<b>&"', o: { k: [1, 'x'] }, l: ['p', 'q'], n: 2.5, b: false })).toBe('<b>&"|{"k":[1,"x"]}|["p","q"]|2.5|false');
  });

  it('templates cannot read files: include/render/layout are refused at load', () => {
    expect(() => compileTemplate('{% include "package.json" %}')).toThrow(/not available in prompt templates/);
    expect(() => compileTemplate('{% render "/etc/hostname" %}')).toThrow(/not available/);
    expect(() => compileTemplate('{% layout "x" %}')).toThrow(/not available/);
  });

  it('prototype properties are not reachable', async () => {
    expect(await render('[{{ o.constructor }}][{{ o.__proto__ }}][{{ s.constructor.name }}]', { o: {}, s: 'x' })).toBe('[][][]');
  });

  it('work is bounded: a runaway loop over the input stops with a 400', async () => {
    const big = Array.from({ length: 2000 }, (_, i) => i);
    const err = await render('{% for a in l %}{% for b in l %}{% for c in l %}.{% endfor %}{% endfor %}{% endfor %}', { l: big }).catch((e) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.status).toBe(400);
  });

  it('syntax errors are found at load, with a position', () => {
    expect(() => compileTemplate('Hi {{ name')).toThrow(/not closed, line:1/);
  });

  it('lists the top-level variables a template reads (loop variables excluded)', () => {
    expect(compileTemplate('{{a}} {{ b.c }} {% for x in items %}{{ x.y }}{% endfor %}{% if d %}{% endif %}').variables.sort()).toEqual(['a', 'b', 'd', 'items']);
  });
});
