/**
 * Bad-input corpus: every case is one hostile or broken request against a gateway the test
 * starts (mock upstreams on loopback, a SQLite ledger, a prompt directory in a temp dir, proxy
 * routes). Each must get a clear error in its API's own envelope — OpenAI's on /v1/* (also the
 * admin API's and the proxy's), Anthropic's on /v1/messages — with a 4xx, or the right 5xx for
 * an upstream fault; never a 500, never a leaked secret, and the gateway keeps serving.
 */
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startHttpMock, type HttpMock, type MockReply, type RecordedRequest } from '../mocks/http-mock.js';
import { startOpenAIMock } from '../mocks/openai.js';
import { validateOpenAI } from '../openapi/validate.js';

const GOOD_KEY = 'sk-good-upstream-secret-0123456789';
const JUNK_KEY = 'sk-junk-upstream-secret-0123456789';
const ANT_KEY = 'sk-ant-junk-upstream-secret-012345';
const GEM_KEY = 'AIzaJunkUpstreamSecret0123456789abcd';
const SECRETS = [GOOD_KEY, JUNK_KEY, ANT_KEY, GEM_KEY, ADMIN_KEY];

/** Upstream garbage, chosen by the model name (in the body, or Gemini's URL path). */
function junkReply(req: RecordedRequest): MockReply {
  const model = String(req.body?.model ?? /\/models\/([^:/?]+)/.exec(req.path)?.[1] ?? '');
  switch (model) {
    case 'nonjson':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: 'this is not json at all' };
    case 'truncated':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"mess' };
    case 'html500':
      return { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1><p>nginx</p></body></html>' };
    case 'html200':
      return { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><html><body>Please log in</body></html>' };
    case 'html502':
      return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad Gateway</body></html>' };
    case 'empty':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '' };
    case 'wrongshape':
      return { status: 200, json: { hello: 'world' } };
    case 'jsonarray':
      return { status: 200, json: [1, 2, 3] };
    case 'cutstream':
      return {
        sse: [
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"cutstream","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}\n\n',
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"cutstream","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}\n\n',
          'never sent',
        ],
        cutAfter: 2,
        // Paced, so the first frames reach the client before the cut (a cut before any byte is a plain 502).
        chunkDelayMs: 30,
      };
    case 'garbagestream':
      return { sse: ['data: {"id":"c1","object":"chat.comp\n\n', 'data: [DONE]\n\n'] };
    default:
      return { status: 200, json: { error: 'unexpected model in the corpus' } };
  }
}

const PROMPT = `---
name: greet
version: "1.0"
description: Greets someone.
model: mock/echo
input:
  type: object
  required: [name]
  additionalProperties: false
  properties:
    name: { type: string, minLength: 1, maxLength: 50 }
    times: { type: integer, minimum: 1, maximum: 5 }
---
Hello {{ name }}
`;

type Envelope = 'openai' | 'anthropic';
/** An exact status, a list of acceptable ones, or any 4xx. */
type Status = number | readonly number[] | '4xx';

interface Case {
  name: string;
  method?: string;
  path: string;
  /** A string is sent as is (malformed JSON, 1e400 …); anything else JSON-encoded. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Default: the team key as a Bearer token; null sends none. */
  key?: string | null;
  status: Status;
  envelope: Envelope;
  /** No upstream (LLM mocks or proxy services) may be contacted. Default true for 4xx cases. */
  noUpstream?: boolean;
  /** The error's `param` (OpenAI envelope), when the case is about one field. */
  param?: string;
}

const chat = (body: unknown, extra: Partial<Case> = {}): Omit<Case, 'name'> => ({ method: 'POST', path: '/v1/chat/completions', body, status: 400, envelope: 'openai', ...extra });
const msg = { role: 'user', content: 'hi' };
const ask = (fields: Record<string, unknown>) => ({ model: 'mock/echo', messages: [msg], ...fields });
const messages = (body: unknown, extra: Partial<Case> = {}): Omit<Case, 'name'> => ({ method: 'POST', path: '/v1/messages', body, status: 400, envelope: 'anthropic', ...extra });
const antAsk = (fields: Record<string, unknown>) => ({ model: 'mock/echo', max_tokens: 100, messages: [msg], ...fields });
const admin = (method: string, path: string, body?: unknown, extra: Partial<Case> = {}): Omit<Case, 'name'> => ({ method, path, body, key: ADMIN_KEY, status: 400, envelope: 'openai', ...extra });
const prompt = (body: unknown, extra: Partial<Case> = {}): Omit<Case, 'name'> => ({ method: 'POST', path: '/v1/prompts/greet', body, status: 400, envelope: 'openai', ...extra });
const upstreamFault = (model: string, status: Status = 502): Omit<Case, 'name'> => chat({ model, messages: [msg] }, { status, noUpstream: false });

