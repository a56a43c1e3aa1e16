/**
 * Budgets and token quotas survive a restart: the counters the rebuild at start seeds from the
 * ledger are the very counters admission reserves against (one key format, limits/admission.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiCompletion, startOpenAIMock } from '../mocks/openai.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

// Each call records 23 + 990 tokens at gpt-4o's prices = 9958 µ$, while it reserves only its
// worst case with max_tokens 10 (a few hundred µ$, a few dozen tokens): so a budget of $0.01 and
// a quota of 1020 tokens admit the first call and refuse the next only if the spend is counted.
const REPLY = openaiCompletion({ text: 'ok', usage: { prompt_tokens: 23, completion_tokens: 990 } });
const YAML = `
providers:
  openai: { type: openai, api_key: "sk-test-restart-0000", base_url: "\${MOCK_URL}/v1" }
`;
const BODY = { model: 'openai/gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hello' }] };

describe('period counters across a restart (in-process counters, rebuilt from the ledger)', () => {
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  let gw: Instance | undefined;

  beforeAll(async () => {
    mock = await startOpenAIMock(() => REPLY);
    tmp = tempDir();
    env = { MOCK_URL: mock.url, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` };
  });
  afterAll(async () => {
    await gw?.close(1000);
    await mock?.close();
    tmp?.remove();
  });

  it('a spent budget and a used token quota still refuse after the gateway restarts', async () => {
    gw = await startInstance(YAML, env);
    const budget = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'budget', limits: { budget_usd: { amount: 0.01, period: 'day' } } });
    const quota = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'quota', limits: { tokens: { amount: 1020, period: 'month' } } });
    expect([budget.status, quota.status]).toEqual([201, 201]);
    const budgetKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: budget.json.id })).json.key as string;
    const quotaKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: quota.json.id })).json.key as string;

    expect((await chat(gw.url, budgetKey, BODY)).status).toBe(200);
    expect((await chat(gw.url, quotaKey, BODY)).status).toBe(200);
    await gw.admission.drain();
    await gw.close(1000); // flushes the ledger
    gw = await startInstance(YAML, env);

    const spent = await chat(gw.url, budgetKey, BODY);
    expect(spent.status).toBe(429);
    expect(spent.json.error.message).toContain('budget_usd');
    const used = await chat(gw.url, quotaKey, BODY);
    expect(used.status).toBe(429);
    expect(used.json.error.message).toContain('tokens');
    expect(mock.requests.length).toBe(2);
  });
});
