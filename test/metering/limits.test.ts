import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

// mock/echo answers after 300 ms, so concurrent requests overlap.
const YAML = `
providers:
  mock: { type: mock, latency_ms: 300 }
`;
const ask = (max_tokens?: number) => ({ model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }], ...(max_tokens && { max_tokens }) });

/** rpm/tpm windows are calendar minutes: keep a test from straddling one. */
async function awayFromMinuteEdge(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 52_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50));
}

describe('limits shared by two instances through Redis', () => {
  let redis: TestRedis;
  let tmp: ReturnType<typeof tempDir>;
  let a: Instance;
  let b: Instance;
  const pick = (i: number) => (i % 2 ? b.url : a.url);

  async function teamKey(name: string, teamLimits: unknown, keyLimits?: unknown): Promise<{ team: string; key: string; keyId: string }> {
    const t = await adminCall(a.url, 'POST', '/admin/teams', { name, limits: teamLimits });
    expect(t.status).toBe(201);
    const k = await adminCall(a.url, 'POST', '/admin/keys', { team_id: t.json.id, name: `${name}-key`, ...(keyLimits !== undefined && { limits: keyLimits }) });
    expect(k.status).toBe(201);
    return { team: t.json.id, key: k.json.key, keyId: k.json.id };
  }

  beforeAll(async () => {
    redis = await startRedis();
    tmp = tempDir();
    const env = { TOLLGATE_REDIS_URL: redis.url, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` };
    a = await startInstance(YAML, env);
    b = await startInstance(YAML, env);
  });
  afterAll(async () => {
    await a?.close(1000);
    await b?.close(1000);
    await redis?.stop();
    tmp?.remove();
  });

  it('rpm: a key allowed 5 requests a minute gets exactly 5 across both instances, then 429 naming rpm with retry-after and OpenAI rate-limit headers', async () => {
    await awayFromMinuteEdge();
    const { key } = await teamKey('rpm', null, { rpm: 5 });
    const out = [];
    for (let i = 0; i < 12; i++) out.push(await chat(pick(i), key, ask(50)));
    expect(out.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    expect(out[0]!.headers.get('x-ratelimit-limit-requests')).toBe('5');
    expect(out[0]!.headers.get('x-ratelimit-remaining-requests')).toBe('4');
    expect(out[4]!.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const refused = out[5]!;
    expect(refused.json.error.code).toBe('rate_limit_exceeded');
    expect(refused.json.error.message).toContain('rpm');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('5');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('tpm: concurrent requests reserve prompt + max_tokens; exactly as many as fit in the minute pass, on either instance', async () => {
    await awayFromMinuteEdge();
    // Each request reserves ~7 prompt tokens + 300 → 3 fit in 1000, a 4th does not.
    const { key } = await teamKey('tpm', { tpm: 1000 });
    const out = await Promise.all(Array.from({ length: 8 }, (_, i) => chat(pick(i), key, ask(300))));
    const ok = out.filter((r) => r.status === 200);
    expect(ok.length).toBe(3);
    for (const r of out.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(429);
      expect(r.json.error.message).toContain('tpm');
      expect(r.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
      expect(r.headers.get('retry-after')).toBeTruthy();
    }
    expect(ok[0]!.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    expect(Number(ok[0]!.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1000);
  });

  it('max_concurrency: a team allowed 2 in flight gets 2 of 6 concurrent requests through both instances; slots free up when they end', async () => {
    const { key } = await teamKey('conc', { max_concurrency: 2 });
    const out = await Promise.all(Array.from({ length: 6 }, (_, i) => chat(pick(i), key, ask(50))));
    expect(out.filter((r) => r.status === 200).length).toBe(2);
    for (const r of out.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(429);
      expect(r.json.error.message).toContain('max_concurrency');
    }
    await Promise.all([a.admission.drain(), b.admission.drain()]);
    const after = await Promise.all([chat(a.url, key, ask(50)), chat(b.url, key, ask(50))]);
    expect(after.map((r) => r.status)).toEqual([200, 200]);
  });

  it('a revoked key is refused by both instances on its very next request', async () => {
    const { key, keyId } = await teamKey('revoke', null);
    expect((await chat(a.url, key, ask(20))).status).toBe(200);
    expect((await chat(b.url, key, ask(20))).status).toBe(200);
    const del = await adminCall(a.url, 'DELETE', `/admin/keys/${keyId}`);
    expect(del.status).toBe(200);
    expect(del.json.revoked_at).toBeTruthy();
    const [onB, onA] = [await chat(b.url, key, ask(20)), await chat(a.url, key, ask(20))];
    expect(onB.status).toBe(401);
    expect(onA.status).toBe(401);
    expect(onB.json.error.type).toBe('authentication_error');
    // And it stays refused once the bus has reloaded every instance's key map.
    await new Promise((r) => setTimeout(r, 100));
    expect((await chat(b.url, key, ask(20))).status).toBe(401);
  });
});
