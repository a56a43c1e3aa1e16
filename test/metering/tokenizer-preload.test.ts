import { describe, expect, it, vi } from 'vitest';

/**
 * The tokenizer (~20 MB, a few hundred ms to load on a busy machine) is loaded at start, before
 * the gateway listens: any gateway may count tokens (a budget's reservation, a stream cut before
 * its usage arrived, a provider without usage), and no request should wait for the load.
 */
describe('the tokenizer loads at start, off the request path', () => {
  it('is loaded once the gateway is up, without any limit that needs it, before any request', async () => {
    // Files share a process (isolate: false): a fresh module graph, so no earlier file's encoder is seen.
    vi.resetModules();
    const { tokenizerLoaded } = await import('../../src/metering/tokens.js');
    expect(tokenizerLoaded()).toBe(false);
    const { chat, startInstance, tempDir } = await import('../helpers/instance.js');
    const tmp = tempDir();
    const gw = await startInstance('providers:\n  mock: { type: mock }\nauth:\n  keys: ["k-preload"]\n', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/l.db` });
    try {
      expect(tokenizerLoaded()).toBe(true);
      expect((await chat(gw.url, 'k-preload', { model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    } finally {
      await gw.close();
      tmp.remove();
    }
  }, 60_000);
});
