import { describe, expect, it } from 'vitest';
import type { UpstreamErrorInput } from '../adapter.js';
import { parseCohereError } from './errors.js';
import { fixtureJson } from './fixtures.test-helper.js';

const errors = fixtureJson<Record<string, UpstreamErrorInput>>('errors.handmade.json');

describe('parseCohereError', () => {
  it('400 and 422 → 400 with Cohere\'s words; "too many tokens" → context_length_exceeded', () => {
    expect(parseCohereError(errors.badRequest!)).toEqual({
      status: 400,
      type: 'invalid_request_error',
      code: null,
      message: 'Cohere answered 400: invalid request: message must be at least 1 token long or tool results must be specified.',
    });
    expect(parseCohereError(errors.unprocessable!)).toMatchObject({ status: 400, code: null });
    expect(parseCohereError(errors.tooLong!)).toMatchObject({ status: 400, code: 'context_length_exceeded' });
  });

  it('401 and 498 (invalid token) → 502 upstream_auth_failed, the echoed credential masked', () => {
    expect(parseCohereError(errors.unauthorized!)).toMatchObject({ status: 502, code: 'upstream_auth_failed', message: expect.stringContaining("not the client's key") });
    const blocked = parseCohereError(errors.invalidToken!);
    expect(blocked).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
    expect(blocked.message).not.toContain('co-abcdef1234567890');
  });

  it('429 → 429 with retry-after; 503 → 503 with retry-after, an HTML body quoted as unreadable', () => {
    expect(parseCohereError(errors.tooMany!)).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfter: 4 });
    expect(parseCohereError(errors.unavailable!)).toMatchObject({ status: 503, code: 'upstream_unavailable', retryAfter: 2, message: expect.stringContaining('unreadable error body') });
  });

  it('404 → model_not_found; 499 and 500 → 502; 504 with an empty body → 504', () => {
    expect(parseCohereError(errors.notFound!)).toMatchObject({ status: 404, code: 'model_not_found' });
    expect(parseCohereError(errors.clientClosed!)).toMatchObject({ status: 502, code: 'upstream_error' });
    expect(parseCohereError(errors.internal!)).toMatchObject({ status: 502, code: 'upstream_error' });
    expect(parseCohereError(errors.timeout!)).toMatchObject({ status: 504, code: 'upstream_timeout', message: 'Cohere answered 504: (empty body)' });
  });
});
