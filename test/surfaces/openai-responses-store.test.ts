/**
 * Stored responses (`store`, the default): the `openai` SDK → a full gateway (SQLite storage, team
 * keys) → loopback mocks of every provider kind. What the client was sent is what is kept, per
 * team; a continuation (`previous_response_id`) sends the stored history upstream; another team
 * finds nothing (404). Every body and stream event the SDK receives is checked against OpenAI's
 * Responses schemas.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { BEDROCK_MOCK_CREDENTIALS, BEDROCK_MOCK_REGION, bedrockMockHandler, bedrockResponse, bedrockStream } from '../mocks/bedrock.js';
import { startHttpMock, type HttpMock, type MockHandler } from '../mocks/http-mock.js';
import { openaiResponseBody } from '../mocks/openai.js';
import { SECRETS, WEATHER_TOOL, checkEveryResponse, checker } from '../native/helpers.js';
import { KINDS, type Reply } from '../native/kinds.js';

checkEveryResponse();

const WEATHER = { type: 'function' as const, ...WEATHER_TOOL.function, strict: null };
const BEDROCK_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** One provider of the shared gateway: its mock, its client-facing model, and how it answers. */
interface Kind {
  name: string;
  model: string;
  mock: HttpMock;
  defaultHandler: MockHandler;
  reply(r: Reply): ReturnType<MockHandler>;
  stream(r: Reply): ReturnType<MockHandler>;
  /** The upstream id of a scripted tool call ('' where the dialect has none). */
  toolId: string;
  /** The conversation the upstream received, in neutral terms: [role, text-or-call-or-result] per part. */
  turns(body: any): string[];
}

let seq = 0;
/** The OpenAI mock answers every response with the same id: here each answer gets its own, as OpenAI's do. */
function uniqueIds(h: MockHandler): MockHandler {
  return async (req) => {
    const r = await h(req);
    const id = `resp_mock${String(++seq).padStart(28, '0')}`;
    const swap = (s: string) => s.replaceAll('resp_mock0000000000000000000000000001', id);
    if (r.json !== undefined) return { ...r, json: JSON.parse(swap(JSON.stringify(r.json))) };
    return r.sse ? { ...r, sse: r.sse.map(swap) } : r;
  };
}

/** A Responses answer of the OpenAI mock carrying a function call. */
function openaiCallReply(call: { id: string; name: string; args: unknown }) {
  const body = openaiResponseBody('', 'gpt-4o', 5);
  body.output = [{ id: 'fc_mock0001', type: 'function_call', status: 'completed', call_id: call.id, name: call.name, arguments: JSON.stringify(call.args) }];
  return { json: body };
}

/** Text of anything: a string, or the texts/calls/results of content parts, flattened. */
const textOf = (v: any): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.map(textOf).join('') : v && typeof v === 'object' ? textOf(v.text ?? v.content ?? v.output ?? '') : '';

const kinds: Kind[] = [];
let inst: Instance;
const tmp = tempDir();
const clients: Record<'a' | 'b', OpenAI> = {} as never;
const teams: Record<'a' | 'b', string> = {} as never;

