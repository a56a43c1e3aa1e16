import { describe, expect, it } from 'vitest';
import { mapGeminiError, parseGeminiError } from './errors.js';
import { fixture } from './fixtures.test-helper.js';

const parse = (status: number, body: string, headers: Record<string, string> = {}) => parseGeminiError({ status, body, headers });
const googleError = (code: number, status: string, message: string, details: unknown[] = []) =>
  JSON.stringify({ error: { code, status, message, details } });

describe('parseGeminiError — recorded fixtures', () => {
  it('400 API_KEY_INVALID is the gateway credential failing: 502 upstream_auth_failed, not a client 400', () => {
    const e = parse(400, fixture('gemini-error-invalid-api-key.json'));
    expect(e).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed' });
    expect(e.message).toMatch(/API key not valid/);
    expect(e.message).toMatch(/API_KEY_INVALID/);
    expect(e.message).not.toMatch(/key1234/); // DebugInfo (which quotes the key) is never echoed
  });

  it('403 PERMISSION_DENIED (SERVICE_DISABLED) → 502 upstream_auth_failed', () => {
    const e = parse(403, fixture('gemini-error-permission-denied.json'));
    expect(e).toMatchObject({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed' });
    expect(e.message).toMatch(/PERMISSION_DENIED\/SERVICE_DISABLED/);
  });

  it('429 RESOURCE_EXHAUSTED → 429 rate_limit_exceeded (no retry hint in this body)', () => {
    const e = parse(429, fixture('gemini-error-429-resource-exhausted.issue.json'));
    expect(e).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect(e.retryAfter).toBeUndefined();
    expect(e.message).toMatch(/exceeded your current quota/);
  });
});

describe('parseGeminiError — status table', () => {
  it.each([
    [400, 'INVALID_ARGUMENT', 400, 'invalid_request_error', null],
    [400, 'FAILED_PRECONDITION', 400, 'invalid_request_error', null],
    [401, 'UNAUTHENTICATED', 502, 'upstream_error', 'upstream_auth_failed'],
    [404, 'NOT_FOUND', 404, 'invalid_request_error', 'model_not_found'],
    [413, 'INVALID_ARGUMENT', 413, 'invalid_request_error', 'request_too_large'],
    [429, 'RESOURCE_EXHAUSTED', 429, 'rate_limit_error', 'rate_limit_exceeded'],
    [500, 'INTERNAL', 502, 'api_error', 'upstream_error'],
    [503, 'UNAVAILABLE', 503, 'api_error', 'upstream_unavailable'],
    [409, 'ABORTED', 400, 'invalid_request_error', null],
    [504, 'DEADLINE_EXCEEDED', 504, 'api_error', 'upstream_timeout'],
  ] as const)('%i %s → %i %s %s', (http, rpc, status, type, code) => {
    const e = parse(http, googleError(http, rpc, 'msg'));
    expect(e).toMatchObject({ status, type, code });
    expect(e.message.endsWith(`msg (${rpc})`)).toBe(true);
  });

  it('retryAfter from the retry-after header (seconds)', () => {
    expect(parse(429, googleError(429, 'RESOURCE_EXHAUSTED', 'slow down'), { 'retry-after': '12' }).retryAfter).toBe(12);
  });

  it('retryAfter from a RetryInfo.retryDelay in details ("37s", "1.5s")', () => {
    const body = (delay: string) =>
      googleError(429, 'RESOURCE_EXHAUSTED', 'quota', [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay },
      ]);
    expect(parse(429, body('37s')).retryAfter).toBe(37);
    expect(parse(429, body('1.5s')).retryAfter).toBe(2);
  });

  it('the header wins over RetryInfo', () => {
    const body = googleError(429, 'RESOURCE_EXHAUSTED', 'q', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }]);
    expect(parse(429, body, { 'retry-after': '3' }).retryAfter).toBe(3);
  });

  it('the array-wrapped form of a non-SSE stream error is read too', () => {
    expect(parse(503, `[${googleError(503, 'UNAVAILABLE', 'The model is overloaded.')}]`)).toMatchObject({ status: 503, message: 'The model is overloaded. (UNAVAILABLE)' });
  });

  it('an in-stream error object (no HTTP status) takes its status from `code`, else from the rpc status', () => {
    expect(mapGeminiError(undefined, { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'x' }).status).toBe(429);
    expect(mapGeminiError(undefined, { status: 'DEADLINE_EXCEEDED', message: 'x' }).status).toBe(504);
    expect(mapGeminiError(undefined, { message: 'x' }).status).toBe(502);
  });
});

describe('parseGeminiError — garbage and secrets', () => {
  it('a non-JSON body gives a clear error quoting at most 200 chars', () => {
    const html = `<html><body>${'x'.repeat(500)}</body></html>`;
    const e = parse(502, html);
    expect(e).toMatchObject({ status: 502, type: 'api_error' });
    expect(e.message).toMatch(/^Gemini returned HTTP 502 with an unreadable error body: "<html><body>x+…"$/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('an empty body still maps by status', () => {
    expect(parse(503, '')).toMatchObject({ status: 503, code: 'upstream_unavailable', message: expect.stringMatching(/empty body/) });
    expect(parse(404, 'Not Found')).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('JSON without an error object is treated as garbage, truncated JSON too', () => {
    expect(parse(500, '{"foo":1}').message).toMatch(/unreadable error body: "\{"foo":1\}"/);
    expect(parse(500, '{"error": {"code": 500, "mess').message).toMatch(/unreadable/);
  });

  it('never echoes a Google API key, in the message or in a garbage body', () => {
    const key = 'AIzaSyD-1234567890abcdefghijklmnopqrstu';
    const e1 = parse(400, googleError(400, 'INVALID_ARGUMENT', `API key ${key} is bad`, [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]));
    const e2 = parse(500, `oops key=${key}`);
    for (const e of [e1, e2]) {
      expect(e.message).not.toContain(key);
      expect(e.message).toContain('[redacted]');
    }
  });
});

describe('parseGeminiError — context window', () => {
  it("Gemini's 'input token count … exceeds the maximum number of tokens' is marked context_length_exceeded", () => {
    const e = parse(400, fixture('gemini-error-input-token-count.handmade.json'));
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' });
    expect(e.message).toMatch(/exceeds the maximum number of tokens allowed \(1048576\)/);
  });

  it('another INVALID_ARGUMENT is not', () => {
    expect(parse(400, googleError(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.')).code).toBeNull();
  });
});
