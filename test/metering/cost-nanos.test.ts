import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Usage } from '../../providers/types.js';
import { parseConfigText } from '../../src/config/load.js';
import { usageReport } from '../../src/admin/usage-report.js';
import { loadCatalog } from '../../src/metering/catalog/index.js';
import { costNanos, worstCaseNanos } from '../../src/metering/cost.js';
import type { ReserveResult } from '../../src/metering/limits/counters.js';
import { createMemoryCounters } from '../../src/metering/limits/memory-counters.js';
import { createRedisCounters } from '../../src/metering/limits/redis-counters.js';
import { formatUsd } from '../../src/metering/money.js';
import { createLedger } from '../../src/storage/sqlite/ledger.js';
import { openStorage } from '../../src/storage/sqlite/open.js';
import { usageRecord } from '../../src/metering/usage-record.js';
import { post } from '../helpers/budget.js';
import { ADMIN_KEY, adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startHttpMock, type HttpMock } from '../mocks/http-mock.js';
import { openaiCompletionBody } from '../mocks/openai.js';
import { startRedis } from '../helpers/redis.js';

/*
 * Money is integer nano-dollars: a request's cost is exact to 1e-9 USD, so small calls are no
 * longer billed $0 (10 tokens of a $0.02/Mtok embedding model = $0.0000002) or rounded to the
 * micro-dollar (11 + 7 tokens of gpt-4o = $0.0000975).
 */

/** Published USD per million tokens, as text → exact pico-dollars per token (× 10^6), in BigInt. */
function picosPerToken(usdPerMtok: string): bigint {
  const [whole, frac = ''] = usdPerMtok.split('.');
  if (frac.length > 6) throw new Error(`more than 6 decimals: ${usdPerMtok}`);
  return BigInt(whole! + frac.padEnd(6, '0'));
}

/** Σ tokens × price, exactly, in pico-dollars (10^-12 USD). */
const exactPicos = (lines: ReadonlyArray<readonly [number, string]>): bigint => lines.reduce((sum, [tokens, price]) => sum + BigInt(tokens) * picosPerToken(price), 0n);

interface Case {
  id: string;
  usage: Usage;
  /** [tokens, the USD/Mtok price those tokens are billed at], written out by hand. */
  lines: Array<readonly [number, string]>;
}

const u = (inputTokens: number, outputTokens: number, more: Partial<Usage> = {}): Usage => ({ inputTokens, outputTokens, ...more });

