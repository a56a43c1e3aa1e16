import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

// mock/echo priced $1000/Mtok both ways (it has no catalog price), so a small budget runs out.
const YAML = 'providers:\n  mock: { type: mock }\npricing:\n  mock/echo: { input_per_mtok_usd: 1000, output_per_mtok_usd: 1000 }\n';
const ask = { model: 'mock/echo', max_tokens: 5, messages: [{ role: 'user' as const, content: 'one two three' }] };

/**
 * A refusal that waiting a few seconds cannot cure must not keep an SDK sleeping and retrying:
 * the openai SDK honours a `retry-after` under 60 s and otherwise backs off and retries twice,
 * the Anthropic SDK likewise. `x-should-retry: false` is the header both obey first.
 */
describe('a budget refusal fails the SDK call at once', () => {
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;
  let key: string;
  let keyId: string;
  const refusals = () => (gw.ledger.flush(), gw.storage.sqlite.prepare('SELECT count(*) AS n FROM usage_records WHERE key_id = ? AND status = 429').get(keyId) as { n: number }).n;
  const secondsToMidnightUtc = () => {
    const d = new Date();
    return (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - d.getTime()) / 1000;
  };

  beforeAll(async () => {
    tmp = tempDir();
    gw = await startInstance(YAML, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/l.db` });
    const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'daily', limits: { budget_usd: { amount: 0.05, period: 'day' } } })).json;
    const k = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name: 'daily-key' })).json;
    key = k.key;
    keyId = k.id;
    // Spend the day's budget.
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) status = (await chat(gw.url, key, ask)).status;
    expect(status).toBe(429);
  });
  afterAll(async () => {
    await gw?.close(1000);
    tmp?.remove();
  });

  it('over HTTP: 429 insufficient_quota, retry-after = seconds until the period resets, x-should-retry: false', async () => {
    const res = await chat(gw.url, key, ask);
    expect(res.status).toBe(429);
    expect(res.json.error.code).toBe('insufficient_quota');
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(Math.abs(Number(res.headers.get('retry-after')) - secondsToMidnightUtc())).toBeLessThanOrEqual(5);
  });

  it('openai SDK, default retries, /v1/chat/completions: RateLimitError within 1 s, one request reached the gateway', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key });
    const before = refusals();
    const t0 = Date.now();
    const err = await client.chat.completions.create(ask).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('insufficient_quota');
    expect(elapsed).toBeLessThan(1000);
    expect(refusals() - before).toBe(1);
  });

  it('Anthropic SDK, default retries, /v1/messages: RateLimitError within 1 s, one request reached the gateway', async () => {
    const client = new Anthropic({ baseURL: gw.url, apiKey: key });
    const before = refusals();
    const t0 = Date.now();
    const err = await client.messages.create({ model: 'mock/echo', max_tokens: 5, messages: [{ role: 'user', content: 'one two three' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect((err as InstanceType<typeof Anthropic.RateLimitError>).status).toBe(429);
    expect((err as InstanceType<typeof Anthropic.RateLimitError>).headers.get('x-should-retry')).toBe('false');
    expect(elapsed).toBeLessThan(1000);
    expect(refusals() - before).toBe(1);
  });

  it('an rpm refusal keeps a short retry-after and no x-should-retry (waiting cures it): the SDK may retry', async () => {
    const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'rpm' })).json;
    const k = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name: 'rpm-key', limits: { rpm: 1 } })).json;
    expect((await chat(gw.url, k.key, ask)).status).toBe(200);
    const res = await chat(gw.url, k.key, ask);
    expect(res.status).toBe(429);
    expect(res.json.error.code).toBe('rate_limit_exceeded');
    expect(res.headers.get('x-should-retry')).toBeNull();
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});
