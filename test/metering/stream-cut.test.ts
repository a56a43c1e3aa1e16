import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../src/metering/tokens.js';
import { openaiStream, startOpenAIMock } from '../mocks/openai.js';
import { startInstance, tempDir } from '../helpers/instance.js';

const ANSWER = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');

describe('a stream cut by the client', () => {
  it('is recorded (499, estimated) with the tokens actually delivered, not the whole answer nor zero', async () => {
    // The upstream streams 300 words at 5 ms each and sends no usage chunk before the cut.
    const mock = await startOpenAIMock(() => openaiStream({ text: ANSWER, usage: { prompt_tokens: 12, completion_tokens: 600 } }, { chunkDelayMs: 5 }));
    const tmp = tempDir();
    const gw = await startInstance(`providers:\n  openai: { type: openai, api_key: "sk-test-cut-0000", base_url: "\${MOCK_URL}/v1" }\n`, {
      MOCK_URL: mock.url,
      TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db`,
    });
    try {
      const ac = new AbortController();
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer tg_admin_test_key_0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count' }] }),
        signal: ac.signal,
      });
      const id = res.headers.get('x-request-id')!;
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      let received = '';
      while (!received.includes('word40 ')) {
        const { value } = await reader.read();
        text += decoder.decode(value, { stream: true });
        received = [...text.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!).choices?.[0]?.delta?.content ?? '').join('');
      }
      ac.abort();

      const db = new Database(`${tmp.dir}/ledger.db`, { readonly: true });
      let row: any;
      for (let i = 0; i < 100 && !row; i++) {
        row = db.prepare('SELECT * FROM usage_records WHERE request_id = ?').get(id);
        if (!row) await new Promise((r) => setTimeout(r, 20));
      }
      db.close();
      expect(row).toBeTruthy();
      expect(row.status).toBe(499);
      expect(row.estimated).toBe(1);
      expect(row.team_id).toBe('admin');
      // At least what the client saw; far less than the full answer (the upstream is dropped at once).
      expect(row.output_tokens).toBeGreaterThanOrEqual(countTokens(received));
      expect(row.output_tokens).toBeLessThan(countTokens(ANSWER) / 2);
      expect(row.cost_nanos).toBeGreaterThan(0);
    } finally {
      await gw.close(1000);
      await mock.close();
      tmp.remove();
    }
  });
});
