/**
 * The example prompts in prompts/ called through their endpoints against a loopback OpenAI
 * upstream: non-stream and stream, input validation, output-schema enforcement, teams, and the
 * usage record each call leaves (docs/contract.md §5, §4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpMock } from '../mocks/http-mock.js';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { EXAMPLES_DIR, gatewayYaml, post, readSse, startPromptUpstream, UPSTREAM_KEY, type JsonAnswers } from './helpers.js';

const answers: JsonAnswers = {
  'classify-sentiment': '{"sentiment": "positive", "confidence": 0.93}',
  'extract-contact': '{"name": "Ada Lovelace", "email": "ada@example.com", "phone": null, "company": "Analytical Engines"}',
};

let upstream: HttpMock;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startPromptUpstream(answers);
  gw = await startGateway(gatewayYaml(upstream.url, EXAMPLES_DIR, 'auth:\n  keys:\n    - { name: ci, key: "tg_static_key_for_tests" }\n'), {}, { watchPrompts: false });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

const AUTH = { authorization: 'Bearer tg_static_key_for_tests' };
const lastUpstream = () => upstream.requests.at(-1)!.body;

/** Each example: its variables, and what its output must be. */
const cases: Array<{ name: string; vars: Record<string, unknown>; check(output: unknown): void; userHas: string[] }> = [
  {
    name: 'summarize',
    vars: { text: 'The quick brown fox jumps over the lazy dog. It was a sunny day.', audience: 'children' },
    userHas: ['at most 3 sentences', 'for this audience: children', 'The quick brown fox'],
    check: (o) => expect(o).toContain('The quick brown fox jumps over the lazy dog.'),
  },
  {
    name: 'translate',
    vars: { text: 'Bonjour tout le monde', target_language: 'English' },
    userHas: ['into English', 'Bonjour tout le monde'],
    check: (o) => expect(o).toContain('Bonjour tout le monde'),
  },
  {
    name: 'classify-sentiment',
    vars: { text: 'I love this gateway!' },
    userHas: ['I love this gateway!'],
    check: (o) => expect(o).toEqual({ sentiment: 'positive', confidence: 0.93 }),
  },
  {
    name: 'extract-contact',
    vars: { text: 'Ada Lovelace — Analytical Engines — ada@example.com' },
    userHas: ['ada@example.com'],
    check: (o) => expect(o).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', phone: null, company: 'Analytical Engines' }),
  },
];

