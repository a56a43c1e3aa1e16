import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/gateway.js';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { assertNoSecretRun } from '../helpers/secrets.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { openaiCompletion, openaiMockHandler, openaiStream, startOpenAIMock } from '../mocks/openai.js';

// Shaped like nothing the key-shape rules know: only the configured-secret rule can catch it.
const PROVIDER_KEY = 'Upstream-Cred-77f3Qz9Lk2Wx5Pn8';
const MAX = 2048;
const config = (mock: HttpMock, retentionDays: number) => `
providers:
  up: { type: openai, base_url: ${mock.url}/v1, api_key: ${PROVIDER_KEY} }
request_logs:
  max_body_bytes: ${MAX}
  retention_days: ${retentionDays}
  redact: ["acct-[0-9]{6}"]
`;

/** The default OpenAI mock, but its chat answers echo the credential the gateway sent it. */
function echoingUpstream(): (req: any) => any {
  const fallback = openaiMockHandler(PROVIDER_KEY);
  return (req) => {
    if (!req.path.endsWith('/chat/completions')) return fallback(req);
    const last = [...req.body.messages].reverse().find((m: any) => m.role === 'user');
    const text = `${typeof last.content === 'string' ? last.content : 'parts'} | upstream saw ${req.headers.authorization}`;
    const spec = { text, model: req.body.model, usage: { prompt_tokens: 7, completion_tokens: 5 } };
    // `slow …`: a long stream, paced, for a client that goes away mid-way.
    const slow = text.startsWith('slow') ? { chunkDelayMs: 40 } : {};
    return req.body.stream ? openaiStream(spec, { includeUsage: req.body.stream_options?.include_usage === true, ...slow }) : openaiCompletion(spec);
  };
}

async function post(url: string, path: string, key: string, body: unknown): Promise<{ status: number; id: string; text: string }> {
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, id: res.headers.get('x-request-id')!, text: await res.text() };
}

