import { describe, expect, it } from 'vitest';
import { createMistralToolCallIdMapper, isMistralToolCallId, toMistralToolCallId } from './tool-call-ids.js';

describe('tool call ids are 9 characters', () => {
  it('rewrites OpenAI and Anthropic ids to 9 alphanumerics', () => {
    for (const id of ['call_abc123XYZ', 'toolu_01A09q90qw90lq917835lq9', 'x', '', 'ünïcødé-id', 'a'.repeat(500)]) {
      const mapped = toMistralToolCallId(id);
      expect(mapped).toMatch(/^[a-zA-Z0-9]{9}$/);
      expect(isMistralToolCallId(mapped)).toBe(true);
    }
  });

  it('is deterministic across calls (a later turn maps the same id the same way)', () => {
    expect(toMistralToolCallId('call_abc123XYZ')).toBe(toMistralToolCallId('call_abc123XYZ'));
    expect(toMistralToolCallId('toolu_01')).not.toBe(toMistralToolCallId('toolu_02'));
  });

  it("keeps Mistral's own ids unchanged so Mistral round-trips are exact", () => {
    expect(toMistralToolCallId('gSIMJiOkT')).toBe('gSIMJiOkT');
    // 10 characters or a symbol: not valid, rewritten
    expect(toMistralToolCallId('gSIMJiOkTx')).not.toBe('gSIMJiOkTx');
    expect(toMistralToolCallId('gSIMJ_OkT')).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it('gives distinct ids to distinct originals within one request', () => {
    const map = createMistralToolCallIdMapper();
    const ids = Array.from({ length: 2000 }, (_, i) => `call_${i}`);
    const mapped = ids.map(map);
    expect(new Set(mapped).size).toBe(ids.length);
    expect(map('call_7')).toBe(mapped[7]);
  });
});
