import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUpstreamText, snippet, withoutValues } from './redact.js';

describe('the secret redactor', () => {
  it('cuts known values out wherever they appear, and leaves text without them as it is', () => {
    expect(withoutValues('key=org-abcdefgh; again org-abcdefgh', ['org-abcdefgh'])).toBe('key=[redacted]; again [redacted]');
    const text = 'nothing secret here';
    expect(withoutValues(text, ['org-abcdefgh'])).toBe(text);
    // Values under six characters would cut ordinary words out of answers.
    expect(withoutValues('a short one', ['short'])).toBe('a short one');
  });

  it('masks OpenAI, Anthropic, Google, Google access-token and tollgate key shapes', () => {
    const keys = ['sk-proj-AbCdEf123456', 'sk-ant-api03-AbCdEf_123-xyz', 'AIzaSyD-1234567890abcdefghijklmnopqrstu', 'ya29.a0AfH6SMBx-3kQ_z9Lp', 'tg_0123456789abcdef'];
    for (const k of keys) expect(redactSecrets(`bad key ${k}.`)).toBe('bad key [redacted].');
  });

  it('masks credential fields an upstream or proxy echoes, in error text only', () => {
    const echoed = 'bad header Authorization: Bearer opaque-token-1 for api_key=opaque-2 and "x-api-key":"opaque-3"';
    const out = redactUpstreamText(echoed);
    for (const v of ['opaque-token-1', 'opaque-2', 'opaque-3']) expect(out).not.toContain(v);
    expect(redactUpstreamText('proxy error: Bearer opaque-4')).toBe('proxy error: Bearer [redacted]');
    // An answer about bearer tokens is not an echoed credential.
    expect(redactSecrets('Bearer tokens expire')).toBe('Bearer tokens expire');
  });

  it('redacts before it truncates: a key across the cut leaks no half', () => {
    const key = 'sk-ant-api03-AbCdEf_123-xyzXYZ0987654321';
    const cut = snippet(`${'x'.repeat(190)} ${key}`, 200);
    // Cut first, the text would end in `sk-ant-ap`: too short a shape to be masked.
    expect(cut).not.toContain('sk-');
    expect(snippet('a\n  b\tc')).toBe('a b c');
    expect(snippet('y'.repeat(300))).toBe(`${'y'.repeat(200)}…`);
  });
});
