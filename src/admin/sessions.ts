import { randomBytes } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { sha256 } from '../config/snapshot.js';
import { ADMIN, type Principal } from '../engine/auth.js';
import type { Snapshot } from '../engine/runtime.js';
import type { Db } from '../storage/sqlite/open.js';
import { apiKeys, teams, uiSessions } from '../storage/sqlite/schema/index.js';
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
  open(principal: Principal, snapshot: Snapshot): { token: string; expiresAt: number };
  /** sha256(token) → the principal, while the session is open and unexpired and its key still valid. */
  principal(tokenHash: string, snapshot: Snapshot): Principal | undefined;
  describe(tokenHash: string, snapshot: Snapshot): SessionView | undefined;
  /** Sign-out: the session is refused from now on, on every instance (it lives in the shared database). */
  close(tokenHash: string): void;
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
export function createSessionStore(db: Db, keys: KeyStore, now: () => number = Date.now): SessionStore {
  const byHash = db
    .select({
      kind: uiSessions.kind,
      keyId: uiSessions.keyId,
      teamId: uiSessions.teamId,
      expiresAt: uiSessions.expiresAt,
      revokedAt: uiSessions.revokedAt,
      keyHash: apiKeys.keyHash,
      keyPrefix: apiKeys.prefix,
      keyRevokedAt: apiKeys.revokedAt,
      keyExpiresAt: apiKeys.expiresAt,
    })
    .from(uiSessions)
    .leftJoin(apiKeys, eq(apiKeys.id, uiSessions.keyId))
    .where(eq(uiSessions.tokenHash, sql.placeholder('hash')))
    .prepare();
  type Row = NonNullable<ReturnType<typeof byHash.get>>;

  /** The open session's row and its principal, or undefined. */
  const resolve = (tokenHash: string, snapshot: Snapshot): { row: Row; principal: Principal } | undefined => {
    const row = byHash.get({ hash: tokenHash });
    const t = now();
    if (!row || row.revokedAt !== null || row.expiresAt <= t) return undefined;
    if (row.kind === 'admin') {
      return snapshot.adminKeyHash && row.keyId === adminFingerprint(snapshot.adminKeyHash) ? { row, principal: ADMIN } : undefined;
    }
    if (row.kind !== 'team-key' || !row.keyHash || row.keyRevokedAt !== null) return undefined;
    if (row.keyExpiresAt !== null && row.keyExpiresAt <= t) return undefined;
    const principal = keys.find(row.keyHash);
    return principal && principal.keyId === row.keyId ? { row, principal } : undefined;
  };

  return {
    open(principal, snapshot) {
      if (principal.kind !== 'admin' && principal.kind !== 'team-key') throw new Error('console sessions are for the admin key and team keys');
      const t = now();
      // Rows are kept until they expire (a replayed cookie then finds a revoked row); older ones go here.
      db.delete(uiSessions).where(lt(uiSessions.expiresAt, t)).run();
      const token = randomBytes(32).toString('base64url');
      const expiresAt = t + snapshot.ui.sessionMs;
      db.insert(uiSessions)
        .values({
          tokenHash: sha256(token),
          kind: principal.kind,
          keyId: principal.kind === 'admin' ? adminFingerprint(snapshot.adminKeyHash!) : principal.keyId,
          teamId: principal.kind === 'admin' ? null : principal.teamId,
          createdAt: t,
          expiresAt,
        })
        .run();
      return { token, expiresAt };
    },
    principal: (tokenHash, snapshot) => resolve(tokenHash, snapshot)?.principal,
    describe(tokenHash, snapshot) {
      const r = resolve(tokenHash, snapshot);
      if (!r) return undefined;
      const teamId = r.principal.kind === 'admin' ? null : r.principal.teamId;
      const team = teamId ? db.select({ name: teams.name }).from(teams).where(eq(teams.id, teamId)).get() : undefined;
      return {
        kind: r.principal.kind === 'admin' ? 'admin' : 'team-key',
        team_id: teamId,
        team_name: team?.name ?? null,
        key_prefix: r.principal.kind === 'admin' ? null : r.row.keyPrefix,
        expires_at: new Date(r.row.expiresAt).toISOString(),
      };
    },
    close(tokenHash) {
      db.update(uiSessions).set({ revokedAt: now() }).where(and(eq(uiSessions.tokenHash, tokenHash), sql`${uiSessions.revokedAt} is null`)).run();
    },
  };
}

/** Names the admin key a session was opened with, without storing anything that helps recover it. */
const adminFingerprint = (adminKeyHash: string) => `admin:${sha256(`tollgate-ui-session:${adminKeyHash}`).slice(0, 24)}`;