const CORPUS: Record<string, Omit<Case, 'name'>> = {
  // --- /v1/chat/completions: malformed bodies and wrong content types
  'chat: malformed JSON': chat('{"model": "mock/echo", "messages": ['),
  'chat: trailing garbage after JSON': chat('{"model":"mock/echo","messages":[]} xyz'),
  'chat: empty body': chat(''),
  'chat: body is an array': chat([ask({})]),
  'chat: body is null': chat('null'),
  'chat: body is a string': chat('"hello"'),
  'chat: body is a number': chat('42'),
  'chat: text/plain content type': chat(JSON.stringify(ask({})), { headers: { 'content-type': 'text/plain' }, status: [400, 415] }),
  'chat: form-encoded content type': chat('model=mock%2Fecho', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: [400, 415] }),
  'chat: no content type': chat(JSON.stringify(ask({})), { headers: { 'content-type': '' }, status: [400, 415] }),
  'chat: oversized body (413)': chat(JSON.stringify(ask({ messages: [{ role: 'user', content: 'x'.repeat(1_200_000) }] })), { status: 413 }),
  // --- wrong types, nulls, arrays for objects
  'chat: model missing': chat({ messages: [msg] }, { param: 'model' }),
  'chat: model is a number': chat({ model: 42, messages: [msg] }, { param: 'model' }),
  'chat: model is null': chat({ model: null, messages: [msg] }, { param: 'model' }),
  'chat: model is an array': chat({ model: ['mock/echo'], messages: [msg] }, { param: 'model' }),
  'chat: model is an object': chat({ model: { name: 'mock/echo' }, messages: [msg] }, { param: 'model' }),
  'chat: model is empty': chat({ model: '', messages: [msg] }, { status: [400, 404] }),
  'chat: messages missing': chat({ model: 'mock/echo' }, { param: 'messages' }),
  'chat: messages is an object': chat({ model: 'mock/echo', messages: msg }, { param: 'messages' }),
  'chat: messages is a string': chat({ model: 'mock/echo', messages: 'hi' }, { param: 'messages' }),
  'chat: messages is empty': chat({ model: 'mock/echo', messages: [] }),
  'chat: a message is null': chat({ model: 'mock/echo', messages: [null] }),
  'chat: a message is an array': chat({ model: 'mock/echo', messages: [['user', 'hi']] }),
  'chat: a message without role': chat({ model: 'mock/echo', messages: [{ content: 'hi' }] }),
  'chat: an unknown role': chat({ model: 'mock/echo', messages: [{ role: 'wizard', content: 'hi' }] }),
  'chat: content is a number': chat({ model: 'mock/echo', messages: [{ role: 'user', content: 42 }] }),
  'chat: content part without type': chat({ model: 'mock/echo', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
  'chat: stream is a string': chat(ask({ stream: 'yes' }), { param: 'stream' }),
  'chat: stream_options is a string': chat(ask({ stream: true, stream_options: 'usage' })),
  'chat: tools is an object': chat(ask({ tools: { type: 'function' } })),
  'chat: a function tool without function (translated upstream)': chat(ask({ model: 'junkant/x', tools: [{ type: 'function' }] }), { status: '4xx' }),
  'chat: response_format of an unknown type': chat(ask({ response_format: { type: 'yaml' } })),
  'chat: stop is a number': chat(ask({ stop: 5 })),
  // --- numbers: huge, negative, fractional, NaN-ish strings
  'chat: max_tokens 1e400': chat('{"model":"mock/echo","messages":[{"role":"user","content":"hi"}],"max_tokens":1e400}', { param: 'max_tokens' }),
  'chat: max_tokens -1': chat(ask({ max_tokens: -1 }), { param: 'max_tokens' }),
  'chat: max_tokens 1.5': chat(ask({ max_tokens: 1.5 }), { param: 'max_tokens' }),
  'chat: max_tokens "NaN"': chat(ask({ max_tokens: 'NaN' }), { param: 'max_tokens' }),
  'chat: max_tokens 1e20 for a priced model on a budgeted team': chat({ model: 'good/gpt-4o-mini', messages: [msg], max_tokens: 1e20 }, { param: 'max_tokens', key: 'BUDGET_KEY' }),
  'chat: max_completion_tokens 1e20 for a priced model on a budgeted team': chat({ model: 'good/gpt-4o-mini', messages: [msg], max_completion_tokens: 1e20 }, { status: 400, key: 'BUDGET_KEY' }),
  'chat: temperature "hot"': chat(ask({ temperature: 'hot' }), { param: 'temperature' }),
  'chat: temperature -1e400': chat('{"model":"mock/echo","messages":[{"role":"user","content":"hi"}],"temperature":-1e400}'),
  'chat: n is a string': chat(ask({ n: 'two' }), { param: 'n' }),
  'chat: seed 1.5': chat(ask({ seed: 1.5 }), { param: 'seed' }),
  // --- models: unknown, traversal, control characters (another branch refuses the last ones:
  //     here only "4xx, envelope, no 500, no upstream call")
  'chat: unknown provider': chat({ model: 'nosuch/model', messages: [msg] }, { status: 404 }),
  'chat: unknown bare model': chat({ model: 'no-such-model-anywhere', messages: [msg] }, { status: 404 }),
  'chat: model with path traversal to gemini': chat({ model: 'gem/../../x', messages: [msg] }, { status: '4xx' }),
  'chat: model with a query string to gemini': chat({ model: 'gem/x?alt=sse&key=stolen', messages: [msg] }, { status: '4xx' }),
  'chat: model with a fragment to gemini': chat({ model: 'gem/x#frag', messages: [msg] }, { status: '4xx' }),
  'chat: model with a NUL byte': chat({ model: 'gem/x\u0000y', messages: [msg] }, { status: '4xx' }),
  'chat: model with CR LF': chat({ model: 'junk/x\r\nx-injected: 1', messages: [msg] }, { status: '4xx' }),
  'chat: model with an encoded traversal': chat({ model: 'gem/..%2F..%2Fx', messages: [msg] }, { status: '4xx' }),
  'chat: a 10 000-character model name': chat({ model: `nosuch/${'m'.repeat(10_000)}`, messages: [msg] }, { status: '4xx' }),
  // --- per-request headers carrying numbers and model names
  'chat: x-tollgate-timeout-ms is a word': chat(ask({}), { headers: { 'x-tollgate-timeout-ms': 'soon' } }),
  'chat: x-tollgate-timeout-ms -1': chat(ask({}), { headers: { 'x-tollgate-timeout-ms': '-1' } }),
  'chat: x-tollgate-timeout-ms 1e400': chat(ask({}), { headers: { 'x-tollgate-timeout-ms': '1e400' } }),
  'chat: x-tollgate-timeout-ms of 30 digits': chat(ask({}), { headers: { 'x-tollgate-timeout-ms': '9'.repeat(30) } }),
  'chat: x-tollgate-cache-ttl -1': chat(ask({}), { headers: { 'x-tollgate-cache-ttl': '-1' } }),
  'chat: x-tollgate-cache-ttl 1.5': chat(ask({}), { headers: { 'x-tollgate-cache-ttl': '1.5' } }),
  'chat: x-tollgate-cache-ttl NaN': chat(ask({}), { headers: { 'x-tollgate-cache-ttl': 'NaN' } }),
  'chat: x-tollgate-cache-ttl of 30 digits': chat(ask({}), { headers: { 'x-tollgate-cache-ttl': '9'.repeat(30) } }),
  'chat: x-tollgate-cache-ttl 1e400': chat(ask({}), { headers: { 'x-tollgate-cache-ttl': '1e400' } }),
  'chat: x-tollgate-fallbacks with an unknown model': chat(ask({}), { headers: { 'x-tollgate-fallbacks': 'nosuch/model' }, status: [400, 404] }),
  // The first target is down, so the traversal fallback is tried: refused before any upstream
  // call (nothing reaches the Gemini mock), and the client sees the primary's outage.
  'chat: x-tollgate-fallbacks with traversal': chat({ model: 'gone/x', messages: [msg] }, { headers: { 'x-tollgate-fallbacks': 'gem/../../x' }, status: 502, noUpstream: true }),
  // --- keys
  'chat: no key': chat(ask({}), { key: null, status: 401 }),
  'chat: a wrong key': chat(ask({}), { key: 'tg_not_a_real_key_000000000000000000', status: 401 }),
  'chat: a Basic auth header': chat(ask({}), { key: null, headers: { authorization: 'Basic dXNlcjpwYXNz' }, status: 401 }),
  'chat: an empty Bearer': chat(ask({}), { key: null, headers: { authorization: 'Bearer ' }, status: 401 }),
  // --- upstream garbage (the right 5xx, in the envelope)
  'chat: upstream answers 200 with non-JSON': upstreamFault('junk/nonjson'),
  'chat: upstream answers truncated JSON': upstreamFault('junk/truncated'),
  'chat: upstream answers an HTML 500 page': upstreamFault('junk/html500'),
  'chat: upstream answers an HTML 502 page': upstreamFault('junk/html502'),
  'chat: upstream answers 200 with an HTML page': upstreamFault('junk/html200'),
  'chat: upstream answers 200 with an empty body': upstreamFault('junk/empty'),
  'chat: upstream answers JSON of the wrong shape': upstreamFault('junk/wrongshape'),
  'chat: upstream answers a JSON array': upstreamFault('junk/jsonarray'),
  'chat: Anthropic upstream answers non-JSON': upstreamFault('junkant/nonjson'),
  'chat: Anthropic upstream answers an HTML 500 page': upstreamFault('junkant/html500'),
  'chat: Gemini upstream answers truncated JSON': upstreamFault('gem/truncated'),
  'chat: Gemini upstream answers 200 with an HTML page': upstreamFault('gem/html200'),
  'chat: upstream connection refused': upstreamFault('gone/any'),

  // --- /v1/completions, /v1/embeddings, /v1/models
  'completions: prompt missing': { method: 'POST', path: '/v1/completions', body: { model: 'good/gpt-3.5-turbo-instruct' }, status: 400, envelope: 'openai' },
  'completions: prompt is an object': { method: 'POST', path: '/v1/completions', body: { model: 'good/gpt-3.5-turbo-instruct', prompt: { a: 1 } }, status: 400, envelope: 'openai' },
  'completions: max_tokens 1e20 on a budgeted team': { method: 'POST', path: '/v1/completions', body: { model: 'good/gpt-3.5-turbo-instruct', prompt: 'x', max_tokens: 1e20 }, key: 'BUDGET_KEY', status: 400, envelope: 'openai' },
  'completions: malformed JSON': { method: 'POST', path: '/v1/completions', body: '{"prompt":', status: 400, envelope: 'openai' },
  'embeddings: input missing': { method: 'POST', path: '/v1/embeddings', body: { model: 'good/text-embedding-3-small' }, status: 400, envelope: 'openai' },
  'embeddings: input is null': { method: 'POST', path: '/v1/embeddings', body: { model: 'good/text-embedding-3-small', input: null }, status: 400, envelope: 'openai' },
  'embeddings: input is an object': { method: 'POST', path: '/v1/embeddings', body: { model: 'good/text-embedding-3-small', input: { text: 'x' } }, status: 400, envelope: 'openai' },
  'embeddings: dimensions -1': { method: 'POST', path: '/v1/embeddings', body: { model: 'good/text-embedding-3-small', input: 'x', dimensions: -1 }, status: 400, envelope: 'openai' },
  'embeddings: dimensions 1e400': { method: 'POST', path: '/v1/embeddings', body: '{"model":"good/text-embedding-3-small","input":"x","dimensions":1e400}', status: 400, envelope: 'openai' },
  'embeddings: unknown model': { method: 'POST', path: '/v1/embeddings', body: { model: 'nosuch/embed', input: 'x' }, status: 404, envelope: 'openai' },
  'embeddings: upstream answers non-JSON': { method: 'POST', path: '/v1/embeddings', body: { model: 'junk/nonjson', input: 'x' }, status: 502, envelope: 'openai', noUpstream: false },
  'embeddings: upstream answers a JSON array': { method: 'POST', path: '/v1/embeddings', body: { model: 'junk/jsonarray', input: 'x' }, status: 502, envelope: 'openai', noUpstream: false },
  'embeddings: upstream answers JSON of the wrong shape': { method: 'POST', path: '/v1/embeddings', body: { model: 'junk/wrongshape', input: 'x' }, status: 502, envelope: 'openai', noUpstream: false },
  'embeddings: encoding_format "hex"': { method: 'POST', path: '/v1/embeddings', body: { model: 'good/text-embedding-3-small', input: 'x', encoding_format: 'hex' }, status: 400, envelope: 'openai' },
  'embeddings: token array with 1e400': { method: 'POST', path: '/v1/embeddings', body: '{"model":"good/text-embedding-3-small","input":[1,2,1e400]}', status: 400, envelope: 'openai' },
  'embeddings: input is an array of nulls': { method: 'POST', path: '/v1/embeddings', body: { model: 'good/text-embedding-3-small', input: [null, null] }, status: 400, envelope: 'openai' },
  'usage: bad date on /v1/usage': { method: 'GET', path: '/v1/usage?from=31/12/2024', status: 400, envelope: 'openai', param: 'from' },
  'usage: bad group_by on /v1/usage.csv': { method: 'GET', path: '/v1/usage.csv?group_by=secret', status: 400, envelope: 'openai', param: 'group_by' },
  'usage: team_id as an array': { method: 'GET', path: '/v1/usage?team_id=a&team_id=b', status: [400, 403], envelope: 'openai' },
  'models: NUL in the path': { method: 'GET', path: '/v1/models/%00/x', status: [400, 404], envelope: 'openai' },
  'models: unknown model': { method: 'GET', path: '/v1/models/nosuch/model', status: 404, envelope: 'openai' },
  'models: encoded traversal': { method: 'GET', path: '/v1/models/..%2F..%2Fadmin', status: [400, 404], envelope: 'openai' },
  'v1: unknown path': { method: 'GET', path: '/v1/nothing-here', status: 404, envelope: 'openai' },
  'v1: wrong method on chat': { method: 'DELETE', path: '/v1/chat/completions', status: [404, 405], envelope: 'openai' },

  // --- /v1/messages (Anthropic envelope)
  'messages: malformed JSON': messages('{"model":"mock/echo","max_tokens":'),
  'messages: empty body': messages(''),
  'messages: body is an array': messages([antAsk({})]),
  'messages: max_tokens missing': messages({ model: 'mock/echo', messages: [msg] }),
  'messages: max_tokens -1': messages(antAsk({ max_tokens: -1 })),
  'messages: max_tokens 1e400': messages('{"model":"mock/echo","max_tokens":1e400,"messages":[{"role":"user","content":"hi"}]}'),
  'messages: max_tokens 1e20 for a priced model on a budgeted team': messages(antAsk({ model: 'good/gpt-4o-mini', max_tokens: 1e20 }), { key: 'BUDGET_KEY' }),
  'messages: max_tokens "100"': messages(antAsk({ max_tokens: '100' })),
  'messages: messages is a string': messages(antAsk({ messages: 'hi' })),
  'messages: messages is empty': messages(antAsk({ messages: [] })),
  'messages: a system role inside messages': messages(antAsk({ messages: [{ role: 'system', content: 'x' }] })),
  'messages: content is a number': messages(antAsk({ messages: [{ role: 'user', content: 5 }] })),
  'messages: system is a number': messages(antAsk({ system: 5 })),
  'messages: tools is a string': messages(antAsk({ tools: 'all' })),
  'messages: unknown model': messages(antAsk({ model: 'nosuch/model' }), { status: 404 }),
  'messages: model with traversal': messages(antAsk({ model: 'gem/../../x' }), { status: '4xx' }),
  'messages: stream is a string': messages(antAsk({ stream: 'yes' })),
  'messages: a wrong x-api-key': messages(antAsk({}), { key: null, headers: { 'x-api-key': 'sk-ant-not-a-tollgate-key-000000' }, status: 401 }),
  'messages: temperature 1e400': messages('{"model":"mock/echo","max_tokens":10,"temperature":1e400,"messages":[{"role":"user","content":"hi"}]}'),
  'messages: no key': messages(antAsk({}), { key: null, status: 401 }),
  'messages: oversized body (413)': messages(JSON.stringify(antAsk({ messages: [{ role: 'user', content: 'x'.repeat(1_200_000) }] })), { status: 413 }),
  'messages: upstream answers non-JSON': messages(antAsk({ model: 'junk/nonjson' }), { status: 502, noUpstream: false }),
  'messages: Anthropic upstream answers JSON of the wrong shape': messages(antAsk({ model: 'junkant/wrongshape' }), { status: 502, noUpstream: false }),
  'messages: Anthropic upstream answers HTML': messages(antAsk({ model: 'junkant/html500' }), { status: 502, noUpstream: false }),

  // --- /admin/* (the admin API's envelope: OpenAI's shape)
  'admin: no key': admin('GET', '/admin/teams', undefined, { key: null, status: 401 }),
  'admin: a team key': admin('GET', '/admin/teams', undefined, { key: 'TEAM_KEY', status: 403 }),
  'admin: malformed JSON': admin('POST', '/admin/teams', '{"name": '),
  'admin: body is an array': admin('POST', '/admin/teams', [{ name: 'x' }]),
  'admin: body is null': admin('POST', '/admin/teams', 'null'),
  'admin: team name is a number': admin('POST', '/admin/teams', { name: 5 }, { param: 'name' }),
  'admin: team name is empty': admin('POST', '/admin/teams', { name: '' }, { param: 'name' }),
  'admin: negative budget': admin('POST', '/admin/teams', { name: 'neg', limits: { budget_usd: { amount: -5, period: 'day' } } }, { param: 'limits.budget_usd.amount' }),
  'admin: unknown budget period': admin('POST', '/admin/teams', { name: 'wk', limits: { budget_usd: { amount: 5, period: 'week' } } }, { param: 'limits.budget_usd.period' }),
  'admin: budget amount is a string': admin('POST', '/admin/teams', { name: 'str', limits: { budget_usd: { amount: '5', period: 'day' } } }, { param: 'limits.budget_usd.amount' }),
  'admin: budget amount 1e400': admin('POST', '/admin/teams', '{"name":"inf","limits":{"budget_usd":{"amount":1e400,"period":"day"}}}'),
  'admin: budget amount 1e300': admin('POST', '/admin/teams', { name: 'huge', limits: { budget_usd: { amount: 1e300, period: 'day' } } }, { param: 'limits.budget_usd.amount' }),
  'admin: budget amount "NaN"': admin('POST', '/admin/teams', { name: 'nan', limits: { budget_usd: { amount: 'NaN', period: 'day' } } }, { param: 'limits.budget_usd.amount' }),
  'admin: budget_usd is an array': admin('POST', '/admin/teams', { name: 'arr', limits: { budget_usd: [5, 'day'] } }),
  'admin: limits is an array': admin('POST', '/admin/teams', { name: 'arr2', limits: [] }),
  'admin: rpm 1.5': admin('POST', '/admin/teams', { name: 'frac', limits: { rpm: 1.5 } }, { param: 'limits.rpm' }),
  'admin: rpm -1': admin('POST', '/admin/teams', { name: 'negrpm', limits: { rpm: -1 } }, { param: 'limits.rpm' }),
  'admin: tokens limit 1e400': admin('POST', '/admin/teams', '{"name":"tok","limits":{"tokens":{"amount":1e400,"period":"day"}}}'),
  'admin: unknown limit': admin('POST', '/admin/teams', { name: 'typo', limits: { rmp: 5 } }, { param: 'limits.rmp' }),
  'admin: PATCH an unknown team': admin('PATCH', '/admin/teams/team_nope', { limits: { rpm: 5 } }, { status: 404 }),
  'admin: PATCH with a string body': admin('PATCH', '/admin/teams/TEAM_ID', '"rpm=5"'),
  'admin: key for an unknown team': admin('POST', '/admin/keys', { team_id: 'team_nope', name: 'k' }, { status: 404 }),
  'admin: key team_id is a number': admin('POST', '/admin/keys', { team_id: 7 }, { param: 'team_id' }),
  'admin: key expires_at "soon"': admin('POST', '/admin/keys', { team_id: 'TEAM_ID', expires_at: 'soon' }, { param: 'expires_at' }),
  'admin: key allowed_models is a string': admin('POST', '/admin/keys', { team_id: 'TEAM_ID', allowed_models: 'mock/*' }, { param: 'allowed_models' }),
  'admin: key with a negative budget': admin('POST', '/admin/keys', { team_id: 'TEAM_ID', limits: { budget_usd: { amount: -1, period: 'total' } } }),
  'admin: key expires_at 1e400': admin('POST', '/admin/keys', '{"team_id":"TEAM_ID","expires_at":1e400}'),
  'admin: key expires_at in year 275760': admin('POST', '/admin/keys', { team_id: 'TEAM_ID', expires_at: '+275760-09-14T00:00:00Z' }, { param: 'expires_at' }),
  'admin: key expires_at is a number': admin('POST', '/admin/keys', { team_id: 'TEAM_ID', expires_at: 1e300 }, { param: 'expires_at' }),
  'admin: revoke an unknown key': admin('DELETE', '/admin/keys/key_nope', undefined, { status: 404 }),
  'admin: revoke with a traversal id': admin('DELETE', '/admin/keys/..%2F..%2Fteams', undefined, { status: 404 }),
  'admin: usage with an unknown group_by': admin('GET', '/admin/usage?group_by=color', undefined, { param: 'group_by' }),
  'admin: usage with group_by twice': admin('GET', '/admin/usage?group_by=team&group_by=key', undefined, { param: 'group_by' }),
  'admin: usage with a bad date': admin('GET', '/admin/usage?from=2024-13-45', undefined, { param: 'from' }),
  'admin: usage with a word for a date': admin('GET', '/admin/usage?to=tomorrow', undefined, { param: 'to' }),
  'admin: usage with from twice': admin('GET', '/admin/usage?from=2024-01-01&from=2024-02-01', undefined, { param: 'from' }),
  'admin: usage.csv with a bad group_by': admin('GET', '/admin/usage.csv?group_by=%00', undefined, { param: 'group_by' }),
  'admin: prompt upload with no body fields': admin('POST', '/admin/prompts', {}),
  'admin: prompt upload source is a number': admin('POST', '/admin/prompts', { source: 5 }),
  'admin: prompt upload with broken front matter': admin('POST', '/admin/prompts', { source: '---\nname: [unclosed\n---\nhi' }),
  'admin: unknown admin path': admin('GET', '/admin/nothing', undefined, { status: 404 }),

  // --- /v1/prompts/* (a prompt directory the test wrote)
  'prompt: required variable missing': prompt({}, { param: 'name' }),
  'prompt: variable of the wrong type': prompt({ name: 5 }, { param: 'name' }),
  'prompt: variable too long': prompt({ name: 'x'.repeat(51) }, { param: 'name' }),
  'prompt: empty string for minLength 1': prompt({ name: '' }, { param: 'name' }),
  'prompt: integer variable 1.5': prompt({ name: 'a', times: 1.5 }, { param: 'times' }),
  'prompt: integer variable 1e400': prompt('{"name":"a","times":1e400}'),
  'prompt: integer variable out of range': prompt({ name: 'a', times: 99 }, { param: 'times' }),
  'prompt: an undeclared variable': prompt({ name: 'a', extra: 1 }),
  'prompt: body is an array': prompt([{ name: 'a' }]),
  'prompt: malformed JSON': prompt('{"name": "a'),
  'prompt: stream is a string': prompt({ name: 'a', stream: 'yes' }),
  'prompt: text/plain content type': prompt('name=a', { headers: { 'content-type': 'text/plain' }, status: [400, 415] }),
  'prompt: unknown prompt': prompt({ name: 'a' }, { path: '/v1/prompts/nope', status: 404 }),
  'prompt: unknown version': prompt({ name: 'a' }, { path: '/v1/prompts/greet/versions/9.9', status: 404 }),
  'prompt: traversal in the name': prompt({ name: 'a' }, { path: '/v1/prompts/..%2F..%2Fetc%2Fpasswd', status: [400, 404] }),
  'prompt: traversal in the version': prompt({ name: 'a' }, { path: '/v1/prompts/greet/versions/..%2F..%2F1.0', status: [400, 404] }),
  'prompt: bad body with Accept: text/event-stream': prompt({ name: 5 }, { headers: { accept: 'text/event-stream' }, param: 'name' }),
  'prompt: no key': prompt({ name: 'a' }, { key: null, status: 401 }),

  // --- proxy routes: method and path tricks, dead upstreams
  'proxy: method not in match.methods': { method: 'DELETE', path: '/svc/items', status: 405, envelope: 'openai' },
  'proxy: no key on an auth route': { method: 'GET', path: '/svc/items', key: null, status: 401, envelope: 'openai' },
  'proxy: dot-dot segment': { method: 'GET', path: '/svc/../admin/teams', status: 400, envelope: 'openai' },
  'proxy: encoded dot-dot': { method: 'GET', path: '/svc/%2e%2e/%2e%2e/etc/passwd', status: 400, envelope: 'openai' },
  'proxy: double-encoded dot-dot': { method: 'GET', path: '/svc/%252e%252e/x', status: 400, envelope: 'openai' },
  'proxy: ..%2f': { method: 'GET', path: '/svc/..%2fadmin', status: 400, envelope: 'openai' },
  'proxy: backslash traversal': { method: 'GET', path: '/svc/..%5c..%5cx', status: 400, envelope: 'openai' },
  'proxy: encoded NUL': { method: 'GET', path: '/svc/a%00b', status: 400, envelope: 'openai' },
  'proxy: absolute-form target': { method: 'GET', path: 'http://169.254.169.254/latest/meta-data', status: [400, 404], envelope: 'openai' },
  'proxy: upstream connection refused': { method: 'GET', path: '/dead/x', status: 502, envelope: 'openai', noUpstream: false },
};

const statusOk = (want: Status, got: number) => (want === '4xx' ? got >= 400 && got < 500 : Array.isArray(want) ? want.includes(got) : got === want);

function send(base: string, c: Case): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(base);
  const body = c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (c.key) headers.authorization = `Bearer ${c.key}`;
  for (const [k, v] of Object.entries(c.headers ?? {})) {
    if (v === '') delete headers[k];
    else headers[k] = v;
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  // node:http sends the path as given (fetch would normalise `..` and reject absolute forms).
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: c.method ?? 'GET', path: c.path, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end(body);
  });
}

