import { randomBytes } from 'node:crypto';
import { sha256 } from '../config/snapshot.js';
import { ADMIN, type Principal } from '../engine/auth.js';
import type { Snapshot } from '../engine/runtime.js';
import type { SessionWithKey, Store } from '../storage/ports.js';
import type { KeyStore } from './key-store.js';

/** What the console shows of its own sign-in (`GET /ui/api/session`). */
export interface SessionView {
  kind: 'admin' | 'team-key';
  team_id: string | null;
  team_name: string | null;
  key_prefix: string | null;
  expires_at: string;
}

export interface SessionStore {
  /** A new session for an admin or team-key principal: the cookie's token (returned once, never stored) and its expiry. */
  open(principal: Principal, snapshot: Snapshot): Promise<{ token: string; expiresAt: number }>;
  /** sha256(token) → the principal, while the session is open and unexpired and its key still valid. */
  principal(tokenHash: string, snapshot: Snapshot): Promise<Principal | undefined>;
  describe(tokenHash: string, snapshot: Snapshot): Promise<SessionView | undefined>;
  /** Sign-out: the session is refused from now on, on every instance (it lives in the shared database). */
  close(tokenHash: string): Promise<void>;
}

/**
 * Console sign-ins, kept in the database (`ui_sessions`) so a session works on every instance
 * and a sign-out ends it everywhere at once. Only sha256 of the cookie's random token is stored;
 * the key it was opened with never is. Every request re-checks, in one indexed query, that the
 * session is open and unexpired and that its team key is neither revoked nor expired — so
 * revoking a key ends its console sessions at the next request. An admin session remembers a
 * fingerprint of the admin key it was opened with: a changed TOLLGATE_ADMIN_KEY ends it.
 * Only console requests pay for this (engine/auth.ts asks only when no key was presented).
 */
export function createSessionStore(store: Pick<Store, 'sessions' | 'teams'>, keys: KeyStore, now: () => number = Date.now): SessionStore {
  /** The open session's row and its principal, or undefined. */
  const resolve = async (tokenHash: string, snapshot: Snapshot): Promise<{ row: SessionWithKey; principal: Principal } | undefined> => {
    const row = await store.sessions.find(tokenHash);
    const t = now();
    if (!row || row.revokedAt !== null || row.expiresAt <= t) return undefined;
    if (row.kind === 'admin') {
      return snapshot.adminKeyHash && row.keyId === adminFingerprint(snapshot.adminKeyHash) ? { row, principal: ADMIN } : undefined;
    }
    if (row.kind !== 'team-key' || !row.keyHash || row.keyRevokedAt !== null) return undefined;
    if (row.keyExpiresAt !== null && row.keyExpiresAt <= t) return undefined;
    const principal = await keys.find(row.keyHash);
    return principal && principal.keyId === row.keyId ? { row, principal } : undefined;
  };

  return {
    async open(principal, snapshot) {
      if (principal.kind !== 'admin' && principal.kind !== 'team-key') throw new Error('console sessions are for the admin key and team keys');
      const t = now();
      const token = randomBytes(32).toString('base64url');
      const expiresAt = t + snapshot.ui.sessionMs;
      // Rows are kept until they expire (a replayed cookie then finds a revoked row); older ones go here.
      await store.sessions.open(
        {
          tokenHash: sha256(token),
          kind: principal.kind,
          keyId: principal.kind === 'admin' ? adminFingerprint(snapshot.adminKeyHash!) : principal.keyId,
          teamId: principal.kind === 'admin' ? null : principal.teamId,
          createdAt: t,
          expiresAt,
          revokedAt: null,
        },
        t,
      );
      return { token, expiresAt };
    },
    principal: async (tokenHash, snapshot) => (await resolve(tokenHash, snapshot))?.principal,
    async describe(tokenHash, snapshot) {
      const r = await resolve(tokenHash, snapshot);
      if (!r) return undefined;
      const teamId = r.principal.kind === 'admin' ? null : r.principal.teamId;
      const team = teamId ? await store.teams.get(teamId) : undefined;
      return {
        kind: r.principal.kind === 'admin' ? 'admin' : 'team-key',
        team_id: teamId,
        team_name: team?.name ?? null,
        key_prefix: r.principal.kind === 'admin' ? null : r.row.keyPrefix,
        expires_at: new Date(r.row.expiresAt).toISOString(),
      };
    },
    close(tokenHash) {
      return store.sessions.close(tokenHash, now());
    },
  };
}

/** Names the admin key a session was opened with, without storing anything that helps recover it. */
const adminFingerprint = (adminKeyHash: string) => `admin:${sha256(`tollgate-ui-session:${adminKeyHash}`).slice(0, 24)}`;
