import { describe, expect, it } from 'vitest';
import type { UpstreamErrorInput } from '../adapter.js';
import { parseBedrockError } from './errors.js';
import { fixtureJson } from './fixtures.test-helper.js';

const errors = fixtureJson<Record<string, UpstreamErrorInput>>('errors.handmade.json');

describe('parseBedrockError', () => {
  it('ThrottlingException → 429 rate_limit_exceeded with retry-after', () => {
    expect(parseBedrockError(errors.throttling!)).toEqual({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      retryAfter: 3,
      message: 'Bedrock answered 429 ThrottlingException: Too many requests, please wait before trying again.',
    });
  });

  it('ValidationException → 400 with Bedrock\'s words; context_length_exceeded when the input is too long', () => {
    expect(parseBedrockError(errors.validation!)).toMatchObject({ status: 400, type: 'invalid_request_error', code: null, message: expect.stringContaining('messages.0.content: Field required') });
    expect(parseBedrockError(errors.context!)).toMatchObject({ status: 400, code: 'context_length_exceeded' });
  });

  it('ModelNotReadyException (429) → 503 upstream_unavailable: the model is loading, not a rate limit', () => {
    expect(parseBedrockError(errors.notReady!)).toMatchObject({ status: 503, code: 'upstream_unavailable', message: expect.stringMatching(/^Bedrock answered 429 ModelNotReadyException/) });
  });

  it('ModelTimeoutException (408) → 504; AccessDenied → 502 upstream_auth_failed; ResourceNotFound → 404', () => {
    expect(parseBedrockError(errors.timeout!)).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(parseBedrockError(errors.accessDenied!)).toMatchObject({ status: 502, code: 'upstream_auth_failed', message: expect.stringContaining('not the client\'s key') });
    expect(parseBedrockError(errors.notFound!)).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('reads the name from __type and the message from Message when there is no header', () => {
    expect(parseBedrockError(errors.typeInBody!)).toMatchObject({ status: 400, message: 'Bedrock answered 400 ValidationException: 1 validation error detected' });
  });

  it('quotes an unreadable body redacted and cut short', () => {
    const err = parseBedrockError({ status: 502, headers: {}, body: `<html>Authorization: Bearer abc123secret ${'x'.repeat(500)}</html>` });
    expect(err).toMatchObject({ status: 502, code: 'upstream_error' });
    expect(err.message).not.toContain('abc123secret');
    expect(err.message.length).toBeLessThan(300);
  });
});
