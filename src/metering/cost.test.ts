import { describe, it, expect } from 'vitest';
import type { Usage } from '../../providers/types.js';
import { loadCatalog, type CatalogEntry } from './catalog/index.js';
import { costNanos, rerankCostNanos, worstCaseNanos } from './cost.js';

/*
 * Hand computations. Prices are the providers' published USD per million tokens, typed here
 * as literals (not read from the catalog), so a wrong catalog entry fails the test.
 * Handy identity: tokens × ($ per Mtok) = micro-dollars (× 1000 = nano-dollars, the unit of a
 * cost). So 6_000 fresh input tokens of gpt-4o at $2.50/Mtok cost 6_000 × 2.5 = 15_000 µ$ = 15_000_000 n$.
 * Usage is tollgate's: inputTokens is the whole prompt (cached and cache-write included),
 * outputTokens includes reasoning.
 */
const catalog = loadCatalog();

function usage(inputTokens: number, outputTokens: number, more: Partial<Usage> = {}): Usage {
  return { inputTokens, outputTokens, ...more };
}

interface Case {
  id: string;
  usage: Usage;
  /** Σ tokens × published $/Mtok, written out (micro-dollars). */
  expected: number;
}

const cases: Case[] = [
  // OpenAI — openai.com/api/pricing: in / cached in / out
  {
    id: 'openai/gpt-4o', // $2.50 / $1.25 / $10
    usage: usage(10_000, 2_000, { cachedInputTokens: 4_000 }),
    expected: 6_000 * 2.5 + 4_000 * 1.25 + 2_000 * 10,
  },
  {
    id: 'openai/gpt-4o-mini', // $0.15 / $0.075 / $0.60
    usage: usage(20_000, 1_000, { cachedInputTokens: 8_000 }),
    expected: 12_000 * 0.15 + 8_000 * 0.075 + 1_000 * 0.6,
  },
  {
    id: 'openai/o3', // $2 / $0.50 / $8 — reasoning tokens are output tokens at the output price
    usage: usage(5_000, 12_000, { reasoningTokens: 10_000 }),
    expected: 5_000 * 2 + 12_000 * 8,
  },
  {
    id: 'openai/gpt-5', // $1.25 / $0.125 / $10
    usage: usage(40_000, 8_000, { cachedInputTokens: 32_000, reasoningTokens: 6_000 }),
    expected: 8_000 * 1.25 + 32_000 * 0.125 + 8_000 * 10,
  },
  {
    id: 'openai/gpt-4.1', // $2 / $0.50 / $8
    usage: usage(100_000, 4_000, { cachedInputTokens: 50_000 }),
    expected: 50_000 * 2 + 50_000 * 0.5 + 4_000 * 8,
  },
  {
    id: 'openai/o4-mini', // $1.10 / $0.275 / $4.40
    usage: usage(3_000, 2_000, { cachedInputTokens: 1_000, reasoningTokens: 1_500 }),
    expected: 2_000 * 1.1 + 1_000 * 0.275 + 2_000 * 4.4,
  },
  {
    id: 'openai/text-embedding-3-small', // $0.02
    usage: usage(500_000, 0),
    expected: 500_000 * 0.02,
  },
  // Anthropic — anthropic.com/pricing: in / 5-min cache write / cache read / out
  {
    id: 'anthropic/claude-sonnet-4-5', // $3 / $3.75 / $0.30 / $15
    usage: usage(50_000, 2_000, { cachedInputTokens: 30_000, cacheWriteTokens: 10_000 }),
    expected: 10_000 * 3 + 10_000 * 3.75 + 30_000 * 0.3 + 2_000 * 15,
  },
  {
    id: 'anthropic/claude-3-5-haiku-20241022', // $0.80 / $1 / $0.08 / $4
    usage: usage(12_000, 1_000, { cachedInputTokens: 5_000, cacheWriteTokens: 5_000 }),
    expected: 2_000 * 0.8 + 5_000 * 1 + 5_000 * 0.08 + 1_000 * 4,
  },
  {
    id: 'anthropic/claude-opus-4-1', // $15 / $18.75 / $1.50 / $75
    usage: usage(4_000, 1_000, { cacheWriteTokens: 4_000 }),
    expected: 4_000 * 18.75 + 1_000 * 75,
  },
  {
    id: 'anthropic/claude-haiku-4-5', // $1 / $1.25 / $0.10 / $5
    usage: usage(8_000, 2_000, { cachedInputTokens: 6_000 }),
    expected: 2_000 * 1 + 6_000 * 0.1 + 2_000 * 5,
  },
  // Google — ai.google.dev/gemini-api/docs/pricing (prompts ≤ 200k): in / cached / out (thinking included)
  {
    id: 'gemini/gemini-2.5-pro', // $1.25 / $0.125 / $10
    usage: usage(100_000, 5_000, { cachedInputTokens: 60_000, reasoningTokens: 3_000 }),
    expected: 40_000 * 1.25 + 60_000 * 0.125 + 5_000 * 10,
  },
  {
    id: 'gemini/gemini-2.5-flash', // $0.30 / $0.03 / $2.50
    usage: usage(10_000, 4_000, { cachedInputTokens: 5_000, reasoningTokens: 3_000 }),
    expected: 5_000 * 0.3 + 5_000 * 0.03 + 4_000 * 2.5,
  },
  {
    id: 'gemini/gemini-2.0-flash', // $0.10 / $0.025 / $0.40
    usage: usage(40_000, 5_000, { cachedInputTokens: 20_000 }),
    expected: 20_000 * 0.1 + 20_000 * 0.025 + 5_000 * 0.4,
  },
  // Mistral — mistral.ai/pricing
  {
    id: 'mistral/mistral-large-latest', // $2 / $6
    usage: usage(3_000, 1_000),
    expected: 3_000 * 2 + 1_000 * 6,
  },
  {
    id: 'mistral/mistral-small-latest', // $0.10 / $0.30
    usage: usage(10_000, 10_000),
    expected: 10_000 * 0.1 + 10_000 * 0.3,
  },
  // Groq — groq.com/pricing
  {
    id: 'groq/llama-3.3-70b-versatile', // $0.59 / $0.79
    usage: usage(1_000, 1_000),
    expected: 1_000 * 0.59 + 1_000 * 0.79,
  },
  {
    id: 'groq/llama-3.1-8b-instant', // $0.05 / $0.08
    usage: usage(100_000, 50_000),
    expected: 100_000 * 0.05 + 50_000 * 0.08,
  },
  // DeepSeek — api-docs.deepseek.com/quick_start/pricing (V3.2): cache miss / cache hit / out
  {
    id: 'deepseek/deepseek-chat', // $0.28 / $0.028 / $0.42
    usage: usage(50_000, 10_000, { cachedInputTokens: 25_000 }),
    expected: 25_000 * 0.28 + 25_000 * 0.028 + 10_000 * 0.42,
  },
  {
    id: 'deepseek/deepseek-reasoner', // $0.28 / $0.028 / $0.42, reasoning billed as output
    usage: usage(10_000, 20_000, { reasoningTokens: 15_000 }),
    expected: 10_000 * 0.28 + 20_000 * 0.42,
  },
  // xAI — docs.x.ai/docs/models: in / cached / out
  {
    id: 'xai/grok-3', // $3 / $0.75 / $15
    usage: usage(8_000, 1_000, { cachedInputTokens: 4_000 }),
    expected: 4_000 * 3 + 4_000 * 0.75 + 1_000 * 15,
  },
  {
    id: 'xai/grok-3-mini', // $0.30 / $0.075 / $0.50
    usage: usage(20_000, 10_000, { cachedInputTokens: 10_000, reasoningTokens: 8_000 }),
    expected: 10_000 * 0.3 + 10_000 * 0.075 + 10_000 * 0.5,
  },
  // Cerebras — cerebras.ai/pricing
  {
    id: 'cerebras/llama-3.3-70b', // $0.85 / $1.20
    usage: usage(10_000, 5_000),
    expected: 10_000 * 0.85 + 5_000 * 1.2,
  },
  // Perplexity — docs.perplexity.ai/getting-started/pricing (token part only; request fees are not modelled)
  {
    id: 'perplexity/sonar-pro', // $3 / $15
    usage: usage(2_000, 1_000),
    expected: 2_000 * 3 + 1_000 * 15,
  },
  {
    id: 'perplexity/sonar-deep-research', // $2 in / $8 out / $3 reasoning
    usage: usage(1_000, 30_000, { reasoningTokens: 25_000 }),
    expected: 1_000 * 2 + 25_000 * 3 + 5_000 * 8,
  },
  // Alibaba Model Studio — qwen-turbo: $0.05 in / $0.20 out (non-thinking) / $0.50 out (thinking)
  {
    id: 'dashscope/qwen-turbo',
    usage: usage(1_000, 3_000, { reasoningTokens: 2_000 }),
    expected: 1_000 * 0.05 + 2_000 * 0.5 + 1_000 * 0.2,
  },
  // Moonshot — platform.moonshot.ai pricing, kimi-k2-0905: $0.60 miss / $0.15 hit / $2.50 out
  {
    id: 'moonshot/kimi-k2-0905-preview',
    usage: usage(10_000, 2_000, { cachedInputTokens: 6_000 }),
    expected: 4_000 * 0.6 + 6_000 * 0.15 + 2_000 * 2.5,
  },
  // Together — together.ai/pricing, Llama 3.3 70B Instruct Turbo: $0.88 / $0.88
  {
    id: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    usage: usage(5_000, 5_000),
    expected: 10_000 * 0.88,
  },
];

