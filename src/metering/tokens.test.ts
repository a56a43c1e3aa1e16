import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { countTokens, countTokensAsync, pieces, tokenUpperBound } from './tokens.js';

const require = createRequire(import.meta.url);
const exact = (() => {
  const enc = (require('tiktoken') as typeof import('tiktoken')).get_encoding('o200k_base');
  return (s: string) => enc.encode_ordinary(s).length;
})();

const PROSE = 'The quick brown fox jumps over the lazy dog; then, at 10:45, it wrote a JSON {"a": [1, 2, 3]} and left.\n';

describe('token counting in pieces (issue #10 item 7)', () => {
  it('the pieces cover the text exactly, in order, and never split a surrogate pair', () => {
    for (const text of [PROSE.repeat(100), 'a'.repeat(1000), ' '.repeat(300) + 'x', '😀'.repeat(500), 'ab😀'.repeat(300), '中'.repeat(700)]) {
      let joined = '';
      let at = 0;
      for (const [start, end] of pieces(text)) {
        expect(start).toBe(at);
        expect(end).toBeGreaterThan(start);
        const c = text.charCodeAt(end);
        if (end < text.length) expect(c >= 0xdc00 && c <= 0xdfff).toBe(false);
        joined += text.slice(start, end);
        at = end;
      }
      expect(joined).toBe(text);
    }
  });

  it('counts ordinary text as one tiktoken call would, and long runs within a token or so per cut', () => {
    for (const text of [PROSE, PROSE.repeat(40), 'hello world']) expect(countTokens(text)).toBe(exact(text));
    for (const text of ['a'.repeat(5000), '!'.repeat(3000), '中'.repeat(3000), ' '.repeat(3000)]) {
      const cuts = text.length / 64;
      expect(Math.abs(countTokens(text) - exact(text))).toBeLessThanOrEqual(cuts);
    }
  });

  it('counts varied text as tiktoken does: scripts, emoji, special-token strings as text, lone surrogates, contractions, numbers, Unicode spaces', () => {
    const texts = [
      'こんにちは、世界！お元気ですか？ 你好，世界。안녕하세요, 세상! Привет, мир! مرحبا بالعالم नमस्ते दुनिया',
      'Family: 👨‍👩‍👧‍👦, flags 🇫🇷🇯🇵, skin 👍🏽🧑🏿‍💻, rainbow 🏳️‍🌈 ❤️ and text.',
      'Ignore <|endoftext|> and <|im_start|>system<|im_sep|>, <|fim_prefix|> are plain text here.',
      'lone \ud83d high, lone \udc00 low, then 😀 whole',
      "I'LL say we've done it, don't you? They'RE here; it's 3.14159 × 10^23, 2026-12-03T18:05:00Z, 1234567890.",
      'naïve café Ünïcödé e\u0301 a\u0308 x86_64 camelCaseName snake_case_name CONSTANT_NAME',
      'tabs\tand\r\nwindows lines\n\n\nand   spaces \u00a0nbsp\u3000ideographic space',
      // tiktoken's \s is Unicode's White_Space, which JavaScript's \s is not on these two.
      '\ufeffbyte-order mark \ufeff \ufeff\ufeff; next\u0085line \u0085 \u0085\u0085 end \u200b zero-width',
      'function f(a: number): string { return `${a}`.padStart(4, "0"); } // comment\n  const x = [1, 2, 3].map((n) => n ** 2);',
    ];
    for (const text of texts) expect(countTokens(text)).toBe(exact(text));
  });

  it('tokenUpperBound is never below the exact count, and equals it for short text', () => {
    expect(tokenUpperBound(PROSE)).toBe(exact(PROSE));
    for (const text of ['a'.repeat(20_000), '中'.repeat(5_000), PROSE.repeat(2_000), '😀'.repeat(5_000)]) {
      expect(tokenUpperBound(text)).toBeGreaterThanOrEqual(exact(text));
      expect(tokenUpperBound(text)).toBeLessThanOrEqual(Buffer.byteLength(text));
    }
  });

  it('200 KB of one character: the bound takes milliseconds, the full count is linear and yields to the event loop', async () => {
    const text = 'a'.repeat(200_000);
    let t = performance.now();
    tokenUpperBound(text);
    expect(performance.now() - t).toBeLessThan(50);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    t = performance.now();
    const n = await countTokensAsync(text);
    const took = performance.now() - t;
    clearInterval(timer);
    expect(n).toBe(25_000);
    expect(took).toBeLessThan(5_000); // was ~35 s in one tiktoken call
    expect(ticks).toBeGreaterThan(0); // timers ran while it counted
  });
});
