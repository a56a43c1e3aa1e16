import { describe, expect, it, vi } from 'vitest';

/**
 * The tokenizer (~80 MB, 100–300 ms to load, more on a busy machine) is loaded when a limit that
 * reserves by prompt size exists — at start, or by the admin change that adds the first one —
 * so no budgeted request waits for it; a gateway without such limits never loads it.
 */
describe('the tokenizer loads off the request path, only when a budget needs it', () => {
  it('not at start without budgets; by the admin change that adds one, before any request', async () => {
    // Files share a process (isolate: false): a fresh module graph, so no earlier file's encoder is seen.
    vi.resetModules();
    const { tokenizerLoaded } = await import('../../src/metering/tokens.js');
    const { adminCall, chat, startInstance, tempDir } = await import('../helpers/instance.js');
    const tmp = tempDir();
    const gw = await startInstance('providers:\n  mock: { type: mock }\n', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/l.db` });
    try {
      expect(tokenizerLoaded()).toBe(false);
      const rpmOnly = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'rpm-only', limits: { rpm: 100 } });
      expect(rpmOnly.status).toBe(201);
      expect(tokenizerLoaded()).toBe(false);
      const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'budgeted', limits: { budget_usd: { amount: 10, period: 'month' } } });
      expect(team.status).toBe(201);
      expect(tokenizerLoaded()).toBe(true);
      const key = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'k' });
      expect((await chat(gw.url, key.json.key, { model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    } finally {
      await gw.close();
      tmp.remove();
    }
  }, 60_000);
});
