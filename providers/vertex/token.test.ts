import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import { resolveVertexOptions } from './config.js';
import { CLOUD_PLATFORM_SCOPE, parseVertexToken, vertexTokenRequest } from './token.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const TOKEN_URI = 'https://oauth2.example.test/token';
const cfg: ProviderConfig = {
  name: 'gcp',
  type: 'vertex',
  baseUrl: '',
  headers: {},
  options: resolveVertexOptions(
    { service_account: JSON.stringify({ type: 'service_account', project_id: 'p', private_key_id: 'kid-7', private_key: PEM, client_email: 'sa@p.iam.gserviceaccount.com', token_uri: TOKEN_URI }) },
    {},
  ),
};
const NOW = new Date('2026-12-03T12:00:00Z');
const part = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString());

describe('the service-account token request', () => {
  it('posts the JWT bearer grant to the key\'s token_uri with an RS256 assertion the public key verifies', () => {
    const req = vertexTokenRequest(cfg, NOW) as UpstreamRequest;
    expect(req).toMatchObject({ method: 'POST', url: TOKEN_URI, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const form = new URLSearchParams(req.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [h, c, s] = form.get('assertion')!.split('.') as [string, string, string];
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
    expect(part(h)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid-7' });
    const iat = NOW.getTime() / 1000;
    expect(part(c)).toEqual({ iss: 'sa@p.iam.gserviceaccount.com', scope: CLOUD_PLATFORM_SCOPE, aud: TOKEN_URI, iat, exp: iat + 3600 });
    // Tampered claims no longer verify.
    const forged = Buffer.from(JSON.stringify({ ...part(c), scope: 'x' })).toString('base64url');
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${forged}`), publicKey, Buffer.from(s, 'base64url'))).toBe(false);
  });

  it('reads the token and its expiry, refusing answers without either', () => {
    expect(parseVertexToken({ access_token: 'ya29.abc', expires_in: 3599, token_type: 'Bearer' }, NOW)).toEqual({ token: 'ya29.abc', expiresAt: NOW.getTime() + 3_599_000 });
    expect(parseVertexToken({ access_token: 'ya29.abc', expires_in: 1e12 }, NOW).expiresAt).toBe(NOW.getTime() + 86_400_000);
    expect(() => parseVertexToken({ expires_in: 3599 }, NOW)).toThrow(/no access_token/);
    expect(() => parseVertexToken({ access_token: 'ya29.abc', expires_in: 'soon' }, NOW)).toThrow(/expires_in/);
    expect(() => parseVertexToken(null, NOW)).toThrow(/no access_token/);
  });
});