describe('example prompts through POST /v1/prompts/{name}', () => {
  for (const c of cases) {
    it(`${c.name}: non-stream → {output, model, usage, prompt}, rendered from the template, one usage record`, async () => {
      const res = await post(`${gw.url}/v1/prompts/${c.name}`, c.vars, AUTH);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-tollgate-provider')).toBe('openai');
      const body = (await res.json()) as any;
      expect(Object.keys(body).sort()).toEqual(['model', 'output', 'prompt', 'usage']);
      c.check(body.output);
      expect(body.prompt).toEqual({ name: c.name, version: '1.0' });
      expect(body.usage.prompt_tokens).toBeGreaterThan(0);
      expect(typeof body.usage.cost).toBe('number');

      const up = lastUpstream();
      expect(up.model).toBe('gpt-4o-mini');
      expect(up.messages[0].role).toBe('system');
      const user = up.messages.at(-1);
      expect(user.role).toBe('user');
      for (const s of c.userHas) expect(user.content).toContain(s);
      // The provider's key is the gateway's, never the client's.
      expect(upstream.requests.at(-1)!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);

      const rid = res.headers.get('x-request-id');
      await until(() => gw.records.some((r) => r.requestId === rid));
      const rec = gw.records.find((r) => r.requestId === rid)!;
      expect(rec).toMatchObject({ kind: 'prompt', promptName: c.name, promptVersion: '1.0', provider: 'openai', model: 'gpt-4o-mini', status: 200 });
      expect(rec.inputTokens).toBe(body.usage.prompt_tokens);
    });

    it(`${c.name}: "stream": true → start, delta…, done with the same output`, async () => {
      const res = await post(`${gw.url}/v1/prompts/${c.name}`, { ...c.vars, stream: true }, AUTH);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = await readSse(res);
      expect(events[0]!.event).toBe('start');
      expect(events[0]!.data.prompt).toEqual({ name: c.name, version: '1.0' });
      const deltas = events.filter((e) => e.event === 'delta');
      expect(deltas.length).toBeGreaterThan(1);
      const done = events.at(-1)!;
      expect(done.event).toBe('done');
      c.check(done.data.output);
      expect(done.data.prompt).toEqual({ name: c.name, version: '1.0' });
      expect(done.data.usage.completion_tokens).toBeGreaterThan(0);
      // The streamed text is the answer (JSON text for a JSON prompt).
      const text = deltas.map((d) => d.data.text).join('');
      if (typeof done.data.output === 'string') expect(text).toBe(done.data.output);
      else expect(JSON.parse(text)).toEqual(done.data.output);
      expect(lastUpstream().stream).toBe(true);

      const rid = res.headers.get('x-request-id');
      await until(() => gw.records.some((r) => r.requestId === rid));
      expect(gw.records.find((r) => r.requestId === rid)).toMatchObject({ kind: 'prompt', promptName: c.name, promptVersion: '1.0', status: 200 });
    });
  }

  it('Accept: text/event-stream streams too', async () => {
    const res = await post(`${gw.url}/v1/prompts/translate`, { text: 'Hallo', target_language: 'French' }, { ...AUTH, accept: 'text/event-stream' });
    const events = await readSse(res);
    expect(events.map((e) => e.event)).toContain('done');
  });

  it('a JSON-output prompt asks the provider for structured output with its schema', async () => {
    await post(`${gw.url}/v1/prompts/classify-sentiment`, { text: 'meh' }, AUTH);
    const rf = lastUpstream().response_format;
    expect(rf.type).toBe('json_schema');
    expect(rf.json_schema.name).toBe('classify-sentiment');
    expect(rf.json_schema.strict).toBe(true);
    expect(rf.json_schema.schema.properties.sentiment.enum).toEqual(['positive', 'neutral', 'negative']);
    await post(`${gw.url}/v1/prompts/summarize`, { text: 'x' }, AUTH);
    expect(lastUpstream().response_format).toBeUndefined();
  });

  it('model params from the front matter reach the provider; schema defaults fill variables', async () => {
    await post(`${gw.url}/v1/prompts/summarize`, { text: 'Some text.' }, AUTH);
    const up = lastUpstream();
    expect(up.temperature).toBe(0.3);
    // The OpenAI adapter sends the cap under its current name.
    expect(up.max_completion_tokens ?? up.max_tokens).toBe(400);
    expect(up.messages.at(-1).content).toContain('at most 3 sentences.');
    expect(up.messages.at(-1).content).not.toContain('audience');
  });

  it('a variable value is data: template syntax inside it reaches the model verbatim', async () => {
    await post(`${gw.url}/v1/prompts/summarize`, { text: '{{ sentences }} {% if true %}X{% endif %}' }, AUTH);
    expect(lastUpstream().messages.at(-1).content).toContain('"""\n{{ sentences }} {% if true %}X{% endif %}\n"""');
  });
});

describe('invalid input → 400 naming the field', () => {
  it.each([
    ['summarize', {}, 'text', /Missing required variable: 'text'/],
    ['summarize', { text: 42 }, 'text', /'text': must be string/],
    ['summarize', { text: 'ok', sentences: 99 }, 'sentences', /'sentences': must be <= 10/],
    ['summarize', { text: 'ok', colour: 'red' }, 'colour', /'colour': is not a declared variable/],
    ['translate', { text: 'hi' }, 'target_language', /Missing required variable: 'target_language'/],
    ['summarize', { text: 'ok', stream: 'yes' }, 'stream', /'stream': must be boolean/],
  ])('%s %j → param %s', async (name, vars, param, message) => {
    const before = upstream.requests.length;
    const res = await post(`${gw.url}/v1/prompts/${name}`, vars, AUTH);
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.param).toBe(param);
    expect(body.error.message).toMatch(message);
    expect(upstream.requests.length).toBe(before); // nothing was sent upstream
  });

  it('a body that is not an object → 400', async () => {
    const res = await post(`${gw.url}/v1/prompts/summarize`, ['text'], AUTH);
    expect(res.status).toBe(400);
  });

  it('unknown prompt → 404 prompt_not_found; unknown version → 404 naming the version', async () => {
    const a = await post(`${gw.url}/v1/prompts/nope`, {}, AUTH);
    expect(a.status).toBe(404);
    expect(((await a.json()) as any).error.code).toBe('prompt_not_found');
    const b = await post(`${gw.url}/v1/prompts/summarize/versions/9.9`, { text: 'x' }, AUTH);
    expect(b.status).toBe(404);
    expect(((await b.json()) as any).error).toMatchObject({ code: 'prompt_not_found', param: 'version' });
  });

  it('no key → 401 (the gateway has keys)', async () => {
    const res = await post(`${gw.url}/v1/prompts/summarize`, { text: 'x' });
    expect(res.status).toBe(401);
  });
});

