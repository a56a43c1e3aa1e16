import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bedrockAuth, bedrockRegion } from './auth.js';
import { signSigV4 } from './sign.js';
import type { ProviderConfig } from '../adapter.js';

// AWS's Signature Version 4 test suite (aws-sig-v4-test-suite, "get-vanilla"): the published
// credentials, scope and time, and the authorization header AWS publishes for that request.
const SUITE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_SCOPE = { region: 'us-east-1', service: 'service' };
const SUITE_TIME = new Date('2015-08-30T12:36:00Z');

describe('signSigV4', () => {
  it('reproduces the get-vanilla vector of AWS\'s SigV4 test suite', async () => {
    const signed = await signSigV4({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {} }, SUITE_CREDENTIALS, SUITE_SCOPE, SUITE_TIME);
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs a Bedrock-shaped POST (body, session token, encoded model id) as the documented algorithm computes it', async () => {
    const body = '{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}';
    const creds = { ...SUITE_CREDENTIALS, sessionToken: 'session-token-example' };
    const signed = await signSigV4(
      { method: 'POST', url: 'https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse', headers: { 'content-type': 'application/json' }, body },
      creds,
      { region: 'eu-west-1', service: 'bedrock' },
      SUITE_TIME,
    );
    expect(signed.headers['x-amz-security-token']).toBe('session-token-example');
    expect(signed.headers.authorization).toBe(referenceAuthorization(body, creds.sessionToken));
  });

  it('keeps the body and URL and replaces any configured authorization header', async () => {
    const req = { method: 'POST' as const, url: 'http://127.0.0.1:4010/model/m/converse', headers: { Authorization: 'Bearer stale', 'x-extra': '1' }, body: '{}' };
    const signed = await signSigV4(req, SUITE_CREDENTIALS, SUITE_SCOPE, SUITE_TIME);
    expect(signed.url).toBe(req.url);
    expect(signed.body).toBe('{}');
    expect(signed.headers.host).toBe('127.0.0.1:4010');
    expect(signed.headers.Authorization).toBeUndefined();
    expect(signed.headers.authorization).toMatch(/SignedHeaders=host;x-amz-date;x-extra, Signature=[0-9a-f]{64}$/);
  });
});

/** The SigV4 steps as AWS documents them, with node:crypto only: an independent check of the signer. */
function referenceAuthorization(body: string, sessionToken: string): string {
  const hex = (s: string) => createHash('sha256').update(s).digest('hex');
  const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();
  const canonical = [
    'POST',
    // Non-S3 services sign the path URI-encoded twice: %3A becomes %253A.
    '/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse',
    '',
    'content-type:application/json',
    'host:bedrock-runtime.eu-west-1.amazonaws.com',
    'x-amz-date:20150830T123600Z',
    `x-amz-security-token:${sessionToken}`,
    '',
    'content-type;host;x-amz-date;x-amz-security-token',
    hex(body),
  ].join('\n');
  const scope = '20150830/eu-west-1/bedrock/aws4_request';
  const toSign = ['AWS4-HMAC-SHA256', '20150830T123600Z', scope, hex(canonical)].join('\n');
  let key = hmac(`AWS4${SUITE_CREDENTIALS.secretAccessKey}`, '20150830');
  for (const part of ['eu-west-1', 'bedrock', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${scope}, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=${signature}`;
}

const cfg = (options: Record<string, unknown> = {}, apiKey?: string): ProviderConfig => ({
  name: 'bedrock',
  type: 'bedrock',
  baseUrl: '',
  headers: {},
  options,
  ...(apiKey && { apiKey }),
});

describe('bedrockAuth', () => {
  const env = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'env-session' };

  it('takes the configured key pair over the environment, with no env session token mixed in', () => {
    expect(bedrockAuth(cfg({ access_key_id: 'AKIDCFG', secret_access_key: 'cfg-secret' }), env)).toEqual({
      kind: 'sigv4',
      credentials: { accessKeyId: 'AKIDCFG', secretAccessKey: 'cfg-secret' },
    });
  });

  it('reads the standard AWS variables, session token included', () => {
    expect(bedrockAuth(cfg(), env)).toEqual({ kind: 'sigv4', credentials: { accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret', sessionToken: 'env-session' } });
  });

  it('uses a Bedrock API key as a bearer token: the entry\'s, else AWS_BEARER_TOKEN_BEDROCK', () => {
    expect(bedrockAuth(cfg({}, 'bedrock-key'), { ...env, AWS_BEARER_TOKEN_BEDROCK: 'env-key' })).toEqual({ kind: 'bearer', token: 'bedrock-key' });
    expect(bedrockAuth(cfg(), { ...env, AWS_BEARER_TOKEN_BEDROCK: 'env-key' })).toEqual({ kind: 'bearer', token: 'env-key' });
  });

  it('says what is missing when there are no credentials', () => {
    expect(() => bedrockAuth(cfg(), { AWS_ACCESS_KEY_ID: 'AKIDENV' })).toThrow(/no AWS credentials/);
  });
});

describe('bedrockRegion', () => {
  it('prefers the entry, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(bedrockRegion(cfg({ region: 'eu-west-3' }), { AWS_REGION: 'us-east-1' })).toBe('eu-west-3');
    expect(bedrockRegion(cfg(), { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-east-1');
    expect(bedrockRegion(cfg(), { AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
    expect(() => bedrockRegion(cfg(), {})).toThrow(/no AWS region/);
  });
});