/** A hand total in micro-dollars → nano-dollars (rounding only the float noise of the literals). */
const µ = (micros: number): number => Math.round(micros * 1000);

function entry(id: string): CatalogEntry {
  const slash = id.indexOf('/');
  const e = catalog.get(id.slice(0, slash), id.slice(slash + 1));
  if (!e) throw new Error(`catalog lacks ${id}`);
  return e;
}

describe('costNanos against published prices', () => {
  it('covers at least 20 catalog models', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of cases) {
    it(`${c.id}: ${JSON.stringify(c.usage)} = ${c.expected} µ$`, () => {
      // Token counts are chosen so each hand total is a whole number of µ$ (float noise aside).
      expect(Math.abs(c.expected - Math.round(c.expected))).toBeLessThan(1e-6);
      expect(costNanos(c.usage, entry(c.id))).toEqual({ nanos: Math.round(c.expected) * 1000, priced: true });
    });
  }
});

describe('long-context tiers', () => {
  it('claude-sonnet-4-5 above 200k prompt tokens bills every token at the long-context rates', () => {
    // anthropic.com/pricing, > 200K input: $6 in / $7.50 write / $0.60 read / $22.50 out
    const u = usage(250_000, 1_000, { cachedInputTokens: 50_000, cacheWriteTokens: 10_000 });
    expect(costNanos(u, entry('anthropic/claude-sonnet-4-5')).nanos).toBe(
      µ(190_000 * 6 + 10_000 * 7.5 + 50_000 * 0.6 + 1_000 * 22.5),
    );
  });

  it('exactly 200k prompt tokens is still the base rate (the tier is "above")', () => {
    const u = usage(200_000, 1_000);
    expect(costNanos(u, entry('anthropic/claude-sonnet-4-5')).nanos).toBe(µ(200_000 * 3 + 1_000 * 15));
  });

  it('gemini-2.5-pro above 200k: $2.50 in / $0.25 cached / $15 out', () => {
    const u = usage(300_000, 2_000, { cachedInputTokens: 100_000, reasoningTokens: 500 });
    expect(costNanos(u, entry('gemini/gemini-2.5-pro')).nanos).toBe(µ(200_000 * 2.5 + 100_000 * 0.25 + 2_000 * 15));
  });

  it('grok-4-fast above 128k: tier prices in/out, the cached price the tier omits stays the base $0.05', () => {
    // docs.x.ai: $0.20 / $0.50 (< 128k), $0.40 / $1.00 (≥ 128k), cached $0.05
    const u = usage(150_000, 1_000, { cachedInputTokens: 100_000 });
    expect(costNanos(u, entry('xai/grok-4-fast-reasoning')).nanos).toBe(µ(50_000 * 0.4 + 100_000 * 0.05 + 1_000 * 1));
  });

  it('DashScope tiered_pricing: qwen-flash $0.05/$0.40 up to 256k, $0.25/$2 above', () => {
    expect(costNanos(usage(100_000, 10_000), entry('dashscope/qwen-flash')).nanos).toBe(
      µ(100_000 * 0.05 + 10_000 * 0.4),
    );
    expect(costNanos(usage(300_000, 10_000), entry('dashscope/qwen-flash')).nanos).toBe(
      µ(300_000 * 0.25 + 10_000 * 2),
    );
  });
});

