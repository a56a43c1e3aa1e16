/**
 * The service-account token exchange (OAuth 2.0 JWT bearer grant, RFC 7523, as Google documents
 * it for service accounts): a JWT signed RS256 with the key's private key — `iss` the key's
 * client_email, `scope` cloud-platform, `aud` the key's token_uri, `iat`/`exp` one hour apart —
 * posted to token_uri for an access token. These are the adapter's `credential` hook: pure; the
 * engine sends the request, caches the token, refreshes it and applies it per attempt.
 *
 * Signed with node:crypto, not google-auth-library: its JWT client posts to the fixed
 * https://oauth2.googleapis.com/token (it ignores the key's token_uri), does its own HTTP outside
 * the engine's transport, timeouts and redaction, and costs ~70 ms of start-up to import.
 */
import { sign as rsaSign, type KeyObject } from 'node:crypto';
import type { FetchedCredential, ProviderConfig, UpstreamRequest } from '../adapter.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google's maximum: an assertion may be valid for at most an hour. */
const ASSERTION_LIFETIME_S = 3600;
/** A token said to live longer than a day is not believed. */
const MAX_TOKEN_LIFETIME_S = 86_400;

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The signed assertion for the key in `cfg.options` at `now`. */
export function serviceAccountJwt(cfg: ProviderConfig, now: Date): string {
  const o = cfg.options as { client_email: string; token_uri: string; private_key_id?: string; signing_key: KeyObject };
  const iat = Math.floor(now.getTime() / 1000);
  const header = b64url({ alg: 'RS256', typ: 'JWT', ...(o.private_key_id && { kid: o.private_key_id }) });
  const claims = b64url({ iss: o.client_email, scope: CLOUD_PLATFORM_SCOPE, aud: o.token_uri, iat, exp: iat + ASSERTION_LIFETIME_S });
  const signature = rsaSign('RSA-SHA256', Buffer.from(`${header}.${claims}`), o.signing_key).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

/** The token request; the entry's `access_token` itself when it has one (used as is, never refreshed). */
export function vertexTokenRequest(cfg: ProviderConfig, now: Date): UpstreamRequest | FetchedCredential {
  if (typeof cfg.options.access_token === 'string') return { token: cfg.options.access_token, expiresAt: Infinity };
  if (!cfg.options.signing_key) throw new Error('no service-account key configured');
  return {
    method: 'POST',
    url: String(cfg.options.token_uri),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: serviceAccountJwt(cfg, now) }).toString(),
  };
}

/** The token as Vertex takes it: `Authorization: Bearer …`. */
export const applyVertexToken = (req: UpstreamRequest, token: string): UpstreamRequest => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });

/** `{access_token, expires_in, token_type: "Bearer"}` → the token and its expiry. */
export function parseVertexToken(body: unknown, now: Date): FetchedCredential {
  const b = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof b.access_token !== 'string' || b.access_token === '') throw new Error('no access_token in the answer');
  const lifetime = Number(b.expires_in);
  if (!Number.isFinite(lifetime) || lifetime <= 0) throw new Error('no valid expires_in in the answer');
  return { token: b.access_token, expiresAt: now.getTime() + Math.min(lifetime, MAX_TOKEN_LIFETIME_S) * 1000 };
}
