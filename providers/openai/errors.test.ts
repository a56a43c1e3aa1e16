import { describe, expect, it } from 'vitest';
import { fixtureText } from './__fixtures__/load.js';
import { parseOpenAIError } from './errors.js';

/** OpenAI's ErrorResponse shape (openai-openapi `Error`): message, type, param, code. */
const body = (message: string, type = 'invalid_request_error', code: string | null = null, param: string | null = null) => JSON.stringify({ error: { message, type, param, code } });
const parse = (status: number, text: string, headers: Record<string, string> = {}) => parseOpenAIError({ status, body: text, headers });

describe('parseOpenAIError — the shared status table', () => {
  it.each([
    [400, 400, 'invalid_request_error', null],
    [404, 404, 'invalid_request_error', 'model_not_found'],
    [413, 413, 'invalid_request_error', 'request_too_large'],
    [422, 400, 'invalid_request_error', null],
    [429, 429, 'rate_limit_error', 'rate_limit_exceeded'],
    [500, 502, 'api_error', 'upstream_error'],
    [503, 503, 'api_error', 'upstream_unavailable'],
    [504, 504, 'api_error', 'upstream_timeout'],
  ])('%i → %i %s %s', (upstream, status, type, code) => {
    expect(parse(upstream, body('x'))).toMatchObject({ status, type, code, message: 'x' });
  });

  it("401/403 refuse the gateway's key: a 502 that says so, never the client's 401", () => {
    const e = parse(401, body('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'));
    expect(e).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed' });
    expect(e.message).toBe("the provider refused the gateway's credentials (HTTP 401): Incorrect API key provided");
  });

  it("OpenAI's own code and param are kept on a client error", () => {
    expect(parse(400, body('bad', 'invalid_request_error', 'invalid_value', 'temperature'))).toMatchObject({ status: 400, code: 'invalid_value', param: 'temperature' });
    expect(parse(404, body('no such deployment', 'invalid_request_error', 'DeploymentNotFound'))).toMatchObject({ status: 404, code: 'DeploymentNotFound' });
  });

  it('a spent account (insufficient_quota) is not a rate limit', () => {
    expect(parse(429, body('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'))).toMatchObject({ status: 429, type: 'insufficient_quota', code: 'insufficient_quota' });
  });

  it('retry-after-ms, then retry-after, on 429 and 503', () => {
    expect(parse(429, body('slow'), { 'retry-after-ms': '2500' }).retryAfter).toBe(3);
    expect(parse(503, body('busy'), { 'retry-after': '7' }).retryAfter).toBe(7);
    expect(parse(429, body('slow'))).not.toHaveProperty('retryAfter');
  });
});

describe('parseOpenAIError — context window', () => {
  it("OpenAI's own context_length_exceeded code is kept", () => {
    expect(parse(400, fixtureText('openai-error-context-length.handmade.json'))).toMatchObject({ status: 400, code: 'context_length_exceeded', param: 'messages' });
  });

  it("an OpenAI-compatible server that only says 'maximum context length' (vLLM) gets the code", () => {
    expect(parse(400, fixtureText('vllm-error-context-length.handmade.json'))).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' });
  });

  it('another 400 is not', () => {
    expect(parse(400, body("Invalid value for 'temperature'")).code).toBeNull();
  });
});

describe('parseOpenAIError — unreadable bodies and secrets', () => {
  it('a non-JSON body is quoted on one line, cut at 200 characters; an empty one names the status', () => {
    const e = parse(502, `<html>\n<title>502 Bad Gateway</title>${'x'.repeat(500)}</html>`);
    expect(e.message).toMatch(/^upstream said: <html> <title>502 Bad Gateway<\/title>x+…$/);
    expect(e.message.length).toBeLessThanOrEqual('upstream said: '.length + 201);
    expect(parse(500, '').message).toBe('upstream returned HTTP 500');
  });

  it('a key the upstream echoes is masked, in JSON and in raw text', () => {
    const key = 'sk-proj-AbCdEf1234567890';
    expect(parse(401, body(`Incorrect API key provided: ${key}`)).message).not.toContain('AbCdEf');
    expect(parse(500, `proxy: Authorization: Bearer opaque-secret-1`).message).not.toContain('opaque-secret-1');
  });
});