describe('output schema enforced → 502 with the reason', () => {
  it('non-conforming JSON (non-stream) → 502 output_invalid naming the field; usage still recorded', async () => {
    answers['classify-sentiment'] = '{"sentiment":"ecstatic","confidence":0.5}';
    try {
      const res = await post(`${gw.url}/v1/prompts/classify-sentiment`, { text: 'wow' }, AUTH);
      expect(res.status).toBe(502);
      const body = (await res.json()) as any;
      expect(body.error.code).toBe('output_invalid');
      expect(body.error.message).toMatch(/does not match the output schema: 'sentiment' must be one of "positive", "neutral", "negative"/);
      const rid = res.headers.get('x-request-id');
      await until(() => gw.records.some((r) => r.requestId === rid));
      expect(gw.records.find((r) => r.requestId === rid)).toMatchObject({ status: 502, promptName: 'classify-sentiment', inputTokens: 42, outputTokens: 7 });
    } finally {
      answers['classify-sentiment'] = '{"sentiment": "positive", "confidence": 0.93}';
    }
  });

  it('an answer that is not JSON → 502 saying so', async () => {
    answers['extract-contact'] = 'Sure! Here are the details: Ada';
    try {
      const res = await post(`${gw.url}/v1/prompts/extract-contact`, { text: 'Ada' }, AUTH);
      expect(res.status).toBe(502);
      expect(((await res.json()) as any).error.message).toMatch(/the model's answer is not JSON/);
    } finally {
      answers['extract-contact'] = '{"name": "Ada Lovelace", "email": "ada@example.com", "phone": null, "company": "Analytical Engines"}';
    }
  });

  it('stream: the violation ends the stream with an error event, not done', async () => {
    answers['classify-sentiment'] = '{"sentiment":"positive"}';
    try {
      const res = await post(`${gw.url}/v1/prompts/classify-sentiment`, { text: 'wow', stream: true }, AUTH);
      expect(res.status).toBe(200);
      const events = await readSse(res);
      expect(events.some((e) => e.event === 'done')).toBe(false);
      const err = events.at(-1)!;
      expect(err.event).toBe('error');
      expect(err.data.error.code).toBe('output_invalid');
      expect(err.data.error.message).toMatch(/'confidence' is required/);
      const rid = res.headers.get('x-request-id');
      await until(() => gw.records.some((r) => r.requestId === rid));
      expect(gw.records.find((r) => r.requestId === rid)!.status).toBe(502);
    } finally {
      answers['classify-sentiment'] = '{"sentiment": "positive", "confidence": 0.93}';
    }
  });
});

describe('GET /v1/prompts', () => {
  it('lists name, versions, description and input schema of every example', async () => {
    const res = await fetch(`${gw.url}/v1/prompts`, { headers: AUTH });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.data.map((p: any) => p.name)).toEqual(['classify-sentiment', 'extract-contact', 'summarize', 'translate']);
    const s = body.data.find((p: any) => p.name === 'summarize');
    expect(s).toMatchObject({ latest: '1.0', versions: ['1.0'], model: 'openai/gpt-4o-mini', output: 'text' });
    expect(s.description).toMatch(/Summarize/);
    expect(s.input.required).toEqual(['text']);
    expect(body.errors).toEqual([]);
  });
});