// Odd, small token counts so most totals are not whole micro-dollars.
const cases: Case[] = [
  { id: 'openai/gpt-4o', usage: u(11, 7), lines: [[11, '2.50'], [7, '10']] },
  { id: 'openai/gpt-4o', usage: u(1_003, 17, { cachedInputTokens: 501 }), lines: [[502, '2.50'], [501, '1.25'], [17, '10']] },
  { id: 'openai/gpt-4o-mini', usage: u(13, 3, { cachedInputTokens: 7 }), lines: [[6, '0.15'], [7, '0.075'], [3, '0.60']] },
  { id: 'openai/o3', usage: u(9, 1_001, { reasoningTokens: 999 }), lines: [[9, '2'], [1_001, '8']] },
  { id: 'openai/gpt-5', usage: u(33, 5, { cachedInputTokens: 21, reasoningTokens: 4 }), lines: [[12, '1.25'], [21, '0.125'], [5, '10']] },
  { id: 'openai/text-embedding-3-small', usage: u(10, 0), lines: [[10, '0.02']] },
  { id: 'openai/text-embedding-3-large', usage: u(7, 0), lines: [[7, '0.13']] },
  // cache write (Anthropic 5-minute price)
  { id: 'anthropic/claude-sonnet-4-5', usage: u(1_234, 9, { cachedInputTokens: 100, cacheWriteTokens: 1_000 }), lines: [[134, '3'], [100, '0.30'], [1_000, '3.75'], [9, '15']] },
  { id: 'anthropic/claude-opus-4-1', usage: u(3, 1, { cacheWriteTokens: 3 }), lines: [[3, '18.75'], [1, '75']] },
  { id: 'anthropic/claude-3-5-haiku-20241022', usage: u(7, 5, { cachedInputTokens: 3, cacheWriteTokens: 2 }), lines: [[2, '0.80'], [3, '0.08'], [2, '1'], [5, '4']] },
  // long context: one token over the threshold bills every token at the tier's prices
  { id: 'anthropic/claude-sonnet-4-5', usage: u(200_001, 1, { cachedInputTokens: 1, cacheWriteTokens: 3 }), lines: [[199_997, '6'], [1, '0.60'], [3, '7.50'], [1, '22.50']] },
  { id: 'gemini/gemini-2.5-pro', usage: u(250_003, 7, { cachedInputTokens: 3, reasoningTokens: 5 }), lines: [[250_000, '2.50'], [3, '0.25'], [7, '15']] },
  { id: 'gemini/gemini-2.5-flash', usage: u(17, 3, { cachedInputTokens: 9, reasoningTokens: 2 }), lines: [[8, '0.30'], [9, '0.03'], [3, '2.50']] },
  // sub-nano prices: $0.01875 and $0.0375 per Mtok cached input (rounded half up once, at the end)
  { id: 'gemini/gemini-2.0-flash-lite', usage: u(5, 1, { cachedInputTokens: 3 }), lines: [[2, '0.075'], [3, '0.01875'], [1, '0.30']] },
  { id: 'groq/openai/gpt-oss-20b', usage: u(3, 1, { cachedInputTokens: 1 }), lines: [[2, '0.075'], [1, '0.0375'], [1, '0.30']] },
  { id: 'mistral/mistral-small-latest', usage: u(3, 1), lines: [[3, '0.10'], [1, '0.30']] },
  { id: 'deepseek/deepseek-chat', usage: u(11, 3, { cachedInputTokens: 5 }), lines: [[6, '0.28'], [5, '0.028'], [3, '0.42']] },
  // long context where the tier omits the cached price: the base $0.05 stays
  { id: 'xai/grok-4-fast-reasoning', usage: u(128_001, 1, { cachedInputTokens: 1 }), lines: [[128_000, '0.40'], [1, '0.05'], [1, '1']] },
  { id: 'xai/grok-3-mini', usage: u(3, 2, { cachedInputTokens: 1, reasoningTokens: 1 }), lines: [[2, '0.30'], [1, '0.075'], [2, '0.50']] },
  // a separate reasoning price
  { id: 'dashscope/qwen-turbo', usage: u(1, 3, { reasoningTokens: 2 }), lines: [[1, '0.05'], [2, '0.50'], [1, '0.20']] },
  { id: 'dashscope/qwen-flash', usage: u(256_001, 1), lines: [[256_001, '0.25'], [1, '2']] },
  { id: 'perplexity/sonar-deep-research', usage: u(1, 5, { reasoningTokens: 3 }), lines: [[1, '2'], [3, '3'], [2, '8']] },
  { id: 'moonshot/kimi-k2-0905-preview', usage: u(3, 1, { cachedInputTokens: 1 }), lines: [[2, '0.60'], [1, '0.15'], [1, '2.50']] },
  { id: 'cerebras/llama-3.3-70b', usage: u(1, 1), lines: [[1, '0.85'], [1, '1.20']] },
  { id: 'groq/llama-3.1-8b-instant', usage: u(1, 1), lines: [[1, '0.05'], [1, '0.08']] },
];

const catalog = loadCatalog();
/** `provider/model` → its catalog entry (the model part may hold slashes: `groq/openai/gpt-oss-20b`). */
const entry = (id: string) => catalog.get(id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1));

describe('a request costs its exact price to the nano-dollar', () => {
  it('covers at least 20 catalog models', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBeGreaterThanOrEqual(20);
  });

  for (const c of cases) {
    it(`${c.id} ${JSON.stringify(c.usage)}`, () => {
      const picos = exactPicos(c.lines);
      const e = entry(c.id);
      expect(e, `catalog lacks ${c.id}`).toBeDefined();
      const { nanos, priced } = costNanos(c.usage, e);
      expect(priced).toBe(true);
      expect(nanos).toBe(Number((picos + 500n) / 1000n)); // rounded half up, once
      const error = BigInt(nanos) * 1000n - picos;
      expect(error <= 500n && error >= -500n).toBe(true); // within half a nano-dollar of the price
    });
  }

  it('the two small calls that micro-dollars got wrong', () => {
    expect(formatUsd(costNanos(u(11, 7), entry('openai/gpt-4o')).nanos)).toBe('0.0000975');
    expect(formatUsd(costNanos(u(10, 0), entry('openai/text-embedding-3-small')).nanos)).toBe('0.0000002');
  });
});