beforeAll(async () => {
  for (const k of KINDS) {
    const mock = await k.startMock();
    const defaultHandler = k.name === 'openai' ? uniqueIds(k.defaultHandler) : k.defaultHandler;
    mock.setHandler(defaultHandler);
    kinds.push({
      name: k.name,
      model: k.model,
      mock,
      defaultHandler,
      reply: (r) => (k.name === 'openai' ? uniqueIds(() => (r.toolCalls ? openaiCallReply(r.toolCalls[0]!) : k.reply(r)))({} as never) : k.reply(r)),
      stream: (r) => k.stream(r),
      toolId: k.toolIds[0],
      turns: (body) => {
        if (k.name === 'openai') return (body.input as any[]).map((it) => `${it.role ?? it.type}:${it.name ?? ''}${textOf(it.content ?? it.output ?? it.arguments)}`);
        if (k.name === 'gemini') return body.contents.map((c: any) => `${c.role}:${c.parts.map((p: any) => p.text ?? p.functionCall?.name ?? JSON.stringify(p.functionResponse?.response)).join('')}`);
        // Anthropic content blocks, or chat messages (tool calls beside the content).
        const parts = (m: any) => (typeof m.content === 'string' || m.content == null ? [m.content ?? ''] : m.content.map((p: any) => p.text ?? p.name ?? p.content ?? ''));
        return body.messages.map((m: any) => `${m.role}:${textOf(parts(m))}${(m.tool_calls ?? []).map((c: any) => c.function.name).join('')}`);
      },
    });
  }
  const bedrock = await startHttpMock(bedrockMockHandler());
  const bedrockHandler = bedrockMockHandler();
  kinds.push({
    name: 'bedrock',
    model: `bedrock/${BEDROCK_MODEL}`,
    mock: bedrock,
    defaultHandler: bedrockHandler,
    reply: () => bedrockResponse({ toolUses: [{ id: 'tooluse_w1', name: 'get_weather', input: { city: 'Paris' } }] }),
    stream: () => bedrockStream({ toolUses: [{ id: 'tooluse_w1', name: 'get_weather', input: { city: 'Paris' } }] }),
    toolId: 'tooluse_w1',
    turns: (body) => body.messages.map((m: any) => `${m.role}:${m.content.map((b: any) => b.text ?? b.toolUse?.name ?? textOf(b.toolResult?.content?.map((c: any) => c.text))).join('')}`),
  });
  const url = (name: string) => kinds.find((k) => k.name === name)!.mock.url;
  const { accessKeyId, secretAccessKey } = BEDROCK_MOCK_CREDENTIALS;
  inst = await startInstance(
    `providers:
  openai: { type: openai, api_key: "${SECRETS.openai}", base_url: "${url('openai')}/v1" }
  anthropic: { type: anthropic, api_key: "${SECRETS.anthropic}", base_url: "${url('anthropic')}" }
  gemini: { type: gemini, api_key: "${SECRETS.gemini}", base_url: "${url('gemini')}" }
  mistral: { type: mistral, api_key: "${SECRETS.mistral}", base_url: "${url('mistral')}" }
  bedrock: { type: bedrock, base_url: "${url('bedrock')}", region: ${BEDROCK_MOCK_REGION}, access_key_id: ${accessKeyId}, secret_access_key: "${secretAccessKey}" }
responses: { retention_days: 2 }
`,
    { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/store.db` },
  );
  for (const t of ['a', 'b'] as const) {
    teams[t] = (await adminCall(inst.url, 'POST', '/admin/teams', { name: `team-${t}` })).json.id;
    const key = (await adminCall(inst.url, 'POST', '/admin/keys', { team_id: teams[t], name: `k-${t}` })).json.key;
    clients[t] = new OpenAI({ baseURL: `${inst.url}/v1`, apiKey: key, maxRetries: 0, fetch: checker.fetch });
  }
});
afterAll(async () => {
  await inst?.close(0);
  for (const k of kinds) await k.mock.close();
  tmp.remove();
});

const kind = (name: string) => kinds.find((k) => k.name === name)!;

/** The stored row, once the write (after the answer) has happened. */
async function storedRow(id: string, team: 'a' | 'b') {
  const end = Date.now() + 2000;
  for (;;) {
    const row = await inst.storage.store.responses.get(id, teams[team]);
    if (row) return row;
    if (Date.now() > end) throw new Error(`response ${id} was not stored`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The response as the wire carried it (the SDK adds `output_text`, and its stream helper `output_parsed` and each text's `parsed`). */
const wire = (r: object) => {
  const { output_text: _t, output_parsed: _p, ...rest } = r as Record<string, any>;
  return JSON.parse(JSON.stringify(rest, (k, v) => (k === 'parsed' ? undefined : v)));
};
const stored = (r: object) => (r as { store?: unknown }).store;

describe('store (default true)', () => {
  it.each(['openai', 'anthropic'])('%s: the answer says store: true and is kept for its team as sent — non-stream and stream', async (name) => {
    const k = kind(name);
    const res = await clients.a.responses.create({ model: k.model, instructions: 'Be brief.', input: 'one two three' });
    expect(stored(res)).toBe(true);
    const row = await storedRow(res.id, 'a');
    expect(JSON.parse(row.response)).toEqual(wire(res));
    expect(JSON.parse(row.outputItems)).toEqual(wire(res).output);
    expect(row.instructions).toBe('Be brief.');
    expect(JSON.parse(row.inputItems)).toEqual([{ type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'one two three' }] }]);
    expect(await inst.storage.store.responses.get(res.id, teams.b)).toBeUndefined();

    const streamed = await clients.a.responses.stream({ model: k.model, input: [{ role: 'user', content: 'four five' }] }).finalResponse();
    expect(stored(streamed)).toBe(true);
    const srow = await storedRow(streamed.id, 'a');
    expect(JSON.parse(srow.response)).toEqual(wire(streamed));
    expect(srow.instructions).toBeNull();
  });

  it('store: false keeps nothing and says so', async () => {
    const k = kind('anthropic');
    const off = await clients.a.responses.create({ model: k.model, input: 'not kept', store: false });
    expect(stored(off)).toBe(false);
    const offStream = await clients.a.responses.stream({ model: k.model, input: 'not kept either', store: false }).finalResponse();
    expect(stored(offStream)).toBe(false);
    // Writes happen in order after each answer: once a later one is stored, the earlier would be too.
    const later = await clients.a.responses.create({ model: k.model, input: 'kept' });
    await storedRow(later.id, 'a');
    expect(await inst.storage.store.responses.get(off.id, teams.a)).toBeUndefined();
    expect(await inst.storage.store.responses.get(offStream.id, teams.a)).toBeUndefined();
  });
});

describe('a failed write', () => {
  it('is logged; the request was answered in full all the same', async () => {
    const lines: string[] = [];
    const gw = await startInstance('providers:\n  mock: { type: mock }\n', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/broken.db` }, { logStream: { write: (l: string) => void lines.push(l) } });
    try {
      gw.storage.sqlite.exec('DROP TABLE stored_responses');
      const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'broken' })).json.id;
      const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team, name: 'k' })).json.key;
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0, fetch: checker.fetch });
      const res = await client.responses.create({ model: 'mock/echo', input: 'still answered' });
      expect(res.output_text).toBe('still answered');
      const streamed = await client.responses.stream({ model: 'mock/echo', input: 'streamed too' }).finalResponse();
      expect(streamed.output_text).toBe('streamed too');
      const end = Date.now() + 2000;
      while (lines.filter((l) => l.includes('storing the response failed')).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      const failed = lines.filter((l) => l.includes('storing the response failed')).map((l) => JSON.parse(l));
      expect(failed).toHaveLength(2);
      expect(failed[0]).toMatchObject({ level: 50, err: { message: expect.stringMatching(/stored_responses/) } });
    } finally {
      await gw.close(0);
    }
  });
});