/** A fabricated entry for the arithmetic rules (µ$/Mtok = pico-dollars per token). */
const half: CatalogEntry = {
  provider: 'test',
  model: 'half',
  mode: 'chat',
  input: 500, // 0.5 n$ per token
  output: 500,
  capabilities: {},
  source: 'test',
  as_of: '2026-01-01',
};

describe('rounding and edge cases', () => {
  it('rounds once, at the end, half up', () => {
    // 1 input + 1 output = 0.5 + 0.5 = 1 n$ (rounding each part first would give 2)
    expect(costNanos(usage(1, 1), half).nanos).toBe(1);
    expect(costNanos(usage(1, 0), half).nanos).toBe(1); // 0.5 → 1
    expect(costNanos(usage(3, 0), { ...half, input: 150 }).nanos).toBe(0); // 0.45 → 0
    // gpt-4o-mini $0.15/Mtok: 10 tokens = 1.5 µ$ = 1500 n$, no longer rounded to 2 µ$
    expect(costNanos(usage(10, 0), entry('openai/gpt-4o-mini')).nanos).toBe(1_500);
  });

  it('an unknown model is unpriced, not free', () => {
    expect(costNanos(usage(1_000, 1_000), undefined)).toEqual({ nanos: 0, priced: false });
    const local = catalog.get('ollama', 'llama3');
    expect(costNanos(usage(1_000, 1_000), local)).toEqual({ nanos: 0, priced: true });
  });

  it('cached / cache-write fall back to the input price when the entry has none', () => {
    const e = { ...half, input: 2_000_000, output: 8_000_000 }; // $2 / $8
    expect(costNanos(usage(1_000, 0, { cachedInputTokens: 400, cacheWriteTokens: 100 }), e).nanos).toBe(
      µ(1_000 * 2),
    );
  });

  it('clamps nonsense counts instead of producing a negative cost', () => {
    const e = entry('openai/gpt-4o');
    expect(costNanos(usage(100, 10, { cachedInputTokens: 500 }), e).nanos).toBe(µ(100 * 1.25 + 10 * 10));
    expect(costNanos(usage(-5, Number.NaN), e).nanos).toBe(0);
    expect(costNanos(usage(100, 10, { reasoningTokens: 50 }), entry('dashscope/qwen-turbo')).nanos).toBe(
      µ(100 * 0.05 + 10 * 0.5), // 10 reasoning-priced tokens: 5 µ$ + 5 µ$
    );
  });

  it('stays exact for huge counts (BigInt inside)', () => {
    // 10 billion output tokens of claude-opus-4-1 at $75/Mtok = $750,000 = 7.5e14 n$
    expect(costNanos(usage(0, 10_000_000_000), entry('anthropic/claude-opus-4-1')).nanos).toBe(750_000_000_000_000);
  });
});

