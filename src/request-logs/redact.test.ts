import { describe, expect, it } from 'vitest';
import { capUtf8, redact, REDACT_MARGIN, storedBody } from './redact.js';

const rules = { secrets: ['configured-Secret-9x7', 'with"quote\\and-slash'], patterns: [/acct-\d{6}/g] };

describe('redact', () => {
  it('replaces configured values (JSON-escaped too), key shapes, credential members and auth text', () => {
    const key = `tg_${'A1b2C3d4E5'.repeat(4)}`;
    const body = JSON.stringify({
      model: 'm',
      max_tokens: 100,
      prompt_cache_key_note: 'not a secret',
      api_key: 'abc',
      headers: { Authorization: 'Bearer zzz', 'x-api-key': 'k1' },
      quoted: 'export API_KEY="q9w8e7r6t5" and api_key=\'z1x2c3v4b5\'',
      text: `configured-Secret-9x7 and ${key}glued${key} with"quote\\and-slash acct-123456 curl -H "Authorization: Bearer abcd1234efgh" -H x-api-key:q1w2e3r4t5 Basic instructions sk-proj-abcdef123`,
    });
    const out = redact(body, rules);
    const j = JSON.parse(out);
    expect(j.max_tokens).toBe(100);
    expect(j.prompt_cache_key_note).toBe('not a secret');
    expect(j.api_key).toBe('[REDACTED]');
    expect(j.quoted).toBe('export API_KEY="[REDACTED]" and api_key=\'[REDACTED]\'');
    expect(j.headers).toEqual({ Authorization: '[REDACTED]', 'x-api-key': '[REDACTED]' });
    expect(j.text).toBe(
      '[REDACTED] and [REDACTED]glued[REDACTED] [REDACTED] [REDACTED] curl -H "Authorization: Bearer [REDACTED]" -H x-api-key:[REDACTED] Basic instructions [REDACTED]',
    );
  });

  it('a pattern matching the empty string inserts nothing', () => {
    expect(redact('abc', { secrets: [], patterns: [/z*/g] })).toBe('abc');
    expect(redact('abzc', { secrets: [], patterns: [/z*/g] })).toBe('ab[REDACTED]c');
  });
});

describe('capUtf8 / storedBody', () => {
  it('cuts at a character boundary, never inside one', () => {
    const s = '😀'.repeat(10); // 4 bytes each
    expect(capUtf8(s, 10)).toEqual({ text: '😀😀', truncated: true });
    expect(capUtf8('héllo', 6)).toEqual({ text: 'héllo', truncated: false });
    expect(capUtf8('héllo', 2)).toEqual({ text: 'h', truncated: true });
  });

  it('redacts before cutting: a secret straddling the cap leaves no half behind', () => {
    const text = `${'x'.repeat(250)}configured-Secret-9x7${'y'.repeat(500)}`;
    const r = storedBody(text, false, 256, rules);
    expect(r).toEqual({ body: `${'x'.repeat(250)}[REDAC`, truncated: true });
  });

  it('looks at a bounded prefix of a huge body, and keeps the cut flag of a capped assembly', () => {
    const huge = 'a'.repeat(20 * 1024 * 1024);
    // A pattern that records the text it is run on: redaction sees the cap plus its margin, not 20 MB.
    const seen: number[] = [];
    const probe = /acct-\d{6}/g;
    const spy = Object.assign(Object.create(RegExp.prototype), probe, { [Symbol.replace]: (str: string, rep: (m: string) => string) => (seen.push(str.length), RegExp.prototype[Symbol.replace].call(probe, str, rep)) });
    const r = storedBody(huge, false, 1024, { ...rules, patterns: [spy] });
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1024 + REDACT_MARGIN);
    expect(r.body!.length).toBe(1024);
    expect(r.truncated).toBe(true);
    expect(storedBody('short', true, 1024, rules)).toEqual({ body: 'short', truncated: true });
    expect(storedBody(null, false, 1024, rules)).toEqual({ body: null, truncated: false });
    expect(REDACT_MARGIN).toBeGreaterThan(1000);
  });
});
