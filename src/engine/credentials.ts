import type { FetchedCredential, UpstreamRequest } from '../../providers/adapter.js';
import { redactSecrets, snippet } from '../../providers/kit/redact.js';
import { GatewayError, upstreamError } from './errors.js';
import type { ProviderRuntime } from './runtime.js';
import { readText } from './dispatch.js';
import { send, transportError } from './transport.js';

/**
 * Tokens an adapter asks the engine to fetch (its `credential` hook: an OAuth2 access token for
 * a signed JWT), one per provider: kept until REFRESH_BEFORE_MS before they expire, and fetched
 * once for all the requests that need one at the same time (single flight). A failed fetch is
 * not kept: the next request asks again.
 */
interface Slot {
  current?: FetchedCredential;
  pending?: Promise<FetchedCredential>;
}

/** Refresh this long before expiry, so a token never expires between signing and arriving. */
export const REFRESH_BEFORE_MS = 60_000;
/** A token fetch shared by many requests is bounded by its own deadline, not by one client's. */
const FETCH_TIMEOUT_MS = 30_000;
const MAX_BODY = 64 * 1024;

const slots = new WeakMap<ProviderRuntime, Slot>();

/** `request` with the provider's token applied (fetched, or cached while it is fresh). */
export async function withCredential(p: ProviderRuntime, request: UpstreamRequest, now: Date): Promise<UpstreamRequest> {
  return p.adapter.credential!.apply(request, await credentialFor(p, now));
}

async function credentialFor(p: ProviderRuntime, now: Date): Promise<string> {
  let slot = slots.get(p);
  if (!slot) slots.set(p, (slot = {}));
  if (slot.current && now.getTime() < slot.current.expiresAt - REFRESH_BEFORE_MS) return slot.current.token;
  let pending = slot.pending;
  if (!pending) {
    const s = slot;
    pending = s.pending = fetchCredential(p, now).then(
      (c) => {
        s.current = c;
        s.pending = undefined;
        return c;
      },
      (err) => {
        s.pending = undefined;
        throw err;
      },
    );
  }
  return (await pending).token;
}

async function fetchCredential(p: ProviderRuntime, now: Date): Promise<FetchedCredential> {
  const hook = p.adapter.credential!;
  const name = p.config.name;
  let request;
  try {
    request = hook.request(p.config, now);
  } catch (err) {
    throw authFailed(`${name}: cannot build the token request: ${(err as Error).message}`, p);
  }
  if ('token' in request) return request; // a ready token from the config: nothing to fetch
  const signal = AbortSignal.timeout(Math.min(p.timeoutMs, FETCH_TIMEOUT_MS));
  let status: number;
  let text: string;
  try {
    const res = await send(p, request, signal);
    status = res.status;
    text = await readText(res.body, MAX_BODY);
  } catch (err) {
    // The shared signal of a fetch is our own deadline, never a client's abort.
    const e = signal.aborted ? upstreamError(504, 'upstream_timeout', 'no answer in time') : transportError(name, err);
    throw new GatewayError({ ...e.shape, message: `${name}: could not fetch an access token from the token endpoint: ${e.message}` });
  }
  if (status >= 400) {
    // The endpoint's words (OAuth2's `error` / `error_description`), scrubbed and cut short: never the key or the assertion.
    const said = snippet(redactSecrets(text, p.secrets));
    throw authFailed(`${name}: the token endpoint refused the gateway's credentials (HTTP ${status}${said ? `: ${said}` : ''})`, p);
  }
  try {
    return hook.parse(JSON.parse(text), now);
  } catch (err) {
    throw authFailed(`${name}: unreadable answer from the token endpoint: ${(err as Error).message}`, p);
  }
}

function authFailed(message: string, p: ProviderRuntime): GatewayError {
  return new GatewayError({ status: 502, type: 'upstream_error', code: 'upstream_auth_failed', message: redactSecrets(message, p.secrets) });
}

