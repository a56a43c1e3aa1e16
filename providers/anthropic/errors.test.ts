import { describe, expect, it } from 'vitest';
import { fixtureText } from './__fixtures__/load.js';
import { parseAnthropicError } from './errors.js';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_1' });
const parse = (status: number, text: string, headers: Record<string, string> = {}) => parseAnthropicError({ status, body: text, headers });

describe('parseAnthropicError — status table', () => {
  it('400 invalid_request_error stays a client error with the upstream message', () => {
    expect(parse(400, body('invalid_request_error', 'max_tokens: Field required'))).toEqual({
      status: 400,
      type: 'invalid_request_error',
      code: null,
      param: null,
      message: 'max_tokens: Field required (invalid_request_error)',
    });
  });

  it("401 is the gateway's key, not the client's: 502 upstream_auth_failed", () => {
    expect(parse(401, body('authentication_error', 'invalid x-api-key'))).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed' });
  });

  it('403 permission_error → 502 as well', () => {
    expect(parse(403, body('permission_error', 'not allowed'))).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_permission_denied' });
  });

  it('404 about the model → model_not_found', () => {
    expect(parse(404, body('not_found_error', 'model: claude-nope'))).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('404 from the docs fixture (not about a model) → plain 404', () => {
    const e = parse(404, fixtureText('anthropic-error-not-found.docs.json'));
    expect(e).toMatchObject({ status: 404, code: null, type: 'invalid_request_error' });
    expect(e.message).toContain('The requested resource could not be found.');
  });

  it('413 request_too_large', () => {
    expect(parse(413, body('request_too_large', 'Request exceeds the maximum allowed number of bytes.'))).toMatchObject({ status: 413, code: 'request_too_large' });
  });

  it('429 keeps retry-after (seconds)', () => {
    expect(parse(429, body('rate_limit_error', 'Number of requests has exceeded your rate limit'), { 'retry-after': '17' })).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      retryAfter: 17,
    });
  });

  it('429 without a usable retry-after has no retryAfter', () => {
    expect(parse(429, body('rate_limit_error', 'slow down'), { 'retry-after': 'soon' })).not.toHaveProperty('retryAfter');
  });

  it('429 spend limit reached → insufficient_quota', () => {
    const text = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'spend limit', details: { error_code: 'enforced_spend_limit_reached' } } });
    expect(parse(429, text)).toMatchObject({ status: 429, code: 'insufficient_quota' });
  });

  it('500 api_error → 502', () => {
    expect(parse(500, body('api_error', 'Internal server error'))).toMatchObject({ status: 502, code: 'upstream_error' });
  });

  it('529 overloaded_error → 503', () => {
    expect(parse(529, body('overloaded_error', 'Overloaded'))).toMatchObject({ status: 503, code: 'upstream_overloaded' });
  });

  it('504 timeout_error → 504', () => {
    expect(parse(504, body('timeout_error', 'Request timed out'))).toMatchObject({ status: 504, code: 'upstream_timeout' });
  });

  it('other 4xx keep their status', () => {
    expect(parse(409, body('conflict_error', 'conflict'))).toMatchObject({ status: 409, type: 'invalid_request_error' });
  });
});

describe('parseAnthropicError — unreadable bodies and secrets', () => {
  it('an HTML body gives a clear message quoting at most ~200 chars', () => {
    const html = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(5000)}</body></html>`;
    const e = parse(502, html);
    expect(e.status).toBe(502);
    expect(e.message).toContain('unreadable body');
    expect(e.message).toContain('<title>502 Bad Gateway</title>');
    expect(e.message.length).toBeLessThan(320);
  });

  it('an empty body says so', () => {
    expect(parse(500, '').message).toContain('empty body');
  });

  it('never includes an API key, in JSON or garbage bodies', () => {
    const key = 'sk-ant-api03-AbCdEf_123-xyzXYZ0987654321';
    expect(parse(401, body('authentication_error', `invalid x-api-key ${key}`)).message).not.toContain('AbCdEf');
    expect(parse(500, `proxy error: x-api-key: ${key}`).message).not.toContain('AbCdEf');
    expect(parse(500, `oops ${key}`).message).toContain('[redacted]');
  });
});

describe('parseAnthropicError — context window', () => {
  it("Anthropic's 'prompt is too long' is marked context_length_exceeded (the engine may fall back to a larger window)", () => {
    expect(parse(400, fixtureText('anthropic-error-prompt-too-long.handmade.json'))).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' });
    expect(parse(400, body('invalid_request_error', 'input length and `max_tokens` exceed context limit: 197697 + 8192 > 200000'))).toMatchObject({ code: 'context_length_exceeded' });
  });

  it('another 400 is not', () => {
    expect(parse(400, body('invalid_request_error', 'messages: roles must alternate')).code).toBeNull();
  });
});