describe('worstCaseNanos', () => {
  it('prices all input at the dearest input rate and all possible output at the dearest output rate', () => {
    // claude-sonnet-4-5: cache write $3.75 > input $3; output $15
    expect(worstCaseNanos(10_000, 4_000, entry('anthropic/claude-sonnet-4-5'))).toBe(µ(10_000 * 3.75 + 4_000 * 15));
    // gpt-4o: $2.50 in, $10 out
    expect(worstCaseNanos(1_000, 1_000, entry('openai/gpt-4o'))).toBe(µ(1_000 * 2.5 + 1_000 * 10));
    // qwen-turbo: reasoning $0.50 > output $0.20
    expect(worstCaseNanos(1_000, 1_000, entry('dashscope/qwen-turbo'))).toBe(µ(1_000 * 0.05 + 1_000 * 0.5));
  });

  it('applies the long-context tier and rounds up', () => {
    expect(worstCaseNanos(300_000, 1_000, entry('gemini/gemini-2.5-pro'))).toBe(µ(300_000 * 2.5 + 1_000 * 15));
    expect(worstCaseNanos(1, 0, half)).toBe(1); // 0.5 n$ → 1, never down
    expect(worstCaseNanos(3, 0, { ...half, input: 100 })).toBe(1); // 0.3 n$ → 1
  });

  it('is never below the settled cost for the same counts', () => {
    const e = entry('anthropic/claude-sonnet-4-5');
    for (const [cached, write] of [
      [0, 0],
      [9_000, 0],
      [0, 9_000],
      [3_000, 6_000],
    ] as const) {
      const settled = costNanos(usage(9_000, 700, { cachedInputTokens: cached, cacheWriteTokens: write }), e);
      expect(settled.nanos).toBeLessThanOrEqual(worstCaseNanos(9_000, 700, e));
    }
  });

  it('caps at 2^53 − 1 where integers stop being exact', () => {
    expect(worstCaseNanos(1e15, 1e15, entry('anthropic/claude-opus-4-1'))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('unknown model reserves 0', () => {
    expect(worstCaseNanos(1_000, 1_000, undefined)).toBe(0);
  });
});

describe('rerankCostNanos', () => {
  it('Cohere rerank-v3.5: search units at $0.002 each, whatever the tokens', () => {
    expect(rerankCostNanos({ searchUnits: 3, inputTokens: 5000 }, entry('cohere/rerank-v3.5'))).toEqual({ nanos: 6_000_000, priced: true });
  });

  it('Voyage rerank-2: tokens at $0.05/Mtok (no per-search price), rounded half up once', () => {
    // 1,001 tokens × 50,000 pico$ = 50,050,000 pico$ = 50,050 n$.
    expect(rerankCostNanos({ inputTokens: 1001 }, entry('voyage/rerank-2'))).toEqual({ nanos: 50_050, priced: true });
    expect(rerankCostNanos({ inputTokens: 11 }, entry('voyage/rerank-2')).nanos).toBe(550);
  });

  it('a per-search price with no units reported falls back to tokens; an unknown model is unpriced; bad counts cost nothing', () => {
    expect(rerankCostNanos({ inputTokens: 100 }, entry('cohere/rerank-v3.5'))).toEqual({ nanos: 0, priced: true });
    expect(rerankCostNanos({ searchUnits: 1 }, undefined)).toEqual({ nanos: 0, priced: false });
    expect(rerankCostNanos({ searchUnits: -2 }, entry('cohere/rerank-v3.5')).nanos).toBe(0);
    expect(rerankCostNanos({ searchUnits: Number.NaN }, entry('cohere/rerank-v3.5')).nanos).toBe(0);
  });
});
