import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { GatewayErrorShape } from '../../../providers/types.js';
import { InvalidRequest, toAnthropicError } from './errors.js';

const err = (status: number, type = 'api_error', message = 'boom'): GatewayErrorShape => ({ status, type, code: null, message });

describe('toAnthropicError', () => {
  it('renders the documented envelope (fixture anthropic-error-not-found.docs.json)', () => {
    const docs = JSON.parse(readFileSync(new URL('./__fixtures__/anthropic-error-not-found.docs.json', import.meta.url), 'utf8'));
    const out = toAnthropicError(err(404, 'invalid_request_error', docs.error.message), docs.request_id);
    expect(out).toEqual({ status: 404, body: docs });
  });

  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [409, 'conflict_error'],
    [413, 'request_too_large'],
    [422, 'invalid_request_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'overloaded_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ])('status %i → %s', (status, type) => {
    const out = toAnthropicError(err(status, 'some_openai_type'));
    expect(out.status).toBe(status);
    expect(out.body).toEqual({ type: 'error', error: { type, message: 'boom' } });
  });

  it('keeps an Anthropic-only type carried by the error, not a shared OpenAI one', () => {
    expect(toAnthropicError(err(502, 'overloaded_error')).body.error.type).toBe('overloaded_error');
    expect(toAnthropicError(err(404, 'invalid_request_error')).body.error.type).toBe('not_found_error');
  });

  it('InvalidRequest renders as a 400 naming the field', () => {
    const e = new InvalidRequest('messages.0.role', 'must be "user" or "assistant"');
    expect(toAnthropicError(e.toGatewayError())).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages.0.role: must be "user" or "assistant"' } },
    });
  });
});
