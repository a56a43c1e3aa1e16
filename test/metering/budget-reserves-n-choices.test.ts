/**
 * `n` asks for n answers, each up to max_tokens: admission reserves the worst case of all n
 * against a budget, not of one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

let gw: Instance;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir();
  gw = await startInstance(
    `providers:
  mock: { type: mock }
pricing:
  mock/echo: { input_per_mtok_usd: 1000, output_per_mtok_usd: 1000 }
`,
    { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/r.db` },
  );
});
afterAll(async () => {
  await gw?.close(500);
  tmp?.remove();
});

const ask = { messages: [{ role: 'user', content: 'one two three' }] };

describe('budget reservation with n choices', () => {
  it('n multiplies the worst case reserved against a budget', async () => {
    // $0.05 budget at $1000/Mtok: 3 prompt tokens + 10 output = 13 µ$·1000 → $0.013 fits; n=8 → 80 output tokens → $0.083 does not
    const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'n-budget', limits: { budget_usd: { amount: 0.05, period: 'day' } } });
    const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id })).json.key;
    const one = await chat(gw.url, key, { model: 'mock/echo', max_tokens: 10, ...ask });
    expect(one.status).toBe(200);
    const many = await chat(gw.url, key, { model: 'mock/echo', max_tokens: 10, n: 8, ...ask });
    expect(many.status).toBe(429);
    expect(many.json.error.message).toContain('budget_usd');
  });
});