describe('previous_response_id', () => {
  describe.each(['openai', 'anthropic', 'gemini', 'mistral', 'bedrock'])('%s', (name) => {
    it('a function-call round trip: continued by id, the upstream gets the same conversation as when the items are re-sent', async () => {
      const k = kind(name);
      k.mock.setHandler(() => k.reply({ toolCalls: [{ id: k.toolId, name: 'get_weather', args: { city: 'Paris' } }] }));
      const first = await clients.a.responses.create({ model: k.model, instructions: 'Be brief.', input: 'weather in Paris?', tools: [WEATHER] });
      const call = first.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
      expect(call).toMatchObject({ name: 'get_weather' });
      expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
      await storedRow(first.id, 'a');

      k.mock.setHandler(k.defaultHandler);
      const result = { type: 'function_call_output' as const, call_id: call.call_id, output: 'sunny, 21C' };
      const byId = await clients.a.responses.create({ model: k.model, previous_response_id: first.id, tools: [WEATHER], input: [result] });
      expect(byId.previous_response_id).toBe(name === 'openai' ? null : first.id); // an OpenAI upstream was sent no id
      expect(byId.id).not.toBe(first.id);
      const continued = k.mock.requests.at(-1)!.body;
      expect(continued.previous_response_id).toBeUndefined();
      // Instructions are not carried over (as at OpenAI).
      expect(JSON.stringify(continued)).not.toContain('Be brief.');

      await clients.a.responses.create({ model: k.model, tools: [WEATHER], input: [{ role: 'user', content: 'weather in Paris?' }, ...(first.output as any[]), result] });
      const resent = k.mock.requests.at(-1)!.body;
      const turns = k.turns(continued);
      expect(turns).toEqual(k.turns(resent));
      expect(turns[0]).toContain('weather in Paris?');
      expect(turns.join('\n')).toContain('get_weather');
      expect(turns.join('\n')).toContain('sunny, 21C');

      // The continuation is kept with the whole history as its input items.
      const row = await storedRow(byId.id, 'a');
      expect(JSON.parse(row.inputItems).map((i: any) => i.type)).toEqual(['message', 'function_call', 'function_call_output']);
    });
  });

  it('a streamed continuation is kept too, and can be continued again', async () => {
    const k = kind('anthropic');
    const one = await clients.a.responses.create({ model: k.model, input: 'one' });
    await storedRow(one.id, 'a');
    const two = await clients.a.responses.stream({ model: k.model, previous_response_id: one.id, input: 'two' }).finalResponse();
    expect(two.output_text).toBe('two');
    await storedRow(two.id, 'a');
    await clients.a.responses.create({ model: k.model, previous_response_id: two.id, input: 'three' });
    expect(k.turns(k.mock.requests.at(-1)!.body)).toEqual(['user:one', 'assistant:one', 'user:two', 'assistant:two', 'user:three']);
  });

  it('an unknown id, or another team’s, is 404 previous_response_not_found — and nothing goes upstream', async () => {
    const k = kind('mistral');
    const mine = await clients.a.responses.create({ model: k.model, input: 'mine' });
    await storedRow(mine.id, 'a');
    const calls = k.mock.requests.length;
    for (const id of [mine.id, 'resp_nope']) {
      const err: any = await clients.b.responses.create({ model: k.model, previous_response_id: id, input: 'x' }).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect(err.error).toEqual({ type: 'invalid_request_error', code: 'previous_response_not_found', param: 'previous_response_id', message: `Previous response with id '${id}' not found.` });
    }
    expect(k.mock.requests.length).toBe(calls);
  });

  it('a response-cache hit is a new answer: its own id, kept under it', async () => {
    const k = kind('gemini');
    const opts = { headers: { 'x-tollgate-cache-ttl': '60' } };
    const a = await clients.a.responses.create({ model: k.model, input: 'cache me' }, opts);
    const { data: b, response } = await clients.a.responses.create({ model: k.model, input: 'cache me' }, opts).withResponse();
    expect(response.headers.get('x-tollgate-cache')).toBe('hit');
    expect(b.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(b.id).not.toBe(a.id);
    expect(b.output_text).toBe(a.output_text);
    expect(JSON.parse((await storedRow(b.id, 'a')).response).id).toBe(b.id);
    await storedRow(a.id, 'a');
  });
});

describe('GET, DELETE /v1/responses/{id} and its input_items', () => {
  it('retrieve gives the response as it was sent; input_items pages through the items (limit, order, after); delete removes it', async () => {
    const k = kind('anthropic');
    const first = await clients.a.responses.create({ model: k.model, input: 'alpha' });
    await storedRow(first.id, 'a');
    const res = await clients.a.responses.create({
      model: k.model,
      previous_response_id: first.id,
      input: [
        { role: 'developer', content: 'Use metric.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'beta' }] },
      ],
    });
    await storedRow(res.id, 'a');
    const before = checker.checked.Response ?? 0;
    expect(wire(await clients.a.responses.retrieve(res.id))).toEqual(wire(res));
    expect(checker.checked.Response).toBe(before + 1);

    // History first: alpha (user), its answer (assistant), then this request's two messages.
    // The list body as sent (the SDK's page keeps only data and has_more).
    const listsBefore = checker.checked.ResponseItemList ?? 0;
    const list = async (q: OpenAI.Responses.InputItemListParams): Promise<any> => (await clients.a.responses.inputItems.list(res.id, q).asResponse()).json();
    const all = await list({ order: 'asc' });
    expect(all.data.map((i: any) => `${i.role}:${i.content[0].text}`)).toEqual(['user:alpha', 'assistant:alpha', 'developer:Use metric.', 'user:beta']);
    expect(all.data.every((i: any) => typeof i.id === 'string' && i.id.startsWith('msg_'))).toBe(true);
    expect(all.has_more).toBe(false);
    expect(all.first_id).toBe(all.data[0]!.id);
    expect(all.last_id).toBe(all.data[3]!.id);
    // The assistant item is the first response's own output item.
    expect(all.data[1]!.id).toBe(first.output[0]!.id);

    const ids = (page: any) => page.data.map((i: any) => i.id);
    const page1 = await list({ limit: 3 });
    expect(ids(page1)).toEqual(ids(all).slice(1).reverse());
    expect(page1.has_more).toBe(true);
    const page2 = await list({ limit: 3, after: page1.last_id });
    expect(ids(page2)).toEqual([all.data[0].id]);
    expect(page2).toMatchObject({ has_more: false, first_id: all.data[0].id, last_id: all.data[0].id });
    // The SDK's auto-pagination follows `after` to the end.
    const walked: string[] = [];
    for await (const item of clients.a.responses.inputItems.list(res.id, { limit: 1, order: 'asc' })) walked.push(item.id!);
    expect(walked).toEqual(ids(all));
    // Every page was checked against OpenAI's ResponseItemList: 1 + 2 + the walk's 4.
    expect((checker.checked.ResponseItemList ?? 0) - listsBefore).toBe(7);

    const del = await fetch(`${inst.url}/v1/responses/${res.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${clients.a.apiKey}` } });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ id: res.id, object: 'response', deleted: true });
    await expect(clients.a.responses.retrieve(res.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(clients.a.responses.delete(res.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    // The SDK's own delete works too.
    await clients.a.responses.delete(first.id);
    await expect(clients.a.responses.inputItems.list(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 101 }, 'limit'],
    [{ limit: 1.5 }, 'limit'],
    [{ order: 'sideways' }, 'order'],
    [{ after: 'msg_not_in_it' }, 'after'],
  ])('input_items %j → 400 naming %s', async (query, param) => {
    const k = kind('mistral');
    const res = await clients.a.responses.create({ model: k.model, input: 'q' });
    await storedRow(res.id, 'a');
    const err: any = await clients.a.responses.inputItems.list(res.id, query as any).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('team B cannot read, list, continue or delete team A’s response: 404, as for an id that never was', async () => {
    const k = kind('gemini');
    const res = await clients.a.responses.create({ model: k.model, input: 'private' });
    await storedRow(res.id, 'a');
    for (const id of [res.id, 'resp_never']) {
      const attempts = [
        clients.b.responses.retrieve(id),
        clients.b.responses.inputItems.list(id),
        clients.b.responses.delete(id),
        clients.b.responses.create({ model: k.model, previous_response_id: id, input: 'x' }),
      ];
      const errors: any[] = await Promise.all(attempts.map((p) => (p as Promise<unknown>).then(() => undefined, (e) => e)));
      for (const e of errors) expect(e).toBeInstanceOf(OpenAI.NotFoundError);
      expect(errors[0].error).toEqual({ type: 'invalid_request_error', code: 'not_found', param: null, message: `Response with id '${id}' not found.` });
    }
    // Still there for its own team; and no key at all is a 401 (the routes are key-authenticated).
    expect((await clients.a.responses.retrieve(res.id)).id).toBe(res.id);
    for (const [method, path] of [['GET', ''], ['DELETE', ''], ['GET', '/input_items']]) {
      const anon = await fetch(`${inst.url}/v1/responses/${res.id}${path}`, { method });
      expect(anon.status, `${method} ${path}`).toBe(401);
    }
  });

  it('/openapi.json lists the stored-response routes', async () => {
    const doc = (await (await fetch(`${inst.url}/openapi.json`, { headers: { authorization: `Bearer ${clients.a.apiKey}` } })).json()) as any;
    expect(Object.keys(doc.paths['/v1/responses/{id}'])).toEqual(['get', 'delete']);
    expect(doc.paths['/v1/responses/{id}/input_items'].get.parameters.map((p: any) => p.name)).toEqual(['id', 'limit', 'order', 'after']);
  });
});

describe('retention (responses.retention_days: 2)', () => {
  it('the sweep deletes what is older than the setting, and only that; a deleted response is 404 to read or continue', async () => {
    const k = kind('openai');
    const res = await clients.a.responses.create({ model: k.model, input: 'short-lived' });
    await storedRow(res.id, 'a');
    const DAY = 86_400_000;
    expect(await inst.responsesRetention.purge(Date.now() + DAY)).toBe(0);
    expect((await clients.a.responses.retrieve(res.id)).id).toBe(res.id);
    const fresh = await clients.a.responses.create({ model: k.model, input: 'newer' });
    await storedRow(fresh.id, 'a');
    // Two days and a bit later: every row kept before now goes; none kept after the cutoff would.
    const gone = await inst.responsesRetention.purge(Date.now() + 2 * DAY + 1000);
    expect(gone).toBeGreaterThanOrEqual(2);
    await expect(clients.a.responses.retrieve(res.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(clients.a.responses.create({ model: k.model, previous_response_id: fresh.id, input: 'x' })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    // A response kept after the sweep's cutoff stays.
    const after = await clients.a.responses.create({ model: k.model, input: 'kept' });
    await storedRow(after.id, 'a');
    expect(await inst.responsesRetention.purge(Date.now() + DAY)).toBe(0);
    expect((await clients.a.responses.retrieve(after.id)).id).toBe(after.id);
  });
});
