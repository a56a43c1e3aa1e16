/**
 * Signature Version 4 for an upstream request, by AWS's own signer (`@smithy/signature-v4`,
 * what `@aws-sdk/client-bedrock-runtime` uses). Signing hashes the body and reads a clock, and
 * the signer is asynchronous, so it is not part of the pure `buildRequest`: the engine calls the
 * adapter's `sign` hook with the time of each attempt (a retry is signed afresh).
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { UpstreamRequest } from '../adapter.js';
import type { AwsCredentials } from './auth.js';
import { NodeSha256 } from './sha256.js';

export interface SigningScope {
  region: string;
  service: string;
}

/** The request with `host`, `x-amz-date`, `x-amz-security-token` (with a session token) and `authorization` set. */
export async function signSigV4(req: UpstreamRequest, credentials: AwsCredentials, scope: SigningScope, now: Date): Promise<UpstreamRequest> {
  const url = new URL(req.url);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  // No authorization of ours may survive into the signed set: a configured header would be signed otherwise.
  const headers: Record<string, string> = { host: url.host };
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() !== 'authorization' && k.toLowerCase() !== 'host') headers[k] = v;
  const signer = new SignatureV4({ credentials, region: scope.region, service: scope.service, sha256: NodeSha256, applyChecksum: false });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers,
      ...(req.body !== undefined && { body: req.body }),
    },
    { signingDate: now },
  );
  return { ...req, headers: signed.headers as Record<string, string> };
}
