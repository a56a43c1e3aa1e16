import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { budgetTeam, ledgerOf, post } from '../helpers/budget.js';
import { startHttpMock, type HttpMock } from '../mocks/http-mock.js';
import { openaiCompletionBody, openaiStreamFrames } from '../mocks/openai.js';

/**
 * Issue #10 item 10: `service_tier: "priority"` was priced at the standard rate. The tier the
 * upstream reports is priced from the catalog (LiteLLM's `*_priority` / `*_flex` prices), and
 * a request asking for priority reserves at priority prices.
 *
 * gpt-4o per Mtok: standard $2.50 in / $10 out, priority $4.25 / $17.
 * gpt-5 per Mtok: standard $1.25 / $10, flex $0.625 / $5, priority $2.50 / $20.
 */
describe('service tiers are priced as the upstream reports them (issue #10 item 10)', () => {
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;

  beforeAll(async () => {
    // The upstream serves the tier the client asked for ('auto'/absent → 'default'), 1,000 in / 500 out.
    mock = await startHttpMock((req) => {
      const b = req.body;
      const tier = b.service_tier && b.service_tier !== 'auto' ? b.service_tier : 'default';
      const spec = { text: 'ok', model: b.model, usage: { prompt_tokens: 1000, completion_tokens: 500 } };
      if (b.stream) return { sse: openaiStreamFrames(spec, { includeUsage: true }).map((f) => f.replace('"system_fingerprint"', `"service_tier":"${tier}","system_fingerprint"`)) };
      return { json: { ...openaiCompletionBody(spec), service_tier: tier } };
    });
    tmp = tempDir();
    gw = await startInstance(`providers:\n  openai: { type: openai, api_key: "sk-test-tier-0000", base_url: "${mock.url}/v1" }\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
  });
  afterAll(async () => {
    await gw?.close(1000);
    await mock?.close();
    tmp?.remove();
  });

  it('OpenAI SDK, non-streaming: priority costs the priority price, default the standard one, flex the flex one — header, usage.cost and ledger agree', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'tiers', 100_000_000);
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
    const cases: Array<[string, 'priority' | 'default' | 'flex', number]> = [
      ['gpt-4o', 'priority', 1000 * 4.25 + 500 * 17], // 12,750 µ$
      ['gpt-4o', 'default', 1000 * 2.5 + 500 * 10], // 7,500 µ$
      ['gpt-5', 'flex', 1000 * 0.625 + 500 * 5], // 3,125 µ$
      ['gpt-5', 'priority', 1000 * 2.5 + 500 * 20], // 12,500 µ$
    ];
    let total = 0;
    for (const [model, tier, micros] of cases) {
      const { data, response } = await client.chat.completions
        .create({ model: `openai/${model}`, max_tokens: 600, service_tier: tier, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      expect(mock.requests.at(-1)!.body.service_tier).toBe(tier);
      expect(data.service_tier).toBe(tier);
      expect(response.headers.get('x-tollgate-cost-usd')).toBe((micros / 1e6).toFixed(6));
      expect((data.usage as any).cost).toBeCloseTo(micros / 1e6, 9);
      total += micros;
    }
    expect((await ledgerOf(gw.url, teamId)).nanos).toBe(total * 1000);
  });

  it('streaming pass-through: the usage chunk’s service_tier prices the stream', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'tier-stream', 100_000_000);
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4o', max_tokens: 600, stream: true, stream_options: { include_usage: true }, service_tier: 'priority', messages: [{ role: 'user', content: 'hi' }] });
    let cost: number | undefined;
    for await (const chunk of stream) if (chunk.usage) cost = (chunk.usage as any).cost;
    expect(cost).toBeCloseTo(0.01275, 9);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBe(12_750_000);
  });

  it('translated (Anthropic SDK → OpenAI upstream): the upstream’s tier prices the answer', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'tier-messages', 100_000_000);
    mock.setHandler((req) => ({ json: { ...openaiCompletionBody({ text: 'ok', usage: { prompt_tokens: 1000, completion_tokens: 500 } }), service_tier: 'priority' } }));
    const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
    const msg = await client.messages.create({ model: 'openai/gpt-4o', max_tokens: 600, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.usage.output_tokens).toBe(500);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBe(12_750_000);
  });

  it('asking for priority reserves at priority prices: a budget that holds the standard worst case but not the priority one refuses it before the upstream is called', async () => {
    // max_tokens 1,000 on gpt-4o: standard worst case ≈ $0.0100, priority ≈ $0.0170.
    const budget = 12_000_000;
    const { teamId, key } = await budgetTeam(gw.url, 'tier-reserve', budget);
    const before = mock.requests.length;
    const ask = { model: 'openai/gpt-4o', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] };
    const prio = await post(gw.url, '/v1/chat/completions', key, { ...ask, service_tier: 'priority' });
    expect(prio.status).toBe(429);
    expect(prio.json.error.message).toContain('budget_usd');
    expect(mock.requests.length).toBe(before);
    mock.setHandler(() => ({ json: { ...openaiCompletionBody({ text: 'ok', usage: { prompt_tokens: 10, completion_tokens: 900 } }), service_tier: 'default' } }));
    const std = await post(gw.url, '/v1/chat/completions', key, ask);
    expect(std.status).toBe(200);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
  });
});
