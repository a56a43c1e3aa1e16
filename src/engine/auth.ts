import type { IncomingHttpHeaders } from 'node:http';
import { sha256 } from '../config/snapshot.js';
import { unauthorized } from './errors.js';
import type { Snapshot } from './runtime.js';

/** Who is calling: the first stage of every request (docs/architecture.md §1). */
export interface Principal {
  kind: 'admin' | 'static-key' | 'team-key' | 'anonymous';
  /** Team the usage is recorded under (`admin` for the admin key, null when the gateway is open). */
  teamId: string | null;
  keyId: string | null;
  name: string;
  /** Models this key may call (`provider/model` or alias names; `*` suffix wildcards); undefined = all. */
  allowedModels?: readonly string[];
  limits?: unknown;
  teamLimits?: unknown;
  /** The team stores request and response bodies (`request_logs` on the team); absent = no. */
  requestLogs?: boolean;
}

/** Looks a presented key up in the database-backed key store (teams-and-keys; optional). */
export interface KeyLookup {
  /** true when any team key exists — then /v1 is never open. */
  hasKeys(): boolean;
  /** A known key answers at once; only a key not in the in-memory map waits for the database. */
  find(keyHash: string): Principal | undefined | Promise<Principal | undefined>;
  /**
   * The console's sign-ins (src/admin/sessions.ts): sha256 of a session cookie's token → the
   * principal of the key it was opened with, while the session and that key are both valid.
   */
  session?(tokenHash: string, snapshot: Snapshot): Promise<Principal | undefined>;
}

/** The caller on an open gateway and on `auth: none` proxy routes. */
export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', teamId: null, keyId: null, name: 'anonymous' });
export const ADMIN: Principal = Object.freeze({ kind: 'admin', teamId: 'admin', keyId: null, name: 'admin' });

/** The console's session cookie, and the header its every request carries (a cookie alone authenticates nothing: CSRF defence). */
export const SESSION_COOKIE = 'tollgate_session';
export const UI_HEADER = 'x-tollgate-ui';

/** The presented key: `Authorization: Bearer …`, or `x-api-key` (the Anthropic SDK's header). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    return m ? m[1]!.trim() : undefined;
  }
  const x = headers['x-api-key'];
  return typeof x === 'string' && x ? x : undefined;
}

/**
 * With no admin key, no configured keys and no team keys, `/v1` is open (docs/contract.md §3; the start-up
 * log warns). Otherwise a key is required and compared by its SHA-256 only.
 */
export async function authenticate(headers: IncomingHttpHeaders, snapshot: Snapshot, keys?: KeyLookup): Promise<Principal> {
  const open = !snapshot.adminKeyHash && snapshot.staticKeys.size === 0 && !keys?.hasKeys();
  const key = presentedKey(headers);
  if (!key) {
    // Only a request without a key pays for the cookie check (the console's calls).
    if (headers.cookie !== undefined && keys?.session) {
      const token = sessionToken(headers);
      if (token !== undefined) {
        const p = await keys.session(sha256(token), snapshot);
        if (p) return p;
        throw unauthorized('Your console session has ended (signed out, expired, or its key was revoked): sign in again.');
      }
    }
    if (open) return ANONYMOUS;
    throw unauthorized('Missing API key: pass your tollgate key as "Authorization: Bearer <key>".');
  }
  const hash = hashOf(key);
  if (hash === snapshot.adminKeyHash) return ADMIN;
  const stat = snapshot.staticKeys.get(hash);
  if (stat) return { kind: 'static-key', teamId: null, keyId: stat.name, name: stat.name };
  const lookup = keys?.find(hash);
  const found = lookup instanceof Promise ? await lookup : lookup;
  if (found) return found;
  if (open) return ANONYMOUS;
  throw unauthorized('Invalid API key.');
}

/**
 * The console session token: the `tollgate_session` cookie, counted only on a request that also
 * carries `x-tollgate-ui: 1` — a header no other site can make a browser send (it needs a CORS
 * preflight this gateway never grants), on top of the cookie's SameSite=Strict.
 */
export function sessionToken(headers: IncomingHttpHeaders): string | undefined {
  if (headers[UI_HEADER] !== '1') return undefined;
  return cookieValue(headers.cookie, SESSION_COOKIE);
}

/** One cookie's value from a Cookie header (first occurrence); undefined when absent or empty. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v && v.length <= 256 ? v : undefined;
    }
  }
  return undefined;
}

/**
 * For `auth: none` proxy routes: a tollgate credential the client sent anyway (a `tg_…` key, a
 * configured key, the admin key — in `Authorization: Bearer` or `x-api-key`) is removed from the
 * request before it is forwarded; the upstream has no business seeing it. Any other value in
 * those headers (the upstream's own credential) is left alone.
 */
export function stripGatewayKeys(headers: IncomingHttpHeaders, snapshot: Snapshot): void {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (m && isGatewayKey(m[1]!.trim(), snapshot)) delete headers.authorization;
  }
  const x = headers['x-api-key'];
  if (typeof x === 'string' && isGatewayKey(x.trim(), snapshot)) delete headers['x-api-key'];
}

function isGatewayKey(key: string, snapshot: Snapshot): boolean {
  if (key.startsWith('tg_')) return true;
  const hash = hashOf(key);
  return hash === snapshot.adminKeyHash || snapshot.staticKeys.has(hash);
}

/**
 * SHA-256 of recently presented keys, so a busy key is not re-hashed on every request. Bounded;
 * holds only what is in memory for in-flight requests anyway, and never affects revocation
 * (the hash is looked up afresh every time).
 */
const hashes = new Map<string, string>();
function hashOf(key: string): string {
  let h = hashes.get(key);
  if (h === undefined) {
    h = sha256(key);
    if (hashes.size >= 1024) hashes.clear();
    hashes.set(key, h);
  }
  return h;
}
