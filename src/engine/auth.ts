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
  find(keyHash: string): Principal | undefined;
}

const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', teamId: null, keyId: null, name: 'anonymous' });
const ADMIN: Principal = Object.freeze({ kind: 'admin', teamId: 'admin', keyId: null, name: 'admin' });

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
export function authenticate(headers: IncomingHttpHeaders, snapshot: Snapshot, keys?: KeyLookup): Principal {
  const open = !snapshot.adminKeyHash && snapshot.staticKeys.size === 0 && !keys?.hasKeys();
  const key = presentedKey(headers);
  if (!key) {
    if (open) return ANONYMOUS;
    throw unauthorized('Missing API key: pass your tollgate key as "Authorization: Bearer <key>".');
  }
  const hash = hashOf(key);
  if (hash === snapshot.adminKeyHash) return ADMIN;
  const stat = snapshot.staticKeys.get(hash);
  if (stat) return { kind: 'static-key', teamId: null, keyId: stat.name, name: stat.name };
  const found = keys?.find(hash);
  if (found) return found;
  if (open) return ANONYMOUS;
  throw unauthorized('Invalid API key.');
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
