import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { budgetTeam, ledgerOf, post } from '../helpers/budget.js';
import { startHttpMock, type HttpMock, type MockReply } from '../mocks/http-mock.js';
import { openaiCompletionBody } from '../mocks/openai.js';
import { anthropicMessageBody } from '../mocks/anthropic.js';

/**
 * Issue #10 item 7: tiktoken is quadratic on a long run of one character (100 KB took 8.7 s on
 * the request thread and stalled /healthz for 12 s). Counting for the reservation, for a prompt
 * the upstream did not meter, and for a stream cut before its usage must leave the event loop
 * free: another client polling /healthz gets every answer within 1 s.
 */
const A100 = 'a'.repeat(100_000);
const A200 = 'a'.repeat(200_000);
const CJK = '中'.repeat(100_000);

/** Polls /healthz back to back while `during` runs; returns the slowest answer in ms. */
async function slowestHealthz(url: string, during: () => Promise<unknown>): Promise<number> {
  let done = false;
  let slowest = 0;
  let polls = 0;
  const poller = (async () => {
    while (!done) {
      const t = performance.now();
      const r = await fetch(`${url}/healthz`);
      await r.text();
      expect(r.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - t);
      polls++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    await during();
  } finally {
    done = true;
    await poller;
  }
  expect(polls).toBeGreaterThan(0);
  return slowest;
}

/** An OpenAI chat stream of `text` in 2,000-character chunks, no usage, cut before `[DONE]`. */
function cutStream(text: string): MockReply {
  const head = { id: 'chatcmpl-cut', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-2024-08-06' };
  const frames = [`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`];
  for (let i = 0; i < text.length; i += 2000) frames.push(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { content: text.slice(i, i + 2000) }, finish_reason: null }] })}\n\n`);
  return { sse: frames, cutAfter: frames.length };
}

describe('token counting never freezes the event loop (issue #10 item 7)', () => {
  let upstream: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;
  let reply: (body: any) => MockReply;

  beforeAll(async () => {
    upstream = await startHttpMock((req) => reply(req.body));
    tmp = tempDir();
    gw = await startInstance(
      `
providers:
  openai: { type: openai, api_key: "sk-test-stall-0000", base_url: "${upstream.url}/v1" }
  anthropic: { type: anthropic, api_key: "sk-ant-test-stall-0000", base_url: "${upstream.url}" }
`,
      { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` },
    );
  });
  afterAll(async () => {
    await gw?.close(1000);
    await upstream?.close();
    tmp?.remove();
  });

  for (const [name, text] of [['100 KB of "a"', A100], ['200 KB of "a"', A200], ['100,000 × "中"', CJK]] as const) {
    it(`a ${name} prompt on a budgeted key, answered without usage (so estimated): /healthz stays under 1 s`, async () => {
      const budget = 2_000_000_000; // $2: the upper-bound reservation of 200 KB at $2.50/Mtok fits
      const { teamId, key } = await budgetTeam(gw.url, `stall-${name.length}-${text.length}-${text[0]}`, budget);
      // The upstream answers without usage: the gateway counts the whole prompt itself.
      reply = () => {
        const body = openaiCompletionBody({ text: 'ok' });
        delete body.usage;
        return { json: body };
      };
      const before = upstream.requests.length;
      let status = 0;
      const slowest = await slowestHealthz(gw.url, async () => {
        const r = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: text }] });
        status = r.status;
        expect(r.json.usage.estimated).toBe(true);
        // o200k: "aaaaaaaa" is one token; a run of 中 is one token each.
        if (text[0] === 'a') expect(r.json.usage.prompt_tokens).toBe(text.length / 8 + 6);
        else expect(r.json.usage.prompt_tokens).toBe(text.length + 6);
      });
      expect(status).toBe(200);
      expect(upstream.requests.length).toBe(before + 1);
      expect(upstream.requests.at(-1)!.body.messages[0].content.length).toBe(text.length);
      expect(slowest).toBeLessThan(1000);
      expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
    });
  }

  it('the same 200 KB prompt on the Anthropic surface (pass-through, upstream usage): /healthz stays under 1 s', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'stall-messages', 2_000_000_000);
    reply = () => ({ json: anthropicMessageBody({ text: 'ok', usage: { input_tokens: 25_010, output_tokens: 1 } }) });
    const slowest = await slowestHealthz(gw.url, async () => {
      const r = await post(gw.url, '/v1/messages', key, { model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, system: A100, messages: [{ role: 'user', content: A100 }] });
      expect(r.status).toBe(200);
    });
    expect(slowest).toBeLessThan(1000);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBe(75_045_000); // 25,010 × $3 + 1 × $15 per Mtok
  });

  for (const [name, text] of [['200 KB of "a"', A200], ['100,000 × "中"', CJK]] as const) {
    it(`a stream cut after delivering ${name} (no usage yet) is billed for what was delivered, and /healthz stays under 1 s`, async () => {
      const { teamId, key } = await budgetTeam(gw.url, `cut-${text.length}-${text[0]}`, 5_000_000_000);
      reply = () => cutStream(text);
      const slowest = await slowestHealthz(gw.url, async () => {
        const r = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', stream: true, max_tokens: 16_000, messages: [{ role: 'user', content: 'go' }] });
        expect(r.status).toBe(200);
        const delivered = [...r.text.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!).choices?.[0]?.delta?.content ?? '').join('');
        expect(delivered).toBe(text);
        expect(r.text).toContain('upstream_stream_cut');
      });
      expect(slowest).toBeLessThan(1000);
      const spent = await ledgerOf(gw.url, teamId);
      expect(spent.output).toBe(text[0] === 'a' ? text.length / 8 : text.length);
      expect(spent.nanos).toBeGreaterThan(0);
    });
  }
});
