import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';

/** Console sign-ins (only the token's SHA-256 is stored), shared by every instance on the database. */
export const uiSessions = pgTable(
  'ui_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** `admin` or `team-key`. */
    kind: text('kind').notNull(),
    keyId: text('key_id'),
    teamId: text('team_id'),
    /** Unix ms. */
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    revokedAt: bigint('revoked_at', { mode: 'number' }),
  },
  (t) => [index('ui_sessions_expires_idx').on(t.expiresAt)],
);
