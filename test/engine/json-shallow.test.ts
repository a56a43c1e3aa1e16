/**
 * The pass-through answer's shallow read (src/engine/json-shallow.ts) accepts exactly what
 * JSON.parse accepts, and gives the same top-level scalars and deep values.
 */
import { describe, expect, it } from 'vitest';
import { shallowJson } from '../../src/engine/json-shallow.js';

const DEEP = new Set(['usage']);

/** What shallowJson must give for a text JSON.parse accepts: composites outside `deep` emptied. */
function expected(text: string): unknown {
  const v = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const e = typeof x === 'object' && x !== null && !DEEP.has(k) ? (Array.isArray(x) ? [] : {}) : x;
    Object.defineProperty(out, k, { value: e, enumerable: true, configurable: true, writable: true });
  }
  return out;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const answer = JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1_700_000_000, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi "there" \\ \u2028 \ud83d\ude00 \n', refusal: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":[1,2.5e-3,-0,true,false,null]}' } }] }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 } },
  service_tier: 'default', system_fingerprint: 'fp_1', n: -1.5e+10, z: 0, neg: -0.25, e: 1E2, t: true, f: false, nul: null, emptyO: {}, emptyA: [],
});

describe('shallowJson', () => {
  it('reads an answer: scalars as JSON.parse gives them, usage in full, choices an (emptied) array', () => {
    const v = shallowJson(answer, DEEP) as Record<string, unknown>;
    expect(v).toEqual(expected(answer));
    expect(v.usage).toEqual(JSON.parse(answer).usage);
    expect(Array.isArray(v.choices)).toBe(true);
    expect(v.n).toBe(-1.5e10);
  });

  it('agrees with JSON.parse on hand-picked edge cases', () => {
    const cases = [
      '{}', ' { } ', '{"a":1}', '{"a":1,}', '{,"a":1}', '{"a" 1}', '{"a":01}', '{"a":-}', '{"a":1.}', '{"a":.5}', '{"a":1e}', '{"a":1e+}', '{"a":-0}',
      '{"a":+1}', '{"a":0x10}', '{"a":Infinity}', '{"a":NaN}', '{"a":tru}', '{"a":nulll}', '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"\\u12g4"}', '{"a":"\\uD800"}',
      '{"a":"\t"}', '{"a":"\u0001"}', '{"a":"\u001f"}', '{"a":"\u007f"}', '{"a":"x"', '{"a":"x}', '{"a":[1,2,]}', '{"a":[,]}', '{"a":{"b":}}', '{"a":{"b":1,}}', '{"a":1}x', '{"a":1} ',
      '{"a":1}\n\t\r ', '\ufeff{"a":1}', '{"a":1}\u00a0', '{"\\u0061":1,"a":2}', '{"a":1,"a":[2]}', '{"__proto__":{"x":1}}', '{"__proto__":1}', '{"usage":{"x":[1,{"y":"\\""}]}}',
      '[1,2]', '"str"', '12', 'null', '', ' ', '{', '}', '{"a":[[[[[]]]]]}', '{"a":1e400}', '{"a":-1e-400}', '{"a":"\\/"}', "{'a':1}", '{a:1}',
      `{"deep":${'['.repeat(600)}${']'.repeat(600)}}`, `{"deep":${'['.repeat(600)}${']'.repeat(599)}}`, `{"deep":${'['.repeat(600)}1,${']'.repeat(600)}}`,
    ];
    for (const text of cases) {
      const got = shallowJson(text, DEEP);
      if (!parses(text)) expect(got, text).toBeUndefined();
      else expect(got, text).toEqual(expected(text));
    }
    // JSON.parse's own property for __proto__, not a prototype.
    const proto = shallowJson('{"__proto__":{"x":1}}', DEEP) as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it('agrees with JSON.parse on 20,000 mutations of an answer (a character dropped, doubled or replaced)', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = '{}[],:"\\ 0123456789.eE+-tfnulrsaxu\u0000\n\t\ud800';
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      let text = answer;
      for (let m = 0, times = 1 + rnd(3); m < times; m++) {
        const at = rnd(text.length);
        const op = rnd(3);
        const ch = alphabet[rnd(alphabet.length)]!;
        text = op === 0 ? text.slice(0, at) + text.slice(at + 1) : op === 1 ? text.slice(0, at) + text[at] + text.slice(at) : text.slice(0, at) + ch + text.slice(at + 1);
      }
      const ok = parses(text);
      const got = shallowJson(text, DEEP);
      if (!ok) expect(got, text).toBeUndefined();
      else {
        accepted++;
        expect(got, text).toEqual(expected(text));
      }
    }
    // Both kinds were exercised.
    expect(accepted).toBeGreaterThan(1_000);
    expect(accepted).toBeLessThan(19_000);
  });
});
