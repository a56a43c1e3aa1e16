import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { budgetTeam, ledgerOf, post } from '../helpers/budget.js';
import { startHttpMock, type HttpMock, type RecordedRequest } from '../mocks/http-mock.js';
import { openaiCompletion } from '../mocks/openai.js';
import { geminiResponse } from '../mocks/gemini.js';
import { mistralResponse } from '../mocks/mistral.js';

/**
 * Issue #10 item 5: numbers that overflow (`1e400` → Infinity), caps no model honours (`1e308`),
 * unbounded `n` and missing caps must not shrink the budget reservation. Each upstream mock bills
 * the worst case the request allowed (its output cap × completions, or the model's whole output
 * when it received none), as a real provider could: a request the gateway lets through on a
 * reservation smaller than that shows up as spend above the budget.
 */
const CAP = { 'gpt-4o': 16384, 'gpt-3.5-turbo-instruct': 4096, 'gemini-2.5-flash': 65535 } as Record<string, number>;

function openaiWorstCase(req: RecordedRequest) {
  const b = req.body ?? {};
  const cap = b.max_completion_tokens ?? b.max_tokens ?? CAP[b.model] ?? 100_000;
  const prompts = Array.isArray(b.prompt) ? b.prompt.length : 1;
  const completions = Math.max(b.n ?? 1, b.best_of ?? 1) * prompts;
  const usage = { prompt_tokens: Math.ceil(req.text.length / 4), completion_tokens: cap * completions };
  if (req.path.endsWith('/completions') && !req.path.endsWith('/chat/completions')) {
    return { json: { id: 'cmpl-1', object: 'text_completion', created: 1, model: b.model, choices: [{ text: 'x', index: 0, logprobs: null, finish_reason: 'length' }], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } };
  }
  return openaiCompletion({ text: 'x', usage });
}