describe('ten-token embedding requests at $0.02/Mtok (200 n$ each; micro-dollars billed them $0)', () => {
  const price = () => entry('openai/text-embedding-3-small');

  it('1,000,000 of them reserve and settle exactly $0.2 on the budget counters: a $0.2 budget is spent to the last one', async () => {
    const counters = createMemoryCounters();
    const check = (amount: number) => [{ key: 'spend-nanos:team:t:total', kind: 'sum' as const, limit: 200_000_000, amount, ttlMs: 0 }];
    const e = price();
    let admitted = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const reserved = worstCaseNanos(10, 0, e);
      // In-process counters answer synchronously (no await: a million microtasks would dominate).
      if ((counters.reserve(check(reserved), `r${i}`, 0) as ReserveResult).ok) admitted++;
      const settled = costNanos({ inputTokens: 10, outputTokens: 0 }, e).nanos;
      void counters.settle([{ key: 'spend-nanos:team:t:total', kind: 'sum', delta: settled - reserved }], `r${i}`);
    }
    expect(admitted).toBe(1_000_000);
    expect(await counters.read('spend-nanos:team:t:total')).toBe(200_000_000);
    expect(formatUsd(await counters.read('spend-nanos:team:t:total'))).toBe('0.200000');
    expect((await counters.reserve(check(200), 'one-more', 0)).ok).toBe(false);
  }, 60_000);

  it('100,000 of them sum to exactly $0.02 through the real ledger (batched inserts, the report’s SQL SUM)', async () => {
    const storage = openStorage('sqlite::memory:');
    try {
      const ledger = createLedger(storage, (err) => {
        throw err;
      });
      const t0 = performance.now();
      for (let i = 0; i < 100_000; i++) {
        const nanos = costNanos({ inputTokens: 10, outputTokens: 0 }, price()).nanos;
        ledger.record(usageRecord({ requestId: `r${i}`, teamId: 'team_emb', keyId: null, kind: 'llm', status: 200, attempts: 1, provider: 'openai', model: 'text-embedding-3-small', inputTokens: 10, costNanos: nanos }, t0));
        if (i % 10_000 === 9_999) ledger.flush();
      }
      expect(ledger.flush()).toBe(0);
      const report = await usageReport(storage.store, { groupBy: 'model' });
      expect(report.total).toMatchObject({ requests: 100_000, input_tokens: 1_000_000, cost_nanos: 20_000_000, cost_usd: 0.02 });
      expect(formatUsd(report.total.cost_nanos)).toBe('0.020000');
    } finally {
      storage.sqlite.close();
    }
  }, 60_000);
});

