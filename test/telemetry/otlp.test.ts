/**
 * OpenTelemetry traces over OTLP/HTTP (docs/tracing.md), checked at a real local collector: a
 * full gateway (SQLite ledger, admission, teams and keys) exports to a node:http receiver, and
 * mock providers speaking OpenAI's wire format record the `traceparent` each attempt carries.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import type { UsageRecord } from '../../src/metering/usage-record.js';
import { nanosToUsd } from '../../src/metering/money.js';
import { startGateway as startAppGateway, until, type TestGateway } from '../helpers/gateway.js';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startOtlpReceiver, SPAN_KIND, STATUS_ERROR, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.js';
import { assertNoSecretRun, captureLogs } from '../helpers/secrets.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { defaultOpenAIHandler, openaiError, startOpenAIMock } from '../mocks/openai.js';

const PRIMARY_KEY = 'sk-primary-secret-0001';
const COLLECTOR_KEY = 'otlp-collector-secret-4242';

let receiver: OtlpReceiver;
let primary: HttpMock;
let backup: HttpMock;
let gw: Instance;
let tmp: ReturnType<typeof tempDir>;
const records: UsageRecord[] = [];
let teamId: string;
let key: { id: string; key: string };
let limitedKey: string;

const yaml = () => `
providers:
  primary: { type: openai, api_key: "${PRIMARY_KEY}", base_url: "${primary.url}/v1" }
  backup:  { type: openai, api_key: "sk-backup-secret-0002", base_url: "${backup.url}/v1" }
models:
  smart:  { targets: [primary/gpt-4o, backup/gpt-4o-mini], strategy: fallback }
  cached: { targets: [backup/gpt-4o-mini], cache: { ttl_s: 60 } }
routes:
  - { name: rest, match: { path: /rest }, strip_prefix: true, upstreams: ["${backup.url}"], request_headers: { set: { authorization: "Bearer sk-RxQ7vZp3mW0003" } } }
telemetry:
  otlp_endpoint: "${receiver.url}"
  service_name: tollgate-test
  headers: { x-collector-key: "${COLLECTOR_KEY}" }
`;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  primary = await startOpenAIMock();
  backup = await startOpenAIMock();
  tmp = tempDir();
  gw = await startInstance(yaml(), { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` }, { sinks: [{ record: (r) => records.push(r) }] });
  teamId = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'tracers' })).json.id;
  key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamId, name: 'k1' })).json;
  const limited = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'slow', limits: { rpm: 1 } })).json.id;
  limitedKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: limited, name: 'k2' })).json.key;
});

afterAll(async () => {
  await gw?.close(1000);
  await primary?.close();
  await backup?.close();
  await receiver?.close();
  tmp?.remove();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function post(path: string, body: unknown, headers: Record<string, string> = {}, auth = key.key) {
  const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  const requestId = res.headers.get('x-request-id')!;
  return { res, text, requestId };
}

/** The usage record and the exported spans of one request (flushed at the collector first). */
async function traced(requestId: string): Promise<{ rec: UsageRecord; server: ReceivedSpan; children: ReceivedSpan[] }> {
  await until(() => records.some((r) => r.requestId === requestId));
  await gw.gateway.tracing!.flush();
  const server = receiver.spans.find((s) => s.kind === SPAN_KIND.server && s.attrs['tollgate.request_id'] === requestId);
  if (!server) throw new Error(`no server span for ${requestId}`);
  const children = receiver.spans.filter((s) => s.parentSpanId === server.spanId);
  return { rec: records.find((r) => r.requestId === requestId)!, server, children };
}

const attempts = (children: ReceivedSpan[]) => children.filter((s) => s.kind === SPAN_KIND.client).sort((a, b) => Number(a.attrs['tollgate.attempt']) - Number(b.attrs['tollgate.attempt']));
const step = (children: ReceivedSpan[], name: string) => children.find((s) => s.name === name);