function envelopeProblems(envelope: Envelope, json: any): string[] {
  if (envelope === 'anthropic') {
    const ok = json?.type === 'error' && typeof json.error?.type === 'string' && typeof json.error?.message === 'string' && json.error.message.length > 0;
    return ok ? [] : ['not the Anthropic envelope {"type":"error","error":{"type","message"}}'];
  }
  const errors = validateOpenAI('ErrorResponse', json).map((e) => JSON.stringify(e));
  if (!json?.error?.message) errors.push('empty error.message');
  return errors;
}

describe('bad-input corpus', () => {
  let gw: Instance;
  let tmp: ReturnType<typeof tempDir>;
  let promptDir: string;
  let good: HttpMock;
  let junk: HttpMock;
  let svc: HttpMock;
  let teamKey: string;
  let teamId: string;
  /** A key of a team with a budget: admission reserves the worst case (max_tokens × price). */
  let budgetKey: string;
  const upstreamCalls = () => good.requests.length + junk.requests.length + svc.requests.length;

  beforeAll(async () => {
    tmp = tempDir();
    promptDir = mkdtempSync(join(tmpdir(), 'tollgate-corpus-prompts-'));
    writeFileSync(join(promptDir, 'greet.md'), PROMPT);
    good = await startOpenAIMock();
    junk = await startHttpMock(junkReply);
    svc = await startHttpMock(() => ({ json: { ok: true } }));
    gw = await startInstance(
      `
server: { body_limit_mb: 1 }
providers:
  mock: { type: mock }
  good: { type: openai, api_key: "${GOOD_KEY}", base_url: "${good.url}/v1" }
  junk: { type: openai, api_key: "${JUNK_KEY}", base_url: "${junk.url}/v1" }
  junkant: { type: anthropic, api_key: "${ANT_KEY}", base_url: "${junk.url}" }
  gem: { type: gemini, api_key: "${GEM_KEY}", base_url: "${junk.url}" }
  gone: { type: openai, api_key: "${GOOD_KEY}", base_url: "http://127.0.0.1:1/v1" }
prompts: { dir: "${promptDir}" }
routes:
  - name: svc
    match: { path: /svc, methods: [GET, POST] }
    upstreams: ["${svc.url}"]
  - name: dead
    match: { path: /dead }
    upstreams: ["http://127.0.0.1:1"]
    retries: { max: 0 }
`,
      { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` },
    );
    const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'corpus' });
    teamId = team.json.id;
    teamKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamId, name: 'corpus-key' })).json.key;
    const budgeted = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'corpus-budget', limits: { budget_usd: { amount: 5, period: 'day' } } });
    budgetKey = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: budgeted.json.id, name: 'budget-key' })).json.key;
  });
  afterAll(async () => {
    await gw?.close(1000);
    await Promise.all([good?.close(), junk?.close(), svc?.close()]);
    tmp?.remove();
    if (promptDir) rmSync(promptDir, { recursive: true, force: true });
  });

  it(`has at least 60 cases (${Object.keys(CORPUS).length})`, () => {
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(60);
  });

  it.each(Object.entries(CORPUS).map(([name, c]) => ({ name, ...c })))('$name', async (c: Case) => {
    const resolved: Case = {
      ...c,
      key: c.key === undefined || c.key === 'TEAM_KEY' ? teamKey : c.key === 'BUDGET_KEY' ? budgetKey : c.key,
      body: typeof c.body === 'string' ? c.body.replaceAll('TEAM_ID', teamId) : c.body === undefined ? undefined : JSON.parse(JSON.stringify(c.body).replaceAll('TEAM_ID', teamId)),
      path: c.path.replace('TEAM_ID', teamId),
    };
    const before = upstreamCalls();
    const res = await send(gw.url, resolved);
    expect(res.status, `${c.name}: ${res.text.slice(0, 300)}`).not.toBe(500);
    expect(statusOk(c.status, res.status), `${c.name}: got ${res.status} ${res.text.slice(0, 300)}`).toBe(true);
    expect(String(res.headers['content-type']), c.name).toContain('application/json');
    const json = JSON.parse(res.text);
    expect(envelopeProblems(c.envelope, json), `${c.name}: ${res.text.slice(0, 300)}`).toEqual([]);
    if (c.param) expect(json.error.param, c.name).toBe(c.param);
    for (const s of SECRETS) expect(res.text, c.name).not.toContain(s);
    if (c.noUpstream ?? res.status < 500) expect(upstreamCalls() - before, `${c.name}: an upstream was contacted`).toBe(0);
  });

  it('a stream the upstream cuts mid-way ends with an error frame, not a silent end', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${teamKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'junk/cutstream', messages: [msg], stream: true }),
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toContain('"content":"Hel"');
    const last = text.trim().split('\n\n').at(-1)!;
    expect(last).toMatch(/^event: error\ndata: /);
    const frame = JSON.parse(last.split('\ndata: ')[1]!);
    expect(validateOpenAI('ErrorResponse', frame)).toEqual([]);
    expect(frame.error.code).toBeTruthy();
    for (const s of SECRETS) expect(text).not.toContain(s);
  });

  // (On the pass-through path frames are forwarded as bytes, unparsed — the hot path — so a
  // garbage frame reaches the client's SDK as it came; the translating path parses every frame.)
  it('a translated stream of garbage frames ends with an error frame', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${teamKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gem/garbagestream', messages: [msg], stream: true }),
    });
    const text = await res.text();
    expect(junk.requests.at(-1)?.path).toContain('/models/garbagestream:streamGenerateContent');
    for (const s of SECRETS) expect(text).not.toContain(s);
    if (res.status === 200) expect(text.trim().split('\n\n').at(-1)).toMatch(/^event: error\ndata: /);
    else {
      expect(res.status).toBe(502);
      expect(validateOpenAI('ErrorResponse', JSON.parse(text))).toEqual([]);
    }
  });

  it('keeps serving after the corpus: a good chat, a good prompt call, a proxied GET and /healthz', async () => {
    const ok = await send(gw.url, { name: 'good', method: 'POST', path: '/v1/chat/completions', key: teamKey, body: ask({}), status: 200, envelope: 'openai' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).choices[0].message.content).toBe('hi');
    const p = await send(gw.url, { name: 'prompt', method: 'POST', path: '/v1/prompts/greet', key: teamKey, body: { name: 'Ada' }, status: 200, envelope: 'openai' });
    expect(p.status, p.text).toBe(200);
    expect(JSON.parse(p.text).output).toBe('Hello Ada');
    const proxied = await send(gw.url, { name: 'proxy', method: 'GET', path: '/svc/items', key: teamKey, status: 200, envelope: 'openai' });
    expect(proxied.status).toBe(200);
    expect(JSON.parse(proxied.text)).toEqual({ ok: true });
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