describe('end to end: header, usage.cost, ledger and /admin/usage carry the exact cost', () => {
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;

  beforeAll(async () => {
    mock = await startHttpMock((req) => {
      if (req.path.endsWith('/embeddings')) {
        return { json: { object: 'list', model: req.body.model, data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], usage: { prompt_tokens: 10, total_tokens: 10 } } };
      }
      return { json: openaiCompletionBody({ text: 'ok', model: req.body.model, usage: { prompt_tokens: 11, completion_tokens: 7 } }) };
    });
    tmp = tempDir();
    gw = await startInstance(`providers:\n  openai: { type: openai, api_key: "sk-test-nanos-0000", base_url: "${mock.url}/v1" }\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
  });
  afterAll(async () => {
    await gw?.close(1000);
    await mock?.close();
    tmp?.remove();
  });

  async function teamKey(name: string): Promise<{ teamId: string; key: string }> {
    const team = await adminCall(gw.url, 'POST', '/admin/teams', { name });
    const key = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id });
    return { teamId: team.json.id, key: key.json.key };
  }

  it('11 + 7 tokens of gpt-4o: $0.0000975, not $0.000098', async () => {
    const { teamId, key } = await teamKey('chat-nanos');
    const r = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-tollgate-cost-usd')).toBe('0.0000975');
    expect(r.json.usage.cost).toBe(0.0000975);
    const report = await adminCall(gw.url, 'GET', `/admin/usage?group_by=model&team_id=${teamId}`);
    expect(report.json.total).toMatchObject({ requests: 1, input_tokens: 11, output_tokens: 7, cost_nanos: 97_500, cost_usd: 0.0000975 });
    const records = await adminCall(gw.url, 'GET', `/admin/usage/records?team_id=${teamId}`);
    expect(records.json.data[0]).toMatchObject({ cost_nanos: 97_500, cost_usd: 0.0000975 });
  });

  it('budgets: nano-dollar precision is accepted, finer or above $9,007,199 is refused in the admin envelope', async () => {
    const team = (amount: number | string) => adminCall(gw.url, 'POST', '/admin/teams', `{"name": "b${Math.random()}", "limits": {"budget_usd": {"amount": ${amount}, "period": "day"}}}`);
    const fine = await team('0.000000001');
    expect(fine.status).toBe(201);
    const budgets = await adminCall(gw.url, 'GET', '/admin/budgets');
    expect(budgets.json.data.find((b: any) => b.id === fine.json.id).budget).toMatchObject({ amount_nanos: 1, amount_usd: 1e-9 });
    expect((await team('9007199')).status).toBe(201);
    const big = await team('9007199.5');
    expect(big.status).toBe(400);
    expect(big.json.error).toMatchObject({ param: 'limits.budget_usd.amount', message: 'limits.budget_usd.amount is too large (at most 9007199.254740991 USD: budgets are counted in whole nano-dollars).' });
    const tiny = await team('0.0000000001');
    expect(tiny.status).toBe(400);
    expect(tiny.json.error.message).toBe('limits.budget_usd.amount has more precision than a nano-dollar.');
  });

  it('10 tokens of text-embedding-3-small: $0.0000002, not $0', async () => {
    const { teamId, key } = await teamKey('emb-nanos');
    const r = await post(gw.url, '/v1/embeddings', key, { model: 'openai/text-embedding-3-small', input: 'ten tokens of text' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-tollgate-cost-usd')).toBe('0.0000002');
    const report = await adminCall(gw.url, 'GET', `/admin/usage?group_by=model&team_id=${teamId}`);
    expect(report.json.total).toMatchObject({ requests: 1, input_tokens: 10, cost_nanos: 200, cost_usd: 0.0000002 });
    const csv = await fetch(`${gw.url}/admin/usage.csv?group_by=model&team_id=${teamId}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect((await csv.text()).split('\r\n')[1]).toBe('text-embedding-3-small,1,10,0,0.0000002');
  });
});

describe('amounts stay below 2^53 nano-dollars ($9,007,199.254740991)', () => {
  it('config refuses a larger spend-spike threshold, naming the field and the bound', () => {
    const yaml = (usd: number) => `alerts:\n  webhooks: [{ url: "https://example.com/hook" }]\n  spend_spike: { window_minutes: 60, usd: ${usd} }\n`;
    expect(() => parseConfigText(yaml(9_007_200), {})).toThrow(/alerts\.spend_spike\.usd: must be <= 9007199/);
    expect(() => parseConfigText(yaml(9_007_199), {})).not.toThrow();
  });

  it('the Redis counters stay exact at the largest budget: 2^53 − 1 n$ fits, one nano-dollar more does not', async () => {
    const redis = await startRedis();
    const counters = createRedisCounters(redis.url);
    try {
      const key = 'spend-nanos:team:big:total';
      const check = (amount: number) => [{ key, kind: 'sum' as const, limit: Number.MAX_SAFE_INTEGER, amount, ttlMs: 0 }];
      await counters.seed(key, Number.MAX_SAFE_INTEGER - 3, 0);
      expect(await counters.reserve(check(2), 'a', Date.now())).toEqual({ ok: true, values: [Number.MAX_SAFE_INTEGER - 1] });
      expect(await counters.reserve(check(2), 'b', Date.now())).toEqual({ ok: false, index: 0, current: Number.MAX_SAFE_INTEGER - 1 });
      expect(await counters.reserve(check(1), 'c', Date.now())).toEqual({ ok: true, values: [Number.MAX_SAFE_INTEGER] });
      await counters.settle([{ key, kind: 'sum', delta: -7 }], 'c');
      expect(await counters.read(key)).toBe(Number.MAX_SAFE_INTEGER - 7);
    } finally {
      await counters.close();
      await redis.stop();
    }
  });
});

