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
        return body.messages.map((m: any) => `${m.role}:${textOf(typeof m.content === 'string' ? m.content : m.content.map((p: any) => p.text ?? p.name ?? p.content ?? ''))}`);
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
