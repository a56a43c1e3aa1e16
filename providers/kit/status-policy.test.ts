import { describe, expect, it } from 'vitest';
import { classifyStatus, STATUS_POLICY } from './status-policy.js';

describe('the shared status table', () => {
  it.each([
    [400, 400, 'invalid_request_error', null],
    [401, 502, 'upstream_error', 'upstream_auth_failed'],
    [403, 502, 'upstream_error', 'upstream_auth_failed'],
    [404, 404, 'invalid_request_error', 'model_not_found'],
    [409, 400, 'invalid_request_error', null],
    [413, 413, 'invalid_request_error', 'request_too_large'],
    [429, 429, 'rate_limit_error', 'rate_limit_exceeded'],
    [500, 502, 'api_error', 'upstream_error'],
    [503, 503, 'api_error', 'upstream_unavailable'],
    [504, 504, 'api_error', 'upstream_timeout'],
    [529, 503, 'api_error', 'upstream_unavailable'],
    [302, 502, 'api_error', 'upstream_error'],
  ])('upstream %i → %i %s %s', (upstream, status, type, code) => {
    expect(classifyStatus(upstream)).toEqual({ status, type, code });
  });

  it("an adapter's exception wins over the row, an exact status over the range; 'same' keeps the upstream status", () => {
    const exceptions = { 403: { status: 502, type: 'upstream_error', code: 'upstream_permission_denied' }, '4xx': { status: 'same' as const, type: 'invalid_request_error', code: null } };
    expect(classifyStatus(403, exceptions).code).toBe('upstream_permission_denied');
    expect(classifyStatus(401, exceptions).code).toBe('upstream_auth_failed');
    expect(classifyStatus(409, exceptions)).toEqual({ status: 409, type: 'invalid_request_error', code: null });
    expect(classifyStatus(413, exceptions)).toEqual(STATUS_POLICY[413]);
  });
});
