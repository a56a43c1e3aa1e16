import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/load.js';
import { buildSnapshot } from '../src/config/snapshot.js';
import { startInstance, tempDir, type Instance } from './helpers/instance.js';
import { budgetTeam, ledgerOf, post } from './helpers/budget.js';
import { startHttpMock, type HttpMock } from './mocks/http-mock.js';
import { openaiCompletion, openaiError } from './mocks/openai.js';

/**
 * Issue #10 item 9: `x-tollgate-fallbacks` was uncapped (one request made 301 upstream calls).
 * `server.max_attempts` (default 5) caps the upstream calls of one request, retries and
 * fallbacks together.
 */
const ask = { model: 'openai/gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };

describe('upstream attempts per request are capped (issue #10 item 9)', () => {
  let down: HttpMock;
  let up: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;
  let capped2: Instance;

  beforeAll(async () => {
    // retry-after 0: retries go at once, so the count is all the test waits for.
    down = await startHttpMock(() => openaiError(503, 'Service unavailable', 'server_error', null, null, { 'retry-after': '0' }));
    up = await startHttpMock(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 8, completion_tokens: 1 } }));
    tmp = tempDir();
    const providers = `
  openai: { type: openai, api_key: "sk-test-cap-0000", base_url: "${down.url}/v1" }
  flaky: { type: openai, api_key: "sk-test-cap-0001", base_url: "${down.url}/v1", max_retries: 10 }
  good: { type: openai, api_key: "sk-test-cap-0002", base_url: "${up.url}/v1" }
pricing:
  "good/gpt-4o": { input_per_mtok_usd: 2.5, output_per_mtok_usd: 10 }`;
    gw = await startInstance(`providers:${providers}\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/a.db` });
    capped2 = await startInstance(`server: { max_attempts: 2 }\nproviders:${providers}\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/b.db` });
  });
  afterAll(async () => {
    await gw?.close(1000);
    await capped2?.close(1000);
    await Promise.all([down?.close(), up?.close()]);
    tmp?.remove();
  });

  it('300 fallbacks in x-tollgate-fallbacks: 5 upstream calls, then the last error, saying why it stopped; nothing spent', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'fallbacks', 200_000);
    const before = down.requests.length;
    const r = await post(gw.url, '/v1/chat/completions', key, ask, { 'x-tollgate-fallbacks': Array(300).fill('openai/gpt-4o').join(',') });
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('upstream_unavailable');
    expect(r.json.error.message).toContain('server.max_attempts');
    expect(down.requests.length - before).toBe(5);
    const spent = await ledgerOf(gw.url, teamId);
    expect(spent.nanos).toBe(0);
    expect(spent.requests).toBe(1);
  });

  it('max_retries: 10 on a failing provider: still 5 calls in all', async () => {
    const { key } = await budgetTeam(gw.url, 'retries', 200_000);
    const before = down.requests.length;
    const r = await post(gw.url, '/v1/chat/completions', key, { ...ask, model: 'flaky/gpt-4o' });
    expect(r.status).toBe(503);
    expect(down.requests.length - before).toBe(5);
  });

  it('retries and fallbacks count together; a target reached within the cap answers', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'within', 2_000_000);
    const before = down.requests.length;
    // flaky: 5 tries would exhaust the cap before good is reached…
    const none = await post(gw.url, '/v1/chat/completions', key, { ...ask, model: 'flaky/gpt-4o' }, { 'x-tollgate-fallbacks': 'good/gpt-4o' });
    expect(none.status).toBe(503);
    expect(down.requests.length - before).toBe(5);
    expect(up.requests.length).toBe(0);
    // …while openai (no retries) fails 4 times as fallbacks and the fifth attempt, good, answers.
    const ok = await post(gw.url, '/v1/chat/completions', key, ask, { 'x-tollgate-fallbacks': 'openai/gpt-4o,openai/gpt-4o,openai/gpt-4o,good/gpt-4o,good/gpt-4o' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-tollgate-attempts')).toBe('5');
    expect(ok.headers.get('x-tollgate-provider')).toBe('good');
    expect(up.requests.length).toBe(1);
    expect((await ledgerOf(gw.url, teamId)).nanos).toBeLessThanOrEqual(2_000_000);
  });

  it('server.max_attempts: 2 is honoured', async () => {
    const { key } = await budgetTeam(capped2.url, 'two', 200_000);
    const before = down.requests.length;
    const r = await post(capped2.url, '/v1/chat/completions', key, ask, { 'x-tollgate-fallbacks': 'openai/gpt-4o,openai/gpt-4o,good/gpt-4o' });
    expect(r.status).toBe(503);
    expect(r.json.error.message).toContain('2 attempts');
    expect(down.requests.length - before).toBe(2);
  });

  it('the config schema validates server.max_attempts (a whole number from 1 to 100)', () => {
    for (const bad of ['0', '101', '1.5', '"five"', '.inf']) {
      expect(() => buildSnapshot(parseConfigText(`server: { max_attempts: ${bad} }\n`, {}), {}), bad).toThrow(/server\.max_attempts/);
    }
    expect(buildSnapshot(parseConfigText('server: { max_attempts: 12 }\n', {}), {}).maxAttempts).toBe(12);
    expect(buildSnapshot(parseConfigText('{}\n', {}), {}).maxAttempts).toBe(5);
  });
});

describe('server.max_attempts at start-up', () => {
  it('warns when an alias has more targets and retries than a request may use', () => {
    const yaml = `
server: { max_attempts: 3 }
providers:
  a: { type: openai, api_key: "sk-a-1234567890", base_url: "http://127.0.0.1:1/v1", max_retries: 1 }
  b: { type: openai, api_key: "sk-b-1234567890", base_url: "http://127.0.0.1:1/v1" }
models:
  wide: { targets: [a/x, b/y, b/w] }
  narrow: { targets: [a/x, b/y] }
`;
    const snap = buildSnapshot(parseConfigText(yaml, {}), {});
    expect(snap.warnings.filter((w) => w.includes('max_attempts'))).toEqual([
      'models.wide: its targets and retries allow 4 upstream calls, but server.max_attempts (3) stops a request after 3',
    ]);
  });
});