describe('OTLP traces', () => {
  it('a streamed call through an alias that falls back: request span under the caller’s traceparent, one span per attempt, traceparent upstream', async () => {
    // The failing target echoes its own key in the error: a span must never carry it.
    primary.setHandler(() => openaiError(503, `overloaded (your key ${PRIMARY_KEY})`, 'server_error'));
    const traceId = hex(16);
    const parentId = hex(8);
    const { res, text, requestId } = await post(
      '/v1/chat/completions',
      { model: 'smart', stream: true, stream_options: { include_usage: true }, max_tokens: 64, temperature: 0.25, messages: [{ role: 'user', content: 'trace me through the fallback' }] },
      { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'vendor=abc123' },
    );
    primary.setHandler(defaultOpenAIHandler);
    expect(res.status).toBe(200);
    expect(text).toContain('data: [DONE]');
    expect(res.headers.get('x-tollgate-attempts')).toBe('2');

    const { rec, server, children } = await traced(requestId);
    // the caller's trace continues: same trace id, the caller's span is the parent
    expect(server.traceId).toBe(traceId);
    expect(server.parentSpanId).toBe(parentId);
    expect(server.name).toBe('chat smart');
    expect(server.resource['service.name']).toBe('tollgate-test');
    expect(server.attrs).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'smart',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.25,
      'gen_ai.request.stream': true,
      'tollgate.alias': 'smart',
      'tollgate.requested_model': 'smart',
      'tollgate.provider': 'backup',
      'tollgate.team_id': teamId,
      'tollgate.key_id': key.id,
      'tollgate.attempts': 2,
      'tollgate.cache_hit': false,
      'http.response.status_code': 200,
    });
    // the token counts and cost are the usage record's
    expect(rec.inputTokens).toBeGreaterThan(0);
    expect(server.attrs['gen_ai.usage.input_tokens']).toBe(rec.inputTokens);
    expect(server.attrs['gen_ai.usage.output_tokens']).toBe(rec.outputTokens);
    expect(server.attrs['tollgate.cost_usd']).toBe(nanosToUsd(rec.costNanos));
    expect(server.status.code).not.toBe(STATUS_ERROR);

    // admission and settlement are children of the request span
    expect(step(children, 'tollgate.admit')).toBeDefined();
    expect(step(children, 'tollgate.settle')).toBeDefined();

    const [first, second, ...more] = attempts(children);
    expect(more).toEqual([]);
    expect(first!.traceId).toBe(traceId);
    expect(first!.name).toBe('chat gpt-4o');
    expect(first!.attrs).toMatchObject({ 'tollgate.attempt': 1, 'tollgate.provider': 'primary', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'openai', 'http.response.status_code': 503, 'server.address': '127.0.0.1' });
    expect(first!.status.code).toBe(STATUS_ERROR);
    expect(first!.status.message).toContain('overloaded');
    expect(first!.status.message).toContain('[redacted]');
    expect(second!.name).toBe('chat gpt-4o-mini');
    expect(second!.attrs).toMatchObject({ 'tollgate.attempt': 2, 'tollgate.provider': 'backup', 'gen_ai.request.model': 'gpt-4o-mini', 'http.response.status_code': 200 });
    expect(second!.status.code).not.toBe(STATUS_ERROR);

    // each upstream got a traceparent naming its own attempt span, in the caller's trace (and its tracestate)
    const p = primary.requests.at(-1)!.headers;
    const b = backup.requests.at(-1)!.headers;
    expect(p.traceparent).toBe(`00-${traceId}-${first!.spanId}-01`);
    expect(b.traceparent).toBe(`00-${traceId}-${second!.spanId}-01`);
    expect(b.tracestate).toBe('vendor=abc123');

    // what reached the collector: its configured header, and no secret anywhere in the spans
    expect(receiver.posts.every((x) => x.headers['x-collector-key'] === COLLECTOR_KEY)).toBe(true);
    assertNoSecretRun(receiver.posts.map((x) => x.text).join('\n'), [...gw.gateway.snapshot.secrets, key.key], 'exported spans');
  });

  it('a cache hit: tollgate.cache_hit true, no attempt span, figures equal to the usage record', async () => {
    const body = { model: 'cached', messages: [{ role: 'user', content: 'cache this trace' }] };
    const miss = await post('/v1/chat/completions', body);
    const hit = await post('/v1/chat/completions', body);
    expect(miss.res.headers.get('x-tollgate-cache')).toBe('miss');
    expect(hit.res.headers.get('x-tollgate-cache')).toBe('hit');

    const m = await traced(miss.requestId);
    expect(m.server.name).toBe('chat cached');
    expect(m.server.attrs).toMatchObject({ 'tollgate.cache_hit': false, 'tollgate.attempts': 1, 'gen_ai.response.finish_reasons': ['stop'] });
    expect(m.server.attrs['gen_ai.usage.input_tokens']).toBe(m.rec.inputTokens);
    expect(m.server.attrs['gen_ai.usage.output_tokens']).toBe(m.rec.outputTokens);
    expect(attempts(m.children)).toHaveLength(1);

    const h = await traced(hit.requestId);
    expect(h.rec.cached).toBe(true);
    expect(h.server.traceId).not.toBe(m.server.traceId); // no incoming traceparent: a new trace each
    expect(h.server.parentSpanId).toBeUndefined();
    expect(h.server.attrs).toMatchObject({ 'tollgate.cache_hit': true, 'tollgate.attempts': 0, 'tollgate.cost_usd': 0, 'tollgate.alias': 'cached' });
    expect(h.server.attrs['gen_ai.usage.input_tokens']).toBe(h.rec.inputTokens);
    expect(h.server.attrs['gen_ai.usage.output_tokens']).toBe(h.rec.outputTokens);
    expect(attempts(h.children)).toEqual([]);
    expect(step(h.children, 'tollgate.settle')).toBeDefined();
  });

  it('the Anthropic surface, streamed and translated: finish reasons and tokens of the record', async () => {
    const { res, text, requestId } = await post('/v1/messages', { model: 'backup/gpt-4o-mini', max_tokens: 32, stream: true, messages: [{ role: 'user', content: 'hello from messages' }] });
    expect(res.status).toBe(200);
    expect(text).toContain('message_stop');
    const { rec, server, children } = await traced(requestId);
    expect(server.name).toBe('chat backup/gpt-4o-mini');
    expect(server.attrs).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.max_tokens': 32, 'gen_ai.response.finish_reasons': ['stop'], 'tollgate.attempts': 1 });
    expect(server.attrs['gen_ai.usage.input_tokens']).toBe(rec.inputTokens);
    expect(server.attrs['gen_ai.usage.output_tokens']).toBe(rec.outputTokens);
    expect(attempts(children)).toHaveLength(1);
  });

  it('a prompt call: a chat span naming the prompt and its version', async () => {
    const source = '---\nname: shout\nversion: "7"\nmodel: backup/gpt-4o-mini\ninput:\n  type: object\n  properties: { word: { type: string } }\n  required: [word]\n---\nSay {{ word }} loudly';
    expect((await adminCall(gw.url, 'POST', '/admin/prompts', { source })).status).toBe(201);
    const { res, requestId } = await post('/v1/prompts/shout', { word: 'trace' });
    expect(res.status).toBe(200);
    const { rec, server, children } = await traced(requestId);
    expect(server.name).toBe('chat backup/gpt-4o-mini');
    expect(server.attrs).toMatchObject({ 'tollgate.prompt.name': 'shout', 'tollgate.prompt.version': '7', 'gen_ai.response.finish_reasons': ['stop'], 'gen_ai.usage.output_tokens': rec.outputTokens });
    expect(backup.requests.at(-1)!.headers.traceparent).toBe(`00-${server.traceId}-${attempts(children)[0]!.spanId}-01`);
  });

  it('embeddings: an embeddings span with the record’s input tokens', async () => {
    const { res, requestId } = await post('/v1/embeddings', { model: 'backup/text-embedding-3-small', input: ['one two three', 'four'] });
    expect(res.status).toBe(200);
    const { rec, server, children } = await traced(requestId);
    expect(server.name).toBe('embeddings backup/text-embedding-3-small');
    expect(server.attrs).toMatchObject({ 'gen_ai.operation.name': 'embeddings', 'gen_ai.usage.input_tokens': rec.inputTokens, 'tollgate.attempts': 1 });
    expect(rec.inputTokens).toBe(4);
    expect(attempts(children)[0]!.name).toBe('embeddings text-embedding-3-small');
  });

  it('the REST proxy: a request span and an attempt span whose traceparent replaces the caller’s upstream', async () => {
    const traceId = hex(16);
    const res = await fetch(`${gw.url}/rest/v1/models`, { headers: { authorization: `Bearer ${key.key}`, traceparent: `00-${traceId}-${hex(8)}-01` } });
    expect(res.status).toBe(200);
    const { server, children } = await traced(res.headers.get('x-request-id')!);
    expect(server.traceId).toBe(traceId);
    expect(server.name).toBe('GET rest');
    expect(server.attrs).toMatchObject({ 'tollgate.route': 'rest', 'http.request.method': 'GET', 'http.response.status_code': 200, 'tollgate.attempts': 1 });
    const [attempt] = attempts(children);
    expect(backup.requests.at(-1)!.headers.traceparent).toBe(`00-${traceId}-${attempt!.spanId}-01`);
  });

  it('a request admission refuses: the admit span is the error, the request span says 429', async () => {
    const ask = { model: 'backup/gpt-4o-mini', messages: [{ role: 'user', content: 'once' }] };
    expect((await post('/v1/chat/completions', ask, {}, limitedKey)).res.status).toBe(200);
    const refused = await post('/v1/chat/completions', ask, {}, limitedKey);
    expect(refused.res.status).toBe(429);
    const { server, children } = await traced(refused.requestId);
    expect(server.attrs).toMatchObject({ 'http.response.status_code': 429, 'tollgate.attempts': 0 });
    expect(server.attrs['error.type']).toBe(server.attrs['tollgate.error_code']);
    expect(step(children, 'tollgate.admit')!.status.code).toBe(STATUS_ERROR);
    expect(attempts(children)).toEqual([]);
  });

  it('a hostile traceparent is ignored (a new trace), and a caller that did not sample is followed (nothing exported, flag 00 upstream)', async () => {
    const junk = await post('/v1/chat/completions', { model: 'backup/gpt-4o-mini', messages: [{ role: 'user', content: 'junk' }] }, { traceparent: `00-${'0'.repeat(32)}-${'z'.repeat(16)}-01`, tracestate: 'x'.repeat(4000) });
    expect(junk.res.status).toBe(200);
    const { server } = await traced(junk.requestId);
    expect(server.parentSpanId).toBeUndefined();
    expect(server.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(server.traceId).not.toBe('0'.repeat(32));

    // a long model name that resolves to nothing: not a span name, an attribute cut to 256 characters
    const unknown = await post('/v1/chat/completions', { model: `nope/${'x'.repeat(5000)}`, messages: [{ role: 'user', content: 'who' }] });
    expect(unknown.res.status).toBe(404);
    const u = await traced(unknown.requestId);
    expect(u.server.name).toBe('chat');
    expect(String(u.server.attrs['gen_ai.request.model'])).toHaveLength(256);
    expect(u.server.attrs['error.type']).toBe('model_not_found');
    expect(u.server.status.code).not.toBe(STATUS_ERROR);

    const traceId = hex(16);
    const unsampled = await post('/v1/chat/completions', { model: 'backup/gpt-4o-mini', messages: [{ role: 'user', content: 'quiet' }] }, { traceparent: `00-${traceId}-${hex(8)}-00` });
    expect(unsampled.res.status).toBe(200);
    await until(() => records.some((r) => r.requestId === unsampled.requestId));
    await gw.gateway.tracing!.flush();
    expect(receiver.spans.filter((s) => s.traceId === traceId)).toEqual([]);
    expect(backup.requests.at(-1)!.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  });
});

