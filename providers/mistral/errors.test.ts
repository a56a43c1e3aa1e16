import { describe, expect, it } from 'vitest';
import { fixtureText } from './__fixtures__/load.js';
import { parseMistralError } from './errors.js';

const err = (status: number, body: string, headers: Record<string, string | string[] | undefined> = {}) =>
  parseMistralError({ status, body, headers });

describe('parseMistralError', () => {
  it('401 {"detail":"Unauthorized"}: the gateway key failed → 502 upstream_auth_failed, not an auth error for the client', () => {
    const e = err(401, fixtureText('mistral-error-401.issue.json'));
    expect(e).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed' });
    expect(e.message).toMatch(/Unauthorized/);
    expect(e.message).toMatch(/not the client's key/);
  });

  it('403 is treated like 401', () => {
    expect(err(403, '{"message":"Forbidden","request_id":"abc"}')).toMatchObject({ status: 502, code: 'upstream_auth_failed', message: expect.stringMatching(/Forbidden/) });
  });

  it('429 current shape → 429 rate_limit_exceeded with retryAfter from the header', () => {
    const e = err(429, fixtureText('mistral-error-429.issue.json'), { 'retry-after': '7' });
    expect(e).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', retryAfter: 7 });
    expect(e.message).toMatch(/rate_limited/);
    expect(e.message).toMatch(/Rate limit exceeded/);
  });

  it('429 legacy shape {"message":…} → 429; no header, no retryAfter', () => {
    const e = err(429, fixtureText('mistral-error-429-legacy.issue.json'));
    expect(e).toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: expect.stringMatching(/Requests rate limit exceeded/) });
    expect(e.retryAfter).toBeUndefined();
  });

  it('400 invalid tool-call id → 400 invalid_request_error with the upstream code', () => {
    const e = err(400, fixtureText('mistral-error-400-tool-call-id.handmade.json'));
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', code: '3280', param: null });
    expect(e.message).toMatch(/must be a-z, A-Z, 0-9, with a length of 9/);
  });

  it('422 FastAPI validation detail array → 400 naming the field', () => {
    const e = err(422, fixtureText('mistral-error-422-validation.handmade.json'));
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(e.message).toMatch(/body\.messages\.0\.content: field required/);
  });

  it.each([
    [404, 404, 'model_not_found'],
    [413, 413, 'request_too_large'],
    [500, 502, 'upstream_error'],
    [502, 502, 'upstream_error'],
    [503, 503, 'upstream_error'],
    [504, 504, 'upstream_error'],
    [529, 502, 'upstream_error'],
    [418, 502, 'upstream_error'],
  ])('status %s → %s (%s)', (status, expected, code) => {
    expect(err(status, '{"message":"x"}')).toMatchObject({ status: expected, code });
  });

  it('a garbage body is quoted, at most 200 characters, on one line', () => {
    const html = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body>${'x'.repeat(1000)}</body></html>`;
    const e = err(502, html);
    expect(e.status).toBe(502);
    expect(e.message).toMatch(/unreadable error body "<html> <head><title>502 Bad Gateway/);
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(300);
  });

  it('an empty body says so', () => {
    expect(err(500, '').message).toMatch(/\(empty body\)/);
  });

  it('never echoes a bearer token or api key that an upstream/proxy reflects back', () => {
    const e = err(401, '{"message":"bad header Authorization: Bearer sk-secret-123 for api_key=sk-secret-123"}');
    expect(e.message).not.toContain('sk-secret-123');
    const g = err(500, 'proxy error: Bearer sk-secret-456');
    expect(g.message).not.toContain('sk-secret-456');
  });

  it('nested OpenAI-style {"error":{…}} bodies are read too', () => {
    expect(err(400, '{"error":{"message":"bad model","type":"invalid_request_error","code":"1500"}}')).toMatchObject({ code: '1500', message: expect.stringMatching(/bad model/) });
  });
});

describe('retry-after', () => {
  it('is found whatever the header case', () => {
    expect(parseMistralError({ status: 429, body: '{}', headers: { 'Retry-After': '4' } }).retryAfter).toBe(4);
  });
});

describe('parseMistralError — context window', () => {
  it("Mistral's 'too large for model with … maximum context length' is marked context_length_exceeded, over its numeric code", () => {
    expect(err(400, fixtureText('mistral-error-400-context-length.handmade.json'))).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' });
  });

  it('another 400 keeps its own code', () => {
    expect(err(400, fixtureText('mistral-error-400-tool-call-id.handmade.json')).code).not.toBe('context_length_exceeded');
  });
});