describe('request logs', () => {
  let mock: HttpMock;
  let gw: Instance;
  let tmp: ReturnType<typeof tempDir>;
  let teamA: any;
  let teamB: any;
  let keyA: any;
  let keyA2: any;
  let keyB: any;
  const ids: Record<string, string> = {};

  /** GET as `key`; a stored row may land a few ms after the response ended, so 404s are retried briefly. */
  const stored = async (id: string, key = ADMIN_KEY, path = '/admin/requests/') => {
    let r = await adminCall(gw.url, 'GET', path + id, undefined, key);
    const end = Date.now() + 5000;
    while (r.status === 404 && Date.now() < end) {
      await new Promise((res) => setTimeout(res, 10));
      r = await adminCall(gw.url, 'GET', path + id, undefined, key);
    }
    return r;
  };
  const rowCount = (where = '1=1', ...args: unknown[]) => (gw.storage.sqlite.prepare(`SELECT count(*) AS n FROM request_logs WHERE ${where}`).get(...args) as { n: number }).n;
  const usageCount = () => (gw.storage.sqlite.prepare('SELECT count(*) AS n FROM usage_records').get() as { n: number }).n;

  beforeAll(async () => {
    mock = await startOpenAIMock(echoingUpstream());
    tmp = tempDir();
    gw = await startInstance(config(mock, 1), { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/t.db` });
    teamA = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'logged' })).json;
    teamB = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'private' })).json;
    keyA = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamA.id, name: 'a1' })).json;
    keyA2 = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamA.id, name: 'a2' })).json;
    keyB = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamB.id, name: 'b1' })).json;
  });
  afterAll(async () => {
    await gw?.close(1000);
    await mock?.close();
    tmp?.remove();
  });

  it('is off by default, and turned on for one team with PATCH /admin/teams (shown on the team)', async () => {
    expect(teamA.request_logs).toBe(false);
    const before = await chat(gw.url, keyA.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: 'before opt-in' }] });
    expect(before.status).toBe(200);

    const p = await adminCall(gw.url, 'PATCH', `/admin/teams/${teamA.id}`, { request_logs: true });
    expect(p.status).toBe(200);
    expect(p.json.request_logs).toBe(true);
    expect((await adminCall(gw.url, 'GET', `/admin/teams/${teamA.id}`)).json.request_logs).toBe(true);
    expect((await adminCall(gw.url, 'GET', `/admin/teams/${teamB.id}`)).json.request_logs).toBe(false);
    const c = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'born-logged', request_logs: true });
    expect(c.status).toBe(201);
    expect(c.json.request_logs).toBe(true);
    for (const bad of ['yes', 1, null]) {
      const r = await adminCall(gw.url, 'PATCH', `/admin/teams/${teamA.id}`, { request_logs: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json.error.param).toBe('request_logs');
    }
    await adminCall(gw.url, 'GET', '/admin/requests'); // flushes
    expect(rowCount()).toBe(0);
  });

  it('stores a unary call: request and response, secrets and configured patterns redacted, usage beside it', async () => {
    const prompt = `hello acct-123456, my own key is ${keyA.key} ok`;
    const r = await post(gw.url, '/v1/chat/completions', keyA.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: prompt }] });
    expect(r.status).toBe(200);
    // The client got the upstream's echo as sent (pass-through); only the stored copy is scrubbed.
    expect(r.text).toContain(PROVIDER_KEY);
    ids.unary = r.id;

    const got = await stored(r.id);
    expect(got.status).toBe(200);
    const log = got.json;
    expect(log).toMatchObject({ id: r.id, team_id: teamA.id, key_id: keyA.id, kind: 'chat', model: 'gpt-4o', status: 200, request_truncated: false, response_truncated: false });
    expect(log.request_body).toContain('hello [REDACTED], my own key is [REDACTED] ok');
    expect(JSON.parse(log.request_body).model).toBe('up/gpt-4o');
    expect(log.response_body).toContain('upstream saw Bearer [REDACTED]');
    expect(JSON.parse(log.response_body).object).toBe('chat.completion');
    expect(log.usage).toMatchObject({ provider: 'up', input_tokens: 7, output_tokens: 5 });
    for (const body of [log.request_body, log.response_body]) assertNoSecretRun(body, [PROVIDER_KEY, keyA.key, 'acct-123456']);
  });

  it('stores a stream as the assembled chat.completion (content, finish_reason, usage)', async () => {
    const r = await post(gw.url, '/v1/chat/completions', keyA.key, { model: 'up/gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] });
    expect(r.status).toBe(200);
    expect(r.text).toContain('data: [DONE]');
    ids.stream = r.id;
    const log = (await stored(r.id)).json;
    const body = JSON.parse(log.response_body);
    expect(body).toMatchObject({ object: 'chat.completion', model: 'gpt-4o', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'stream me please | upstream saw Bearer [REDACTED]' } }] });
    expect(body.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 5 });
    assertNoSecretRun(log.response_body, [PROVIDER_KEY]);
    expect(JSON.parse(log.request_body).stream).toBe(true);
  });

  it('stores a /v1/responses stream (kind responses) as the final response object, and a unary one as sent', async () => {
    const r = await post(gw.url, '/v1/responses', keyA.key, { model: 'up/gpt-4o', stream: true, input: 'respond in a stream' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('response.completed');
    const log = (await stored(r.id)).json;
    expect(log.kind).toBe('responses');
    const body = JSON.parse(log.response_body);
    expect(body).toMatchObject({ object: 'response', status: 'completed' });
    expect(body.output.length).toBeGreaterThan(0);
    const u = await post(gw.url, '/v1/responses', keyA.key, { model: 'up/gpt-4o', input: 'respond at once' });
    expect(u.status).toBe(200);
    const unary = (await stored(u.id)).json;
    expect(unary.kind).toBe('responses');
    expect(JSON.parse(unary.response_body)).toMatchObject({ object: 'response', id: JSON.parse(u.text).id });
  });

  it('a stream the client leaves mid-way is stored with what was delivered, status 499', async () => {
    const ac = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keyA.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'up/gpt-4o', stream: true, messages: [{ role: 'user', content: `slow ${'word '.repeat(40)}` }] }),
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    let got = '';
    while (!got.includes('word')) got += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    // (A cut stream is metered by a token estimate, counted with the o200k tables.)
    const log = (await stored(res.headers.get('x-request-id')!)).json;
    expect(log.status).toBe(499);
    const body = JSON.parse(log.response_body);
    expect(body.choices[0].finish_reason).toBeNull();
    expect(body.choices[0].message.content).toMatch(/^slow (word )+/);
    expect(body.choices[0].message.content.length).toBeLessThan(`slow ${'word '.repeat(40)}`.length);
  });

  it('stores a /v1/messages stream as the assembled Anthropic message, and embeddings without their vectors', async () => {
    const m = await post(gw.url, '/v1/messages', keyA.key, { model: 'up/gpt-4o', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'anthropic side' }] });
    expect(m.status).toBe(200);
    ids.messages = m.id;
    const msgLog = (await stored(m.id)).json;
    const msg = JSON.parse(msgLog.response_body);
    // A translated answer is scrubbed of the provider's credentials before the client sees it (`[redacted]`).
    expect(msg).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text', text: expect.stringMatching(/^anthropic side \| upstream saw Bearer \[redacted\]$/i) }] });
    assertNoSecretRun(msgLog.response_body, [PROVIDER_KEY]);
    expect(msg.usage.output_tokens).toBe(5);
    expect((await stored(m.id)).json.kind).toBe('messages');

    const e = await post(gw.url, '/v1/embeddings', keyA.key, { model: 'up/text-embedding-3-small', input: ['one', 'two'], encoding_format: 'float' });
    expect(e.status).toBe(200);
    const log = (await stored(e.id)).json;
    expect(log.kind).toBe('embeddings');
    expect(JSON.parse(log.request_body).input).toEqual(['one', 'two']);
    expect(JSON.parse(log.response_body)).toEqual({
      object: 'list',
      model: 'up/text-embedding-3-small',
      data: [
        { object: 'embedding', index: 0, embedding: '[4 dimensions]' },
        { object: 'embedding', index: 1, embedding: '[4 dimensions]' },
      ],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });

  it('stores error answers as the client got them (chat and embeddings)', async () => {
    for (const [path, body] of [
      ['/v1/chat/completions', { model: 'nowhere/x', messages: [{ role: 'user', content: 'lost' }] }],
      ['/v1/embeddings', { model: 'nowhere/x', input: 'lost' }],
    ] as const) {
      const r = await post(gw.url, path, keyA.key, body);
      expect(r.status).toBe(404);
      const log = (await stored(r.id)).json;
      expect(log).toMatchObject({ status: 404, model: 'nowhere/x' });
      expect(JSON.parse(log.response_body)).toEqual(JSON.parse(r.text));
      expect(JSON.parse(log.response_body).error.code).toBe('model_not_found');
    }
  });

  it('stores a prompt call (kind prompt): the variables sent and the answer', async () => {
    const pub = await adminCall(gw.url, 'POST', '/admin/prompts', { name: 'greet', version: '1', model: 'up/gpt-4o', input: { type: 'object', required: ['who'], properties: { who: { type: 'string' } } }, template: 'Greet {{ who }}' });
    expect(pub.status).toBe(201);
    const r = await post(gw.url, '/v1/prompts/greet', keyA2.key, { who: 'Ada acct-654321' });
    expect(r.status).toBe(200);
    const log = (await stored(r.id)).json;
    expect(log).toMatchObject({ kind: 'prompt', key_id: keyA2.id, status: 200 });
    expect(JSON.parse(log.request_body)).toEqual({ who: 'Ada [REDACTED]' });
    expect(JSON.parse(log.response_body)).toMatchObject({ output: expect.stringMatching(/^Greet Ada \[REDACTED\] \| upstream saw Bearer \[redacted\]$/i), prompt: { name: 'greet', version: '1' } });
  });

  it('caps a body over max_body_bytes (UTF-8 safe, flagged), redacting a key that straddles the cap before cutting', async () => {
    // The key starts 20 bytes before the cap: cut first, its first half would be stored.
    const head = `{"model":"up/gpt-4o","messages":[{"role":"user","content":"`;
    const filler = 'x'.repeat(MAX - 20 - head.length);
    const r = await post(gw.url, '/v1/chat/completions', keyA.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: `${filler}${keyA.key}${'é'.repeat(3000)}` }] });
    expect(r.status).toBe(200);
    const log = (await stored(r.id)).json;
    expect(log.request_truncated).toBe(true);
    expect(log.response_truncated).toBe(true);
    for (const body of [log.request_body, log.response_body]) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX);
      expect(Buffer.byteLength(body)).toBeGreaterThan(MAX - 4);
      expect(body).not.toContain('\uFFFD'); // never cut inside a character
      assertNoSecretRun(body, [keyA.key, PROVIDER_KEY]);
    }
    expect(log.request_body).toContain(`${filler}[REDACTED]é`);

    // A stream's assembly is capped the same way.
    const s = await post(gw.url, '/v1/chat/completions', keyA.key, { model: 'up/gpt-4o', stream: true, messages: [{ role: 'user', content: 'é'.repeat(3000) }] });
    const sl = (await stored(s.id)).json;
    expect(sl.response_truncated).toBe(true);
    expect(Buffer.byteLength(sl.response_body)).toBeLessThanOrEqual(MAX);
  });

  it("stores nothing for a team without request logs (its usage is still recorded)", async () => {
    const usageBefore = usageCount();
    for (let i = 0; i < 2; i++) expect((await post(gw.url, '/v1/chat/completions', keyB.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: 'secret plans' }] })).status).toBe(200);
    expect((await post(gw.url, '/v1/chat/completions', keyB.key, { model: 'up/gpt-4o', stream: true, messages: [{ role: 'user', content: 'more' }] })).status).toBe(200);
    // A later team A call is stored: B's would have been too by now.
    const later = await post(gw.url, '/v1/chat/completions', keyA.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: 'later' }] });
    expect((await stored(later.id)).status).toBe(200);
    expect(rowCount('team_id = ?', teamB.id)).toBe(0);
    expect((await adminCall(gw.url, 'GET', `/admin/requests?team_id=${teamB.id}`)).json.data).toEqual([]);
    expect(usageCount()).toBe(usageBefore + 4);
    // The call made before the opt-in was not stored either.
    expect(rowCount("request_body LIKE '%before opt-in%'")).toBe(0);
  });

  it("a team key reads only its own team's requests: another team's is 403 (list) / 404 (by id)", async () => {
    const own = await adminCall(gw.url, 'GET', '/v1/requests?limit=500', undefined, keyA.key);
    expect(own.status).toBe(200);
    expect(own.json.data.length).toBe(rowCount('team_id = ?', teamA.id));
    expect(own.json.data.every((d: any) => d.team_id === teamA.id)).toBe(true);
    expect(own.json.data[0]).not.toHaveProperty('request_body'); // lists carry no bodies
    expect((await stored(ids.unary!, keyA.key, '/v1/requests/')).json.request_body).toContain('[REDACTED]');

    const listOther = await adminCall(gw.url, 'GET', `/v1/requests?team_id=${teamA.id}`, undefined, keyB.key);
    expect(listOther.status).toBe(403);
    expect(listOther.json.error.type).toBe('permission_error');
    for (const id of [ids.unary, ids.stream]) {
      const byId = await adminCall(gw.url, 'GET', `/v1/requests/${id}`, undefined, keyB.key);
      expect(byId.status).toBe(404);
      expect(byId.json.error.code).toBe('not_found');
      expect(JSON.stringify(byId.json)).not.toContain('upstream saw');
    }
    expect((await adminCall(gw.url, 'GET', '/v1/requests', undefined, keyB.key)).json.data).toEqual([]);
    // Admin routes refuse team keys; /v1/requests needs a key.
    expect((await adminCall(gw.url, 'GET', '/admin/requests', undefined, keyA.key)).status).toBe(403);
    expect((await adminCall(gw.url, 'GET', `/admin/requests/${ids.unary}`, undefined, keyA.key)).status).toBe(403);
    expect((await fetch(`${gw.url}/v1/requests`)).status).toBe(401);
  });

  it('the admin sees every team, filters by team, key, model, kind, status and time, and pages with a cursor', async () => {
    const all = await adminCall(gw.url, 'GET', '/admin/requests?limit=500');
    expect(all.status).toBe(200);
    expect(all.json.data.length).toBe(rowCount());
    expect(all.json.has_more).toBe(false);
    const times = all.json.data.map((d: any) => Date.parse(d.time));
    expect([...times].sort((a, b) => b - a)).toEqual(times); // newest first

    const q = async (query: string) => (await adminCall(gw.url, 'GET', `/admin/requests?${query}`)).json.data as any[];
    expect((await q(`key_id=${keyA2.id}`)).map((d) => d.kind)).toEqual(['prompt']);
    expect((await q('kind=messages')).map((d) => d.id)).toEqual([ids.messages]);
    expect((await q('model=text-embedding-3-small')).length).toBe(1);
    expect((await q('model=gpt-4o')).length).toBe(rowCount("model = 'gpt-4o'"));
    expect((await q('status=200')).length).toBe(rowCount('status = 200'));
    expect((await q('status=499')).length).toBe(1);
    expect((await q('status=404')).map((d) => d.model)).toEqual(['nowhere/x', 'nowhere/x']);
    expect(await q('status=418')).toEqual([]);
    const first = times[times.length - 1];
    expect((await q(`from=${first + 1}`)).length).toBe(times.filter((t: number) => t >= first + 1).length);
    expect((await q(`to=${new Date(first + 1).toISOString()}`)).length).toBe(times.filter((t: number) => t < first + 1).length);
    expect(await q('from=2000-01-01&to=2000-01-02')).toEqual([]);

    // Pages of 2: every row once, in order, then has_more false.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const r: any = (await adminCall(gw.url, 'GET', `/admin/requests?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json;
      seen.push(...r.data.map((d: any) => d.id));
      cursor = r.next_cursor;
      expect(r.has_more).toBe(cursor !== null);
      if (!cursor) break;
    }
    expect(seen).toEqual(all.json.data.map((d: any) => d.id));
  });

  it('bad query values get a 400 naming the parameter, in the OpenAI envelope', async () => {
    const cases: Array<[string, string]> = [
      ['from=abc', 'from'],
      ['to=yesterday', 'to'],
      ['from=1e400', 'from'],
      ['to=99999999999999999999', 'to'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=1e400', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['status=abc', 'status'],
      ['status=1e3', 'status'],
      ['status=99', 'status'],
      ['kind=video', 'kind'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('[1e400,"x"]').toString('base64url')}`, 'cursor'],
      ['team=oops', 'team'],
      [`model=${'m'.repeat(301)}`, 'model'],
    ];
    for (const path of ['/admin/requests', '/v1/requests']) {
      for (const [query, param] of cases) {
        const r = await adminCall(gw.url, 'GET', `${path}?${query}`, undefined, path.startsWith('/v1') ? keyA.key : ADMIN_KEY);
        expect(r.status, `${path}?${query}`).toBe(400);
        expect(Object.keys(r.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
        expect(r.json.error.type).toBe('invalid_request_error');
        expect(r.json.error.param, query).toBe(param);
      }
    }
    expect((await adminCall(gw.url, 'GET', '/admin/requests/req_nope')).status).toBe(404);
  });

  it('/openapi.json documents the routes with the schemas they answer with', async () => {
    const doc: any = await (await fetch(`${gw.url}/openapi.json`)).json();
    expect(doc.paths['/admin/requests'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RequestLogList' });
    expect(doc.paths['/v1/requests/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RequestLogDetail' });
    expect(doc.components.schemas.Team.properties.request_logs).toMatchObject({ type: 'boolean' });
    expect(doc.components.schemas.TeamUpdate.properties.request_logs).toMatchObject({ type: 'boolean' });
    const listed = (await adminCall(gw.url, 'GET', '/admin/requests?limit=1')).json;
    expect(Object.keys(listed).sort()).toEqual(Object.keys(doc.components.schemas.RequestLogList.properties).sort());
    expect(Object.keys(listed.data[0]).sort()).toEqual(Object.keys(doc.components.schemas.RequestLogList.properties.data.items.properties).sort());
  });

  it('turning the team off stops storing at once', async () => {
    expect((await adminCall(gw.url, 'PATCH', `/admin/teams/${teamA.id}`, { request_logs: false })).json.request_logs).toBe(false);
    const r = await post(gw.url, '/v1/chat/completions', keyA.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: 'after opt-out' }] });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 100));
    expect((await adminCall(gw.url, 'GET', `/admin/requests/${r.id}`)).status).toBe(404);
    expect((await adminCall(gw.url, 'PATCH', `/admin/teams/${teamA.id}`, { request_logs: true })).status).toBe(200);
  });

  it('retention: rows older than retention_days are deleted, usage records stay; a graceful stop loses no row', async () => {
    const usage = usageCount();
    const rows = rowCount();
    expect(rows).toBeGreaterThan(5);
    // retention_days: 1 — half a day on, nothing is old enough; a day and a bit on, everything is.
    expect(await gw.requestLogs.purge(Date.now() + 43_200_000)).toBe(0);
    expect(rowCount()).toBe(rows);

    // The last call's row is still waiting for its batch when the gateway stops: close writes it.
    const last = await post(gw.url, '/v1/chat/completions', keyA.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: 'last words' }] });
    await gw.close(1000);
    const { openStorage } = await import('../../src/storage/sqlite/open.js');
    const db = openStorage(`sqlite:${tmp.dir}/t.db`);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM request_logs WHERE request_id = ?').get(last.id)).toEqual({ n: 1 });
    db.close();

    // Restarted with a retention of ~0.9 s: the purge at start deletes every row, the usage stays.
    await new Promise((res) => setTimeout(res, 900));
    gw = await startInstance(config(mock, 0.00001), { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/t.db` });
    await until(() => rowCount() === 0, 3000);
    expect(usageCount()).toBe(usage + 1);
    expect((await adminCall(gw.url, 'GET', `/admin/requests/${ids.unary}`)).status).toBe(404);
    expect((await adminCall(gw.url, 'GET', '/admin/usage')).json.total.requests).toBe(usage + 1);
  });

  it('request_logs.enabled stores every team, opted in or not', async () => {
    await gw.close(1000);
    gw = await startInstance(config(mock, 1).replace('request_logs:\n', 'request_logs:\n  enabled: true\n'), { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/t.db` });
    expect((await adminCall(gw.url, 'GET', `/admin/teams/${teamB.id}`)).json.request_logs).toBe(false);
    const r = await post(gw.url, '/v1/chat/completions', keyB.key, { model: 'up/gpt-4o', messages: [{ role: 'user', content: 'everyone now' }] });
    const log = (await stored(r.id, keyB.key, '/v1/requests/')).json;
    expect(log).toMatchObject({ team_id: teamB.id, status: 200 });
    expect(log.request_body).toContain('everyone now');
  });
});