describe('budget reservation bypass: non-finite and oversized numbers, n, missing caps (issue #10 item 5)', () => {
  let openai: HttpMock;
  let gemini: HttpMock;
  let mistral: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;

  beforeAll(async () => {
    openai = await startHttpMock(openaiWorstCase);
    gemini = await startHttpMock((req) => {
      const cap = req.body?.generationConfig?.maxOutputTokens;
      return geminiResponse({ text: 'x', usage: { promptTokenCount: Math.ceil(req.text.length / 4), candidatesTokenCount: typeof cap === 'number' ? cap : CAP['gemini-2.5-flash']! } });
    });
    mistral = await startHttpMock((req) => {
      const cap = req.body?.max_tokens;
      return mistralResponse({ text: 'x', usage: { prompt_tokens: Math.ceil(req.text.length / 4), completion_tokens: typeof cap === 'number' ? cap : 200_000 } });
    });
    tmp = tempDir();
    gw = await startInstance(
      `
providers:
  openai: { type: openai, api_key: "sk-test-budgetkey-0000", base_url: "${openai.url}/v1" }
  gemini: { type: gemini, api_key: "gemini-test-key", base_url: "${gemini.url}" }
  mistral: { type: mistral, api_key: "mistral-test-key", base_url: "${mistral.url}" }
pricing:
  "mistral/house-model": { input_per_mtok_usd: 1, output_per_mtok_usd: 1 }
`,
      { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` },
    );
  });
  afterAll(async () => {
    await gw?.close(1000);
    await Promise.all([openai?.close(), gemini?.close(), mistral?.close()]);
    tmp?.remove();
  });

  const sent = () => openai.requests.length + gemini.requests.length + mistral.requests.length;

  it('max_tokens 1e400 (Infinity) is a 400 naming the field on every surface and target; no upstream is called, nothing is spent', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'inf', 50_000_000);
    const before = sent();
    const msgs = '"messages":[{"role":"user","content":"hi"}]';
    for (const model of ['openai/gpt-4o', 'gemini/gemini-2.5-flash', 'mistral/mistral-small-latest']) {
      for (const field of ['max_tokens', 'max_completion_tokens']) {
        const r = await post(gw.url, '/v1/chat/completions', key, `{"model":"${model}",${msgs},"${field}":1e400}`);
        expect(r.status).toBe(400);
        expect(r.json.error.param).toBe(field);
        expect(r.json.error.type).toBe('invalid_request_error');
      }
    }
    const c = await post(gw.url, '/v1/completions', key, '{"model":"openai/gpt-3.5-turbo-instruct","prompt":"hi","max_tokens":1e400}');
    expect(c.status).toBe(400);
    expect(c.json.error.param).toBe('max_tokens');
    // The Anthropic surface answers in Anthropic's envelope.
    const m = await post(gw.url, '/v1/messages', key, `{"model":"mistral/mistral-small-latest","max_tokens":1e400,${msgs}}`);
    expect(m.status).toBe(400);
    expect(m.json.type).toBe('error');
    expect(m.json.error.type).toBe('invalid_request_error');
    expect(m.json.error.message).toContain('max_tokens');
    expect(sent()).toBe(before);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBe(0);
  });

  it('max_tokens 1e308 (finite, with n: 2 it overflows) is refused as more than the model can produce, on chat, completions and messages', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'e308', 50_000_000);
    const before = sent();
    const chat = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', n: 2, max_tokens: 1e308, messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.status).toBe(400);
    expect(chat.json.error.param).toBe('max_tokens');
    // Over the catalog's 16,384 for gpt-4o by one token: refused too, with the limit in the message.
    const over = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', max_completion_tokens: 16385, messages: [{ role: 'user', content: 'hi' }] });
    expect(over.status).toBe(400);
    expect(over.json.error.param).toBe('max_completion_tokens');
    expect(over.json.error.message).toContain('16384');
    // Both fields sent: the larger one counts (the pass-through forwards both).
    const both = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', max_completion_tokens: 10, max_tokens: 1e308, messages: [{ role: 'user', content: 'hi' }] });
    expect(both.status).toBe(400);
    expect(both.json.error.param).toBe('max_tokens');
    const gem = await post(gw.url, '/v1/chat/completions', key, { model: 'gemini/gemini-2.5-flash', max_tokens: 1e308, messages: [{ role: 'user', content: 'hi' }] });
    expect(gem.status).toBe(400);
    const comp = await post(gw.url, '/v1/completions', key, { model: 'openai/gpt-3.5-turbo-instruct', prompt: 'hi', n: 2, max_tokens: 1e308 });
    expect(comp.status).toBe(400);
    const msg = await post(gw.url, '/v1/messages', key, { model: 'mistral/mistral-small-latest', max_tokens: 1e308, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.status).toBe(400);
    expect(msg.json.type).toBe('error');
    // Anthropic's thinking budget is bounded the same way.
    const think = await post(gw.url, '/v1/messages', key, { model: 'mistral/mistral-small-latest', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1e308 }, messages: [{ role: 'user', content: 'hi' }] });
    expect(think.status).toBe(400);
    expect(think.json.error.message).toContain('budget_tokens');
    expect(sent()).toBe(before);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBe(0);
  });

  it('/v1/completions bounds n and best_of, and reserves every completion of every prompt: spend stays within the budget', async () => {
    const budget = 100_000_000; // $0.10
    const { teamId, key } = await budgetTeam(gw.url, 'completions-n', budget);
    const before = openai.requests.length;
    for (const extra of [{ n: 1000 }, { n: 1e308 }, { best_of: 21 }, { n: 0 }, { n: 1.5 }]) {
      const r = await post(gw.url, '/v1/completions', key, { model: 'openai/gpt-3.5-turbo-instruct', prompt: 'hi', max_tokens: 10, ...extra });
      expect(r.status).toBe(400);
      expect(r.json.error.param).toBe(Object.keys(extra)[0]);
    }
    // 128 completions × 4,096 tokens × $2/Mtok ≈ $1.05 worst case; 3 prompts × best_of 20 × 4,096 ≈ $0.49.
    for (const extra of [{ n: 128, max_tokens: 4096 }, { best_of: 20, max_tokens: 4096, prompt: ['a', 'b', 'c'] }]) {
      const r = await post(gw.url, '/v1/completions', key, { model: 'openai/gpt-3.5-turbo-instruct', prompt: 'hi', ...extra });
      expect(r.status).toBe(429);
      expect(r.json.error.message).toContain('budget_usd');
    }
    expect(openai.requests.length).toBe(before);
    // What fits goes through, and is billed in full (3 prompts × n 2 × 100 tokens).
    const ok = await post(gw.url, '/v1/completions', key, { model: 'openai/gpt-3.5-turbo-instruct', prompt: ['a', 'b', 'c'], n: 2, max_tokens: 100 });
    expect(ok.status).toBe(200);
    expect(openai.requests.at(-1)!.body).toMatchObject({ n: 2, max_tokens: 100 });
    const spent = await ledgerOf(gw.url, teamId);
    expect(spent.output).toBe(600);
    expect(spent.nanos).toBeGreaterThan(0);
    expect(spent.nanos).toBeLessThanOrEqual(budget);
  });

  it('chat n is bounded and multiplies the reservation: 16 × max_tokens that would overspend is a 429 before any upstream call', async () => {
    const budget = 20_000_000; // $0.02
    const { teamId, key } = await budgetTeam(gw.url, 'chat-n', budget);
    const before = sent();
    const bad = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', n: 129, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('n');
    // 1 × 1,000 tokens at $10/Mtok = $0.01 fits; 16 × 1,000 = $0.16 does not.
    const many = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', n: 16, max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] });
    expect(many.status).toBe(429);
    expect(sent()).toBe(before);
    const one = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', n: 1, max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] });
    expect(one.status).toBe(200);
    expect(openai.requests.at(-1)!.body.max_tokens).toBe(1000);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
  });

  it('a translated request carries the finite cap upstream (Gemini maxOutputTokens, Mistral max_tokens), never null', async () => {
    const budget = 10_000_000;
    const { teamId, key } = await budgetTeam(gw.url, 'translated', budget);
    const g = await post(gw.url, '/v1/chat/completions', key, { model: 'gemini/gemini-2.5-flash', max_tokens: 300, messages: [{ role: 'user', content: 'hi' }] });
    expect(g.status).toBe(200);
    expect(gemini.requests.at(-1)!.body.generationConfig.maxOutputTokens).toBe(300);
    const m = await post(gw.url, '/v1/messages', key, { model: 'mistral/mistral-small-latest', max_tokens: 300, messages: [{ role: 'user', content: 'hi' }] });
    expect(m.status).toBe(200);
    expect(mistral.requests.at(-1)!.body.max_tokens).toBe(300);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
  });

  it('without a client cap the reservation is the model’s whole output (catalog), or the documented 131,072-token ceiling for a model the catalog does not know', async () => {
    // gemini-2.5-flash: 65,535 output tokens × $2.50/Mtok ≈ $0.164 > $0.10.
    const budget = 100_000_000;
    const { teamId, key } = await budgetTeam(gw.url, 'no-cap', budget);
    const before = sent();
    const g = await post(gw.url, '/v1/chat/completions', key, { model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] });
    expect(g.status).toBe(429);
    // house-model is priced in config ($1/Mtok) but has no catalog max output: 131,072 tokens ≈ $0.131 > $0.10
    // (with a 4,096-token default it would have been admitted, and billed for 200,000 tokens).
    const h = await post(gw.url, '/v1/chat/completions', key, { model: 'mistral/house-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(h.status).toBe(429);
    expect(sent()).toBe(before);
    // A cap above the ceiling for that model is refused outright.
    const over = await post(gw.url, '/v1/chat/completions', key, { model: 'mistral/house-model', max_tokens: 131_073, messages: [{ role: 'user', content: 'hi' }] });
    expect(over.status).toBe(400);
    expect(over.json.error.message).toContain('131072');
    const ok = await post(gw.url, '/v1/chat/completions', key, { model: 'mistral/house-model', max_tokens: 50_000, messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.status).toBe(200);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
  });

  it('sampling numbers must be finite: temperature, top_p, penalties, seed, top_k → 400 naming the field, nothing sent upstream', async () => {
    const { key } = await budgetTeam(gw.url, 'sampling', 50_000_000);
    const before = sent();
    const msgs = '"messages":[{"role":"user","content":"hi"}]';
    for (const [field, value] of [['temperature', '1e400'], ['top_p', '-1e400'], ['presence_penalty', '1e999'], ['frequency_penalty', '-1E+400'], ['seed', '1e400'], ['logit_bias', '{"50256":1e400}']] as const) {
      const r = await post(gw.url, '/v1/chat/completions', key, `{"model":"gemini/gemini-2.5-flash","max_tokens":5,${msgs},"${field}":${value}}`);
      expect(r.status, field).toBe(400);
      expect(r.json.error.param, field).toMatch(new RegExp(`^${field}`));
    }
    for (const [field, value] of [['temperature', '1e400'], ['top_p', '1e400'], ['top_k', '1e400']] as const) {
      const r = await post(gw.url, '/v1/messages', key, `{"model":"mistral/mistral-small-latest","max_tokens":5,${msgs},"${field}":${value}}`);
      expect(r.status, field).toBe(400);
      expect(r.json.type).toBe('error');
      expect(r.json.error.message, field).toContain(field);
    }
    const p = await post(gw.url, '/v1/completions', key, '{"model":"openai/gpt-3.5-turbo-instruct","prompt":"hi","max_tokens":5,"temperature":1e400}');
    expect(p.status).toBe(400);
    expect(sent()).toBe(before);
  });

  it('prompts: front matter cannot set n, nor a non-finite or oversized max_tokens; a prompt call reserves the model’s output like any chat call', async () => {
    const source = (front: string) => ({ source: `---\nname: bypass-${Math.random().toString(36).slice(2, 8)}\nversion: "1"\nmodel: openai/gpt-4o\ninput: { type: object, properties: { word: { type: string } }, required: [word] }\n${front}\n---\nSay {{ word }}.` });
    for (const front of ['n: 1000', 'max_tokens: .inf', 'max_tokens: 1e308', 'params: { n: 50 }']) {
      const r = await adminCall(gw.url, 'POST', '/admin/prompts', source(front));
      expect(r.status, front).toBe(400);
    }
    const budget = 50_000_000;
    const { teamId, key } = await budgetTeam(gw.url, 'prompts', budget);
    const before = sent();
    // No cap: gpt-4o's 16,384 output tokens × $10/Mtok ≈ $0.16 > $0.05.
    const uncapped = await adminCall(gw.url, 'POST', '/admin/prompts', source('temperature: 0'));
    expect(uncapped.status, JSON.stringify(uncapped.json)).toBe(201);
    const r1 = await post(gw.url, `/v1/prompts/${uncapped.json.name}`, key, { word: 'hi' });
    expect(r1.status).toBe(429);
    // A cap above what gpt-4o can produce: a 400 at call time, naming max_tokens.
    const over = await adminCall(gw.url, 'POST', '/admin/prompts', source('max_tokens: 20000'));
    expect(over.status).toBe(201);
    const r2 = await post(gw.url, `/v1/prompts/${over.json.name}`, key, { word: 'hi' });
    expect(r2.status).toBe(400);
    expect(r2.json.error.param).toBe('max_tokens');
    expect(sent()).toBe(before);
    const capped = await adminCall(gw.url, 'POST', '/admin/prompts', source('max_tokens: 100'));
    const r3 = await post(gw.url, `/v1/prompts/${capped.json.name}`, key, { word: 'hi' });
    expect(r3.status).toBe(200);
    expect(openai.requests.at(-1)!.body.max_completion_tokens).toBe(100); // the translated form names it so
    expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
  });

  it('the overflow check is linear: 3 MB of 308-digit numbers is answered at once, a 309-digit one is named; deep nesting is no 500', async () => {
    const { key } = await budgetTeam(gw.url, 'digits', 50_000_000);
    const numbers = Array(10_000).fill('1'.repeat(308)).join(',');
    let t = performance.now();
    const finite = await post(gw.url, '/v1/chat/completions', key, `{"model":"openai/gpt-4o","max_tokens":1e400,"messages":[{"role":"user","content":"hi"}],"metadata_numbers":[${numbers}]}`);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(finite.status).toBe(400);
    expect(finite.json.error.param).toBe('max_tokens');
    t = performance.now();
    const huge = await post(gw.url, '/v1/chat/completions', key, `{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"x":[${numbers},1${'0'.repeat(309)}]}`);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(huge.status).toBe(400);
    expect(huge.json.error.param).toBe('x[10000]');
    const deep = await post(gw.url, '/v1/chat/completions', key, `{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"x":${'['.repeat(50_000)}1e400${']'.repeat(50_000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.json.error.param).toMatch(/^x\[0\]/);
    expect(deep.json.error.param.length).toBeLessThan(250);
  });

  it('the admin API refuses non-finite limits too (the same JSON parser)', async () => {
    const r = await adminCall(gw.url, 'POST', '/admin/teams', '{"name":"x","limits":{"budget_usd":{"amount":1e400,"period":"day"}}}');
    expect(r.status).toBe(400);
    expect(r.json.error.param).toBe('limits.budget_usd.amount');
  });
});
