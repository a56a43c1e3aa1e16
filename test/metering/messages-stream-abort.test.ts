import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from '../../src/metering/tokens.js';
import { startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { budgetTeam, ledgerOf } from '../helpers/budget.js';
import { anthropicStream, anthropicStreamFrames, startAnthropicMock } from '../mocks/anthropic.js';
import type { HttpMock } from '../mocks/http-mock.js';

/**
 * Issue #10 item 8: on the `/v1/messages` pass-through, message_start's usage (output_tokens: 1)
 * was taken as final, so a stream the client aborted after ~300 delivered tokens was billed as 1.
 * A running count is not final: until message_delta's cumulative usage arrives, the delivered
 * text is kept and counted when the stream ends without it.
 */
const ANSWER = Array.from({ length: 600 }, (_, i) => `token${i}`).join(' ');

describe('an aborted /v1/messages pass-through stream is billed for what it delivered (issue #10 item 8)', () => {
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;

  beforeAll(async () => {
    // 600 words at 3 ms each, message_start says input 40 / output 1; message_delta would say 1,200.
    mock = await startAnthropicMock(() => ({ ...anthropicStream({ text: ANSWER, usage: { input_tokens: 40, output_tokens: 1200 } }), chunkDelayMs: 3 }));
    tmp = tempDir();
    gw = await startInstance(`providers:\n  anthropic: { type: anthropic, api_key: "sk-ant-test-abort-0000", base_url: "${mock.url}" }\n`, {
      TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db`,
    });
  });
  afterAll(async () => {
    await gw?.close(1000);
    await mock?.close();
    tmp?.remove();
  });

  it('the client (Anthropic SDK) stops after ~300 tokens: the ledger has at least the delivered tokens, the input as Anthropic counted it, and stays within the budget', async () => {
    const budget = 30_000_000; // $0.03: the reservation (max_tokens 1,500 × $15/Mtok + prompt) fits
    const { teamId, key } = await budgetTeam(gw.url, 'abort', budget);
    const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
    const stream = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 1500, stream: true, messages: [{ role: 'user', content: 'count' }] });
    let received = '';
    for await (const ev of stream) {
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') received += ev.delta.text;
      if (received.includes('token150 ')) break; // the SDK aborts the request
    }
    const upstreamClosed = mock.closed.at(-1)!;
    await upstreamClosed; // the gateway dropped the upstream at once
    expect(mock.requests.at(-1)!.body.model).toBe('claude-sonnet-4-5');
    let spent = await ledgerOf(gw.url, teamId);
    for (let i = 0; i < 100 && spent.requests === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      spent = await ledgerOf(gw.url, teamId);
    }
    expect(spent.requests).toBe(1);
    const delivered = countTokens(received);
    expect(delivered).toBeGreaterThan(250);
    expect(spent.output).toBeGreaterThanOrEqual(delivered);
    expect(spent.output).toBeLessThan(countTokens(ANSWER) * 0.75); // not the whole answer either
    expect(spent.input).toBe(40); // from message_start: Anthropic's own count stands
    // claude-sonnet-4-5: 40 × $3 + output × $15 per Mtok, rounded once.
    expect(spent.nanos).toBe((40 * 3 + spent.output * 15) * 1000);
    expect(spent.nanos).toBeLessThanOrEqual(budget);
  });

  it('the upstream dies after ~300 tokens (no message_delta): billed for the delivered text too', async () => {
    const frames = anthropicStreamFrames({ text: ANSWER, usage: { input_tokens: 40, output_tokens: 1200 } });
    mock.setHandler(() => ({ sse: frames, cutAfter: 330, chunkDelayMs: 1, headers: { 'request-id': 'req_cut' } }));
    const { teamId, key } = await budgetTeam(gw.url, 'cut', 30_000_000);
    const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
    let received = '';
    let failed: unknown;
    try {
      const stream = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 1500, stream: true, messages: [{ role: 'user', content: 'count' }] });
      for await (const ev of stream) if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') received += ev.delta.text;
    } catch (err) {
      failed = err;
    }
    expect(failed).toBeInstanceOf(Anthropic.APIError);
    let spent = await ledgerOf(gw.url, teamId);
    for (let i = 0; i < 100 && spent.requests === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      spent = await ledgerOf(gw.url, teamId);
    }
    expect(countTokens(received)).toBeGreaterThan(250);
    expect(spent.output).toBeGreaterThanOrEqual(countTokens(received));
    expect(spent.input).toBe(40);
  });

  it('a stream that completes is billed by its final cumulative usage, not an estimate', async () => {
    mock.setHandler(() => anthropicStream({ text: 'short answer', usage: { input_tokens: 40, output_tokens: 7 } }));
    const { teamId, key } = await budgetTeam(gw.url, 'complete', 30_000_000);
    const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
    const stream = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'count' }] });
    for await (const _ev of stream) void _ev;
    let spent = await ledgerOf(gw.url, teamId);
    for (let i = 0; i < 100 && spent.requests === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      spent = await ledgerOf(gw.url, teamId);
    }
    expect(spent).toMatchObject({ requests: 1, input: 40, output: 7, nanos: 225_000 }); // (40 × 3 + 7 × 15) × 1000
  });
});