describe('tracing off (no endpoint)', () => {
  let off: TestGateway;
  beforeAll(async () => {
    off = await startAppGateway(`
providers:
  backup: { type: openai, api_key: "sk-backup-secret-0002", base_url: "${backup.url}/v1" }
telemetry: { service_name: tracing-off }
`);
  });
  afterAll(async () => off?.close());

  it('no tracer, no traceparent upstream, nothing exported', async () => {
    expect(off.gateway.tracing).toBeUndefined();
    const exported = receiver.posts.length;
    const res = await fetch(`${off.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${hex(16)}-${hex(8)}-01` },
      body: JSON.stringify({ model: 'backup/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'untraced' }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const upstream = backup.requests.at(-1)!;
    expect(upstream.body.messages[0].content).toBe('untraced');
    expect(upstream.headers.traceparent).toBeUndefined();
    expect(upstream.headers.tracestate).toBeUndefined();
    await off.close();
    expect(receiver.posts.length).toBe(exported);
    expect(receiver.spans.some((s) => s.resource['service.name'] === 'tracing-off')).toBe(false);
  });
});

describe('export failures', () => {
  it('a collector that refuses is one warn line, scrubbed of the collector key it echoes; requests are unaffected', async () => {
    // A collector answering 401 with the API key it was sent in its status line.
    const refusing = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(401, `bad key ${String(req.headers['x-collector-key'])}`);
        res.end();
      });
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    const logs = captureLogs();
    const g = await startAppGateway(
      `
providers:
  backup: { type: openai, api_key: "sk-backup-secret-0002", base_url: "${backup.url}/v1" }
telemetry:
  otlp_endpoint: "http://127.0.0.1:${(refusing.address() as AddressInfo).port}"
  headers: { x-collector-key: "${COLLECTOR_KEY}" }
`,
      {},
      { logger: true, logStream: logs.stream },
    );
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'backup/gpt-4o-mini', messages: [{ role: 'user', content: 'refused export' }] }) });
        expect(res.status).toBe(200);
        await g.gateway.tracing!.flush();
      }
      const warns = logs.lines.filter((l) => l.includes('telemetry: exporting'));
      expect(warns).toHaveLength(1);
      expect(warns[0]).toContain('[redacted]');
      assertNoSecretRun(logs.text(), [COLLECTOR_KEY], 'gateway logs');
    } finally {
      await g.close();
      await new Promise((r) => refusing.close(r));
    }
  });

  it('a collector that is down: requests are unaffected, and closing waits for it 2 s at most', async () => {
    const g = await startAppGateway(`providers:\n  mock: { type: mock }\ntelemetry: { otlp_endpoint: "http://127.0.0.1:9" }\n`);
    const res = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'nobody listens' }] }) });
    expect(res.status).toBe(200);
    const t = performance.now();
    await g.close();
    expect(performance.now() - t).toBeLessThan(3500);
  });

  it('a malformed OTEL_EXPORTER_OTLP_ENDPOINT is a configuration error naming it', () => {
    expect(() => buildSnapshot(parseConfigText('providers:\n  mock: { type: mock }\n', {}), { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/);
    expect(() => buildSnapshot(parseConfigText('providers:\n  mock: { type: mock }\n', {}), { OTEL_EXPORTER_OTLP_ENDPOINT: 'file:///etc/passwd' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(buildSnapshot(parseConfigText('providers:\n  mock: { type: mock }\n', {}), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).telemetry?.endpoint).toBe('http://collector:4318');
  });
});
