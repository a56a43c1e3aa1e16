import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Console sign-ins: a key (the admin key or a team key) exchanged for a session cookie. Only the
 * token's SHA-256 is stored; the key itself never is. Shared by every instance on the database,
 * so a session works on any instance and a sign-out ends it everywhere.
 */
export const uiSessions = sqliteTable(
  'ui_sessions',
  {
    /** sha256(hex) of the cookie's token. */
    tokenHash: text('token_hash').primaryKey(),
    /** `admin` or `team-key`. */
    kind: text('kind').notNull(),
    /** The team key the session was opened with; for the admin key, a fingerprint of it (a changed admin key ends its sessions). */
    keyId: text('key_id'),
    teamId: text('team_id'),
    /** Unix ms. */
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Set by sign-out (the row stays until it expires). */
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('ui_sessions_expires_idx').on(t.expiresAt)],
);
