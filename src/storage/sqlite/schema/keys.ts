import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { teams } from './teams.js';

/**
 * API keys: only the SHA-256 of the key and a display prefix are stored (docs/contract.md §4) — the key
 * itself is shown once, at creation, and never again.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    /** JSON array of model names / `prefix*` patterns; null = every model. */
    allowedModels: text('allowed_models'),
    limits: text('limits'),
    /** Unix ms; null = never. */
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('api_keys_team_idx').on(t.teamId)],
);
