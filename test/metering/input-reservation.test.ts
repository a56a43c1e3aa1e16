import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { budgetTeam, ledgerOf, post } from '../helpers/budget.js';
import { startHttpMock, type HttpMock, type RecordedRequest } from '../mocks/http-mock.js';
import { openaiCompletion } from '../mocks/openai.js';
import { anthropicMessage } from '../mocks/anthropic.js';

/**
 * Issue #10 item 6: admission counted message text only, so a 200 KB tool schema went 300 % over
 * budget. Everything the provider bills as input must be in the reservation: tools, tool calls
 * and results, system, response schemas, images (IMAGE_TOKENS each), on both surfaces. The mock
 * upstreams bill like real ones: one token per 4 bytes of the request body plus 1,500 per image,
 * and the whole output cap.
 */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function imagesIn(text: string): number {
  return text.split(PNG).length - 1;
}
function billedInput(req: RecordedRequest): number {
  return Math.ceil((req.text.length - imagesIn(req.text) * PNG.length) / 4) + 1500 * imagesIn(req.text);
}

/** A JSON schema of about `bytes` bytes, as a real large tool definition looks. */
function bigSchema(bytes: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; JSON.stringify(properties).length < bytes; i++) {
    properties[`customer_field_${i}`] = { type: 'string', description: `The value of customer field number ${i}, as written on the original order form.` };
  }
  return { type: 'object', properties };
}

describe('the reservation counts every billed input: tools, tool calls and results, system, schemas, images (issue #10 item 6)', () => {
  let upstream: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;

  beforeAll(async () => {
    upstream = await startHttpMock((req) => {
      if (req.path.startsWith('/v1/messages')) {
        return anthropicMessage({ text: 'ok', usage: { input_tokens: billedInput(req), output_tokens: req.body.max_tokens } });
      }
      return openaiCompletion({ text: 'ok', usage: { prompt_tokens: billedInput(req), completion_tokens: req.body.max_tokens } });
    });
    tmp = tempDir();
    gw = await startInstance(
      `
providers:
  openai: { type: openai, api_key: "sk-test-input-0000", base_url: "${upstream.url}/v1" }
  anthropic: { type: anthropic, api_key: "sk-ant-test-input-0000", base_url: "${upstream.url}" }
`,
      { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` },
    );
  });
  afterAll(async () => {
    await gw?.close(1000);
    await upstream?.close();
    tmp?.remove();
  });

  const user = (content: unknown) => ({ role: 'user', content });
  // gpt-4o: $2.50 in / $10 out per Mtok; claude-sonnet-4-5: $3 (cache write $3.75) / $15.
  const openaiCases: Array<[string, Record<string, unknown>]> = [
    ['a 200 KB tool schema', { tools: [{ type: 'function', function: { name: 'lookup', parameters: bigSchema(200_000) } }], messages: [user('hi')] }],
    ['a 20 KB response_format json_schema', { response_format: { type: 'json_schema', json_schema: { name: 'order', schema: bigSchema(20_000) } }, messages: [user('hi')] }],
    ['a 20 KB tool call and its result', {
      messages: [
        user('hi'),
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify(bigSchema(10_000)) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: JSON.stringify(bigSchema(10_000)) }] },
      ],
    }],
    ['a 20 KB system message', { messages: [{ role: 'system', content: JSON.stringify(bigSchema(20_000)) }, user('hi')] }],
    ['one image', { messages: [user([{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }])] }],
  ];

  for (const [name, body] of openaiCases) {
    it(`OpenAI surface: ${name} on a $0.002 budget is refused before the upstream is called`, async () => {
      const budget = 2_000_000;
      const { teamId, key } = await budgetTeam(gw.url, `oa-${name}`, budget);
      const before = upstream.requests.length;
      // The same request without the extra input fits: 'hi' + 10 output tokens ≈ 125 µ$.
      const plain = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', max_tokens: 10, messages: [user('hi')] });
      expect(plain.status).toBe(200);
      const r = await post(gw.url, '/v1/chat/completions', key, { model: 'openai/gpt-4o', max_tokens: 10, ...body });
      expect(r.status).toBe(429);
      expect(r.json.error.message).toContain('budget_usd');
      expect(upstream.requests.length).toBe(before + 1);
      expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
    });
  }

  const anthropicCases: Array<[string, Record<string, unknown>]> = [
    ['a 200 KB tool schema', { tools: [{ name: 'lookup', input_schema: bigSchema(200_000) }], messages: [user('hi')] }],
    ['a 20 KB output_config schema', { output_config: { format: { type: 'json_schema', schema: bigSchema(20_000) } }, messages: [user('hi')] }],
    ['a 20 KB tool_use input and tool_result', {
      messages: [
        user('hi'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: bigSchema(10_000) }] },
        user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: JSON.stringify(bigSchema(10_000)) }] }]),
      ],
    }],
    ['a 20 KB system', { system: [{ type: 'text', text: JSON.stringify(bigSchema(20_000)) }], messages: [user('hi')] }],
    ['one image', { messages: [user([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'what is this?' }])] }],
  ];

  for (const [name, body] of anthropicCases) {
    it(`Anthropic surface: ${name} on a $0.002 budget is refused before the upstream is called`, async () => {
      const budget = 2_000_000;
      const { teamId, key } = await budgetTeam(gw.url, `an-${name}`, budget);
      const before = upstream.requests.length;
      const plain = await post(gw.url, '/v1/messages', key, { model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages: [user('hi')] });
      expect(plain.status).toBe(200);
      const r = await post(gw.url, '/v1/messages', key, { model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, ...body });
      expect(r.status).toBe(429);
      expect(r.json.type).toBe('error');
      expect(r.json.error.type).toBe('rate_limit_error');
      expect(upstream.requests.length).toBe(before + 1);
      expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(budget);
    });
  }

  it('requests with tools, results and images that do fit are admitted until the budget is spent — never past it, on either surface', async () => {
    const budget = 60_000_000; // $0.06
    const { teamId, key } = await budgetTeam(gw.url, 'mixed', budget);
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: bigSchema(4_000) } }];
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r =
        i % 2
          ? await post(gw.url, '/v1/messages', key, {
              model: 'anthropic/claude-sonnet-4-5',
              max_tokens: 50,
              tools: [{ name: 'lookup', input_schema: bigSchema(4_000) }],
              messages: [user([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'describe' }])],
            })
          : await post(gw.url, '/v1/chat/completions', key, {
              model: 'openai/gpt-4o',
              max_tokens: 50,
              tools,
              messages: [user([{ type: 'text', text: 'describe' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }])],
            });
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(1);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const spent = await ledgerOf(gw.url, teamId);
    expect(spent.nanos).toBeLessThanOrEqual(budget);
    expect(spent.nanos).toBeGreaterThan(budget / 4);
  });
});
